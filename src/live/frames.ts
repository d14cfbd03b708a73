// Reading the frames of Beeper Desktop's WebSocket (the official spec's WS* schemas). Frames
// come from another program: anything malformed becomes `{ kind: 'malformed' }` with a reason,
// anything of a type we do not know becomes `{ kind: 'unknown' }`; neither throws. No vscode.
import { readMessage } from '../api/decode';
import type { Message } from '../api/types';

export type DomainEventType = 'chat.upserted' | 'chat.deleted' | 'message.upserted' | 'message.deleted';

export interface DomainEvent {
  kind: 'event';
  type: DomainEventType;
  seq: number;
  /** Epoch ms; the server may send an ISO string or a number. NaN when neither parses. */
  ts: number;
  chatID: string;
  ids: string[];
  /** `message.upserted` carries the messages (those that decode; the rest are dropped). */
  messages: Message[];
}

export type ServerFrame =
  | { kind: 'ready'; version: number; chatIDs: string[] }
  | { kind: 'subscriptionsUpdated'; requestID?: string; chatIDs: string[] }
  | { kind: 'error'; requestID?: string; code: string; message: string }
  | DomainEvent
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; reason: string };

const DOMAIN_TYPES = new Set<string>(['chat.upserted', 'chat.deleted', 'message.upserted', 'message.deleted']);
/** Frames larger than this are not parsed (a message page is far smaller). */
export const MAX_FRAME_CHARS = 8 * 1024 * 1024;

export function parseFrame(raw: unknown): ServerFrame {
  if (typeof raw !== 'string') return { kind: 'malformed', reason: 'not a text frame' };
  if (raw.length > MAX_FRAME_CHARS) return { kind: 'malformed', reason: `frame of ${raw.length} characters is too large` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Said in the result: the caller counts and logs malformed frames.
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'malformed', reason: 'not an object' };
  const o = value as Record<string, unknown>;
  if (typeof o.type !== 'string') return { kind: 'malformed', reason: 'no type' };
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v) : undefined);
  const requestID = typeof o.requestID === 'string' ? o.requestID : undefined;
  switch (o.type) {
    case 'ready':
      return { kind: 'ready', version: typeof o.version === 'number' ? o.version : 1, chatIDs: strings(o.chatIDs) ?? [] };
    case 'subscriptions.updated': {
      const chatIDs = strings(o.chatIDs);
      if (!chatIDs) return { kind: 'malformed', reason: 'subscriptions.updated without chatIDs' };
      return { kind: 'subscriptionsUpdated', requestID, chatIDs };
    }
    case 'error':
      return { kind: 'error', requestID, code: typeof o.code === 'string' ? o.code : 'UNKNOWN', message: typeof o.message === 'string' ? o.message : '' };
  }
  if (!DOMAIN_TYPES.has(o.type)) return { kind: 'unknown', type: String(o.type).slice(0, 100) };
  if (typeof o.chatID !== 'string' || o.chatID === '') return { kind: 'malformed', reason: `${o.type} without chatID` };
  const ids = strings(o.ids);
  if (!ids) return { kind: 'malformed', reason: `${o.type} without ids` };
  const messages: Message[] = [];
  if (o.type === 'message.upserted' && Array.isArray(o.entries)) {
    for (const entry of o.entries) {
      try {
        messages.push(readMessage(entry));
      } catch {
        // A message that does not decode is skipped; the chat is still re-read.
      }
    }
  }
  return {
    kind: 'event',
    type: o.type as DomainEventType,
    seq: typeof o.seq === 'number' ? o.seq : -1,
    ts: readTimestamp(o.ts),
    chatID: o.chatID,
    ids,
    messages,
  };
}

/** `ts` as epoch ms, whether it came as an ISO string or as a number (seconds are not guessed). */
export function readTimestamp(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value);
    return Date.parse(value);
  }
  return NaN;
}

/** The command that subscribes to every chat. */
export function subscribeAllFrame(requestID: string): string {
  return JSON.stringify({ type: 'subscriptions.set', requestID, chatIDs: ['*'] });
}
