// Tolerant readers for API bodies. Required fields are checked (a body without them is a
// 'badResponse' error naming the field); optional fields of the wrong type are dropped; unknown
// fields are ignored; enum values are kept as strings, known or not.
import { BeeperApiError } from './errors';
import type {
  Chat,
  Attachment,
  LinkPreview,
  Message,
  MessageSearchResult,
  Page,
  Reaction,
  SendMessageResult,
  SendStatus,
  UploadResult,
  StartChatResult,
  ServerInfo,
  User,
} from './types';

import { arr, bool, compact, num, obj, optBool, optNullableStr, optNum, optRecord, optStr, str, type Json } from './decodeBasics';

import { ShapeError } from './decodeBasics';

export { ShapeError };
export * from './decodeLogin';
export { readUser } from './decodeBasics';
import { readParticipant, readUser } from './decodeBasics';

export function readChat(value: unknown, path = 'chat'): Chat {
  const o = obj(value, path);
  const p = obj(o.participants ?? { items: [], hasMore: false, total: 0 }, `${path}.participants`);
  const items = Array.isArray(p.items) ? arr(p, 'items', `${path}.participants`, readParticipant) : [];
  return compact({
    id: str(o, 'id', path),
    accountID: str(o, 'accountID', path),
    network: optStr(o, 'network') ?? '',
    title: optStr(o, 'title') ?? '',
    type: optStr(o, 'type') ?? 'single',
    participants: {
      items,
      hasMore: optBool(p, 'hasMore') ?? false,
      total: optNum(p, 'total') ?? items.length,
    },
    unreadCount: optNum(o, 'unreadCount') ?? 0,
    localChatID: optNullableStr(o, 'localChatID'),
    description: optNullableStr(o, 'description'),
    imgURL: optNullableStr(o, 'imgURL'),
    isReadOnly: optBool(o, 'isReadOnly'),
    lastActivity: optStr(o, 'lastActivity'),
    unreadMentionsCount: optNum(o, 'unreadMentionsCount'),
    lastReadMessageSortKey: optStr(o, 'lastReadMessageSortKey'),
    isArchived: optBool(o, 'isArchived'),
    isMarkedUnread: optBool(o, 'isMarkedUnread'),
    isMuted: optBool(o, 'isMuted'),
    isPinned: optBool(o, 'isPinned'),
    isLowPriority: optBool(o, 'isLowPriority'),
    mergedIntoChatID: optStr(o, 'mergedIntoChatID'),
    merge: readMerge(o.merge),
    draft: readDraft(o.draft),
    reminder: readReminder(o.reminder),
    snooze: o.snooze === null ? null : typeof o.snooze === 'object' ? compact({ snoozeUntil: optStr(o.snooze as Json, 'snoozeUntil'), userSnoozedAt: optStr(o.snooze as Json, 'userSnoozedAt') }) : undefined,
    messageExpirySeconds: o.messageExpirySeconds === null ? null : optNum(o, 'messageExpirySeconds'),
    capabilities: sharedChatCapabilities(o.capabilities),
  });
}

function readDraft(value: unknown): Chat['draft'] {
  if (value === null) return null;
  if (typeof value !== 'object' || value === undefined) return undefined;
  const text = (value as Json).text;
  return { text: typeof text === 'string' ? text : '' };
}

function readReminder(value: unknown): Chat['reminder'] {
  if (value === null) return null;
  if (typeof value !== 'object' || value === undefined) return undefined;
  const o = value as Json;
  const remindAt = optStr(o, 'remindAt');
  // A reminder without a readable time is no reminder the extension can show or sort by.
  if (!remindAt || Number.isNaN(Date.parse(remindAt))) return undefined;
  return compact({ remindAt, dismissOnIncomingMessage: optBool(o, 'dismissOnIncomingMessage') });
}

function readLevel(value: unknown): { level: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const level = (value as Json).level;
  return typeof level === 'number' && Number.isFinite(level) ? { level } : undefined;
}

function readLevels(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, number> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value as Json)) if (typeof v === 'number' && Number.isFinite(v) && n++ < 100) out[k] = v;
  return out;
}

function readAttachmentCaps(value: unknown): NonNullable<Chat['capabilities']>['attachments'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, { mimeTypes?: Record<string, number>; maxSize?: number }> = {};
  let n = 0;
  for (const [type, v] of Object.entries(value as Json)) {
    if (typeof v !== 'object' || v === null || n++ >= 20) continue;
    out[type] = compact({ mimeTypes: readLevels((v as Json).mimeTypes), maxSize: optNum(v as Json, 'maxSize') });
  }
  return out;
}

/**
 * A network's chats mostly report the same capabilities. The decoded object is shared by every
 * chat that sent the same ones (and frozen, since it is shared): 9,091 chats of one account kept
 * 9,091 copies of about 1.5 KB each, and decoding them was a third of a page's decoding.
 */
const sharedCaps = new Map<string, NonNullable<Chat['capabilities']>>();
const SHARED_CAPS_MAX = 256;
const SHARED_CAPS_KEY_MAX = 16_384;

function sharedChatCapabilities(value: unknown): Chat['capabilities'] {
  if (typeof value !== 'object' || value === null) return undefined;
  // The value came from JSON.parse (an HTTP body or a socket frame), so it serializes back.
  const key = JSON.stringify(value);
  const known = sharedCaps.get(key);
  if (known) return known;
  const caps = readChatCapabilities(value);
  if (!caps || key.length > SHARED_CAPS_KEY_MAX) return caps;
  // Bounded: a server that sends a different set per chat gets a fresh map now and then.
  if (sharedCaps.size >= SHARED_CAPS_MAX) sharedCaps.clear();
  sharedCaps.set(key, deepFreeze(caps));
  return caps;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function readChatCapabilities(value: unknown): Chat['capabilities'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  const timer = typeof o.disappearingTimer === 'object' && o.disappearingTimer !== null ? (o.disappearingTimer as Json) : undefined;
  const state = typeof o.state === 'object' && o.state !== null ? (o.state as Json) : undefined;
  return compact({
    archive: optBool(o, 'archive'),
    markAsUnread: optBool(o, 'markAsUnread'),
    maxTextLength: optNum(o, 'maxTextLength'),
    edit: optNum(o, 'edit'),
    editMaxAge: optNum(o, 'editMaxAge'),
    delete: optNum(o, 'delete'),
    deleteMaxAge: optNum(o, 'deleteMaxAge'),
    deleteForMe: optBool(o, 'deleteForMe'),
    reaction: optNum(o, 'reaction'),
    allowedReactions: Array.isArray(o.allowedReactions) ? o.allowedReactions.filter((r): r is string => typeof r === 'string').slice(0, 100) : undefined,
    readReceipts: optBool(o, 'readReceipts'),
    formatting: readLevels(o.formatting),
    attachments: readAttachmentCaps(o.attachments),
    disappearingTimer: timer
      ? compact({
          types: Array.isArray(timer.types) ? timer.types.filter((t): t is string => typeof t === 'string') : undefined,
          timers: Array.isArray(timer.timers) ? timer.timers.filter((t): t is number => typeof t === 'number' && Number.isInteger(t) && t >= 0) : undefined,
        })
      : undefined,
    state: state ? compact({ title: readLevel(state.title), disappearingTimer: readLevel(state.disappearingTimer) }) : undefined,
  });
}

function readMerge(value: unknown): { chatIDs: string[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ids = (value as Json).chatIDs;
  return Array.isArray(ids) ? { chatIDs: ids.filter((i): i is string => typeof i === 'string') } : undefined;
}

export function readStartChat(value: unknown): StartChatResult {
  const chat = readChat(value, 'body');
  const status = optStr(obj(value, 'body'), 'status');
  return status ? { ...chat, status } : chat;
}

export function readMessage(value: unknown, path = 'message'): Message {
  const o = obj(value, path);
  const mentions = o.mentions;
  return compact({
    id: str(o, 'id', path),
    chatID: str(o, 'chatID', path),
    accountID: str(o, 'accountID', path),
    senderID: str(o, 'senderID', path),
    senderName: optStr(o, 'senderName'),
    timestamp: str(o, 'timestamp', path),
    sortKey: typeof o.sortKey === 'number' ? String(o.sortKey) : str(o, 'sortKey', path),
    type: optStr(o, 'type'),
    text: optStr(o, 'text'),
    editedTimestamp: optStr(o, 'editedTimestamp'),
    isSender: optBool(o, 'isSender'),
    sendStatus: readSendStatus(o.sendStatus),
    isHidden: optBool(o, 'isHidden'),
    isDeleted: optBool(o, 'isDeleted'),
    isUnread: optBool(o, 'isUnread'),
    attachments: optList(o.attachments, readAttachment),
    linkedMessageID: optStr(o, 'linkedMessageID'),
    mentions: Array.isArray(mentions) ? mentions.filter((m): m is string => typeof m === 'string') : mentions === null ? null : undefined,
    links: optList(o.links, readLinkPreview),
    reactions: optList(o.reactions, readReaction),
    seen: readSeen(o.seen),
  });
}

/** The spec's MessageSeen: a boolean, a time, or per participant (a boolean or a time each). */
function readSeen(value: unknown): Message['seen'] {
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, boolean | string> = {};
  let n = 0;
  for (const [id, v] of Object.entries(value as Json)) {
    if ((typeof v === 'boolean' || typeof v === 'string') && n++ < 500) out[id] = v;
  }
  return out;
}

/** An optional list: items that do not fit are dropped (one odd attachment never hides a message). */
function optList<T>(value: unknown, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const v of value) {
    const read = item(v);
    if (read !== undefined) out.push(read);
  }
  return out;
}

function readSendStatus(value: unknown): SendStatus | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  if (typeof o.status !== 'string') return undefined;
  const delivered = Array.isArray(o.deliveredToUsers) ? o.deliveredToUsers.filter((u): u is string => typeof u === 'string').slice(0, 500) : undefined;
  return compact({ status: o.status, reason: optStr(o, 'reason'), message: optStr(o, 'message'), timestamp: optStr(o, 'timestamp'), deliveredToUsers: delivered });
}

function readSize(value: unknown): { width: number; height: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const w = optNum(value as Json, 'width');
  const h = optNum(value as Json, 'height');
  return w !== undefined && h !== undefined && w > 0 && h > 0 ? { width: w, height: h } : undefined;
}

function readAttachment(value: unknown): Attachment | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Json;
  return compact({
    id: optStr(o, 'id'),
    type: optStr(o, 'type') ?? 'unknown',
    srcURL: optStr(o, 'srcURL'),
    mimeType: optStr(o, 'mimeType'),
    fileName: optStr(o, 'fileName'),
    fileSize: optNum(o, 'fileSize'),
    isGif: optBool(o, 'isGif'),
    isSticker: optBool(o, 'isSticker'),
    isVoiceNote: optBool(o, 'isVoiceNote'),
    duration: optNum(o, 'duration'),
    posterImg: optStr(o, 'posterImg'),
    size: readSize(o.size),
  });
}

function readLinkPreview(value: unknown): LinkPreview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  const url = optStr(o, 'url');
  if (!url) return undefined;
  return compact({ url, title: optStr(o, 'title') ?? '', originalURL: optStr(o, 'originalURL'), summary: optStr(o, 'summary'), img: optStr(o, 'img'), favicon: optStr(o, 'favicon') });
}

function readReaction(value: unknown): Reaction | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  const reactionKey = optStr(o, 'reactionKey');
  const participantID = optStr(o, 'participantID');
  if (!reactionKey || !participantID) return undefined;
  return compact({ id: optStr(o, 'id') ?? participantID + reactionKey, reactionKey, participantID, emoji: optBool(o, 'emoji'), imgURL: optStr(o, 'imgURL') });
}

export function readSendMessage(value: unknown): SendMessageResult {
  const o = obj(value, 'body');
  return { chatID: str(o, 'chatID', 'body'), pendingMessageID: str(o, 'pendingMessageID', 'body') };
}

export function readUpload(value: unknown): UploadResult {
  const o = obj(value, 'body');
  return compact({
    uploadID: optStr(o, 'uploadID'),
    srcURL: optStr(o, 'srcURL'),
    fileName: optStr(o, 'fileName'),
    mimeType: optStr(o, 'mimeType'),
    fileSize: optNum(o, 'fileSize'),
    width: optNum(o, 'width'),
    height: optNum(o, 'height'),
    duration: optNum(o, 'duration'),
    error: optStr(o, 'error'),
  });
}

/** Reaction add/remove and other `{ success: true, ... }` answers. */
export function readSuccess(value: unknown): { success: boolean } {
  const o = obj(value, 'body');
  return { success: o.success !== false };
}

export function readPage<T>(value: unknown, item: (v: unknown, p: string) => T): Page<T> {
  const o = obj(value, 'body');
  return {
    items: arr(o, 'items', 'body', item),
    hasMore: bool(o, 'hasMore', 'body'),
    oldestCursor: optNullableStr(o, 'oldestCursor') ?? null,
    newestCursor: optNullableStr(o, 'newestCursor') ?? null,
  };
}

/** A message search page; a chat in the map that does not decode is left out, not fatal. */
export function readMessageSearch(value: unknown): MessageSearchResult {
  const page = readPage(value, readMessage);
  const o = obj(value, 'body');
  const chats: Record<string, Chat> = {};
  const map = optRecord(o, 'chats');
  if (map) {
    for (const [id, chat] of Object.entries(map)) {
      try {
        chats[id] = readChat(chat, `chats.${id.slice(0, 40)}`);
      } catch {
        // The match stays; only its chat's details are missing.
      }
    }
  }
  return { ...page, chats };
}

export function readContactSearch(value: unknown): User[] {
  return arr(obj(value, 'body'), 'items', 'body', readUser);
}

export function readServerInfo(value: unknown): ServerInfo {
  const o = obj(value, 'info');
  const app = obj(o.app, 'info.app');
  const server = obj(o.server, 'info.server');
  const endpoints = optRecord(o, 'endpoints');
  const oauth = endpoints ? optRecord(endpoints, 'oauth') : undefined;
  return compact({
    app: compact({ name: str(app, 'name', 'info.app'), version: str(app, 'version', 'info.app'), bundle_id: optStr(app, 'bundle_id') }),
    platform: optRecord(o, 'platform'),
    server: compact({
      status: optStr(server, 'status') ?? 'unknown',
      base_url: optStr(server, 'base_url') ?? '',
      port: num(server, 'port', 'info.server'),
      hostname: optStr(server, 'hostname'),
      remote_access: optBool(server, 'remote_access'),
      mcp_enabled: optBool(server, 'mcp_enabled'),
    }),
    endpoints: endpoints
      ? compact({
          oauth: oauth
            ? compact({
                authorization_endpoint: optStr(oauth, 'authorization_endpoint'),
                token_endpoint: optStr(oauth, 'token_endpoint'),
                revocation_endpoint: optStr(oauth, 'revocation_endpoint'),
                registration_endpoint: optStr(oauth, 'registration_endpoint'),
                introspection_endpoint: optStr(oauth, 'introspection_endpoint'),
                userinfo_endpoint: optStr(oauth, 'userinfo_endpoint'),
              })
            : undefined,
          spec: optStr(endpoints, 'spec'),
          mcp: optStr(endpoints, 'mcp'),
          ws_events: optStr(endpoints, 'ws_events'),
        })
      : undefined,
  });
}

export function readFocus(value: unknown): { success: boolean } {
  return { success: bool(obj(value, 'body'), 'success', 'body') };
}

/** Wraps a reader so that a shape problem becomes the client's typed error. */
export function decodeWith<T>(reader: (v: unknown) => T, route: string): (v: unknown) => T {
  return (v) => {
    try {
      return reader(v);
    } catch (e) {
      if (e instanceof ShapeError) {
        throw new BeeperApiError({
          kind: 'badResponse',
          route,
          message: `Beeper Desktop sent an answer this extension cannot read (${e.message}).`,
          hint: 'Update Beeper Desktop and this extension; if it persists, report it with the Beeper output log.',
        });
      }
      throw e;
    }
  };
}
