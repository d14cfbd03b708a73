// A message as the chat page shows it (ViewMessage): who, when, what, with reactions worded and
// attachments described. Pure: no vscode, no I/O. Message HTML passes through unchanged; the page
// sanitizes it. Hidden messages have no view.
import { linkTarget } from './sanitizeRules';
import type { Attachment, ChatCapabilities, Message } from '../api/types';
import { displayText } from './html';
import type { ViewAttachment, ViewMessage, ViewReaction } from './protocol';
import { isLocal } from '../model/conversation';
import { formatBytes } from '../text/format';

export interface ViewContext {
  selfIDs: ReadonlySet<string>;
  /** Display names by participant ID (for reactions). */
  names: ReadonlyMap<string, string>;
  /** Usable avatar URLs by participant ID. */
  avatars?: ReadonlyMap<string, string>;
  /** The message a reply quotes, when known. */
  quoted(id: string): Message | undefined;
  /** A ready image's URL in the page, by asset key. */
  assetSrc(key: string): string | undefined;
  remoteImages: boolean;
  t: (message: string, ...args: Array<string | number>) => string;
  /** The chat's capabilities: what edit, delete and receipts allow (absent: as before, no limits known). */
  caps?: ChatCapabilities;
  /** Now (epoch ms), for the edit and delete time limits. */
  now?: number;
}

/** Whether a capability level allows an action: absent means the network did not say (allowed). */
function allowed(level: number | undefined): boolean {
  return level === undefined || level > 0;
}

/** Within a time limit in seconds from the message's time (no limit: always). */
function within(m: Message, maxAgeSeconds: number | undefined, now: number): boolean {
  if (maxAgeSeconds === undefined || maxAgeSeconds <= 0) return true;
  const at = Date.parse(m.timestamp);
  return !Number.isFinite(at) || now - at <= maxAgeSeconds * 1000;
}

/**
 * The receipt of one of the user's own messages: delivered (sendStatus.deliveredToUsers) or read
 * (`seen`), by whom in groups (names) and when in direct chats. Nothing when the network does not
 * report receipts, or reports none yet: never a guess.
 */
export function receiptOf(m: Message, ctx: Pick<ViewContext, 'names' | 'caps' | 't'>): ViewMessage['receipt'] {
  if (!m.isSender || m.isDeleted || ctx.caps?.readReceipts === false) return undefined;
  const seen = m.seen;
  if (seen === true) return { state: 'read', text: ctx.t('Read') };
  if (typeof seen === 'string' && Number.isFinite(Date.parse(seen))) return { state: 'read', text: ctx.t('Read'), at: new Date(Date.parse(seen)).toISOString() };
  if (seen && typeof seen === 'object') {
    const readers = Object.entries(seen).filter(([, v]) => v === true || (typeof v === 'string' && Number.isFinite(Date.parse(v)))).map(([id]) => id);
    if (readers.length) {
      const names = readers.slice(0, 3).map((id) => displayText(ctx.names.get(id) ?? id, 60));
      const more = readers.length - names.length;
      return { state: 'read', text: more > 0 ? ctx.t('Read by {0} and {1} more', names.join(', '), more) : ctx.t('Read by {0}', names.join(', ')) };
    }
  }
  if (m.sendStatus?.deliveredToUsers?.length) return { state: 'delivered', text: ctx.t('Delivered') };
  if (m.sendStatus?.status === 'SUCCESS') return { state: 'sent', text: ctx.t('Sent') };
  return undefined;
}

/** Text longer than this is cut before it reaches the page (the API allows far more than a screen). */
export const MAX_HTML_CHARS = 100_000;

export function viewOf(m: Message, ctx: ViewContext): ViewMessage | undefined {
  if (m.isHidden) return undefined;
  const t = ctx.t;
  const mine = !!m.isSender;
  const send = sendView(m, t);
  const view: ViewMessage = {
    id: m.id,
    sortKey: m.sortKey,
    senderID: m.senderID,
    sender: displayText(m.senderName || ctx.names.get(m.senderID) || m.senderID, 200),
    mine,
    time: isoOr(m.timestamp),
    // The network's word: edit and delete only where its capabilities allow, within its time limits.
    canEdit: mine && !m.isDeleted && !!m.text && !isLocal(m.id) && !send && allowed(ctx.caps?.edit) && within(m, ctx.caps?.editMaxAge, ctx.now ?? Date.now()),
    canDelete: !m.isDeleted && !isLocal(m.id) && !send && (ctx.caps ? (mine && allowed(ctx.caps.delete) && within(m, ctx.caps.deleteMaxAge, ctx.now ?? Date.now())) || ctx.caps.deleteForMe === true : true),
  };
  const receipt = send ? undefined : receiptOf(m, ctx);
  if (receipt) view.receipt = receipt;
  if (m.editedTimestamp) view.edited = isoOr(m.editedTimestamp);
  if (m.isDeleted) view.deleted = true;
  if (m.type === 'NOTICE') view.notice = true;
  if (m.text && !m.isDeleted) view.html = m.text.length > MAX_HTML_CHARS ? m.text.slice(0, MAX_HTML_CHARS) : m.text;
  const avatar = ctx.avatars?.get(m.senderID);
  if (avatar) view.avatar = avatar;
  if (!m.isDeleted && m.attachments?.length) view.attachments = m.attachments.map((a, i) => attachmentView(a, i, ctx));
  if (!m.isDeleted && m.links?.length) {
    // A preview's URL passes the same check as a link in the text: http(s) only.
    view.links = m.links.filter((l) => typeof l.url === 'string' && linkTarget(l.url)).slice(0, 3).map((l) => ({
      url: l.url,
      title: displayText(l.title, 300),
      summary: l.summary ? displayText(l.summary, 500) : undefined,
      img: ctx.remoteImages && l.img && /^https:\/\//i.test(l.img) ? l.img : undefined,
    }));
  }
  if (!m.isDeleted && m.reactions?.length) view.reactions = reactionsView(m, ctx);
  if (m.linkedMessageID) {
    const q = ctx.quoted(m.linkedMessageID);
    view.replyTo = q
      ? { id: q.id, sender: displayText(q.isSender ? t('You') : q.senderName || ctx.names.get(q.senderID) || q.senderID, 200), html: q.isDeleted ? undefined : q.text?.slice(0, 4000) }
      : { id: m.linkedMessageID, missing: true };
  }
  if (send) view.send = send;
  return view;
}

function sendView(m: Message, t: ViewContext['t']): ViewMessage['send'] {
  if (!m.isSender || !m.sendStatus) return isLocal(m.id) ? { state: 'pending' } : undefined;
  const status = m.sendStatus.status;
  if (status === 'PENDING') return { state: 'pending' };
  if (status === 'FAIL_RETRIABLE' || status === 'FAIL_PERMANENT') {
    return { state: 'failed', reason: displayText(m.sendStatus.message || m.sendStatus.reason || t('the network did not accept it'), 300) };
  }
  return undefined;
}

function isoOr(value: string): string {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : new Date(0).toISOString();
}


/** The key an attachment's bytes are cached and announced under. */
export function assetKeyOf(a: Attachment): string | undefined {
  const url = a.id || a.srcURL;
  return url && /^(mxc|localmxc|file):\/\//i.test(url) ? url : undefined;
}

function attachmentView(a: Attachment, index: number, ctx: ViewContext): ViewAttachment {
  const kind: ViewAttachment['kind'] = a.isSticker ? 'sticker' : a.type === 'img' ? 'image' : a.type === 'video' ? 'video' : a.type === 'audio' ? 'audio' : 'file';
  const type = a.mimeType ? displayText(a.mimeType.split('/')[1]?.toUpperCase() ?? a.mimeType, 40) : undefined;
  const detail = [formatBytes(a.fileSize), type, a.duration ? `${Math.round(a.duration)} s` : undefined].filter(Boolean).join(' · ');
  const view: ViewAttachment = { kind, index, name: displayText(a.fileName || ctx.t('Attachment'), 200), detail };
  if (a.size) {
    view.width = a.size.width;
    view.height = a.size.height;
  }
  const key = assetKeyOf(a);
  // Images show inline; stickers, like video, audio and files, get a card.
  if (kind === 'image' && key) {
    view.assetKey = key;
    const src = ctx.assetSrc(key);
    if (src) view.src = src;
  }
  return view;
}

function reactionsView(m: Message, ctx: ViewContext): ViewReaction[] {
  const byKey = new Map<string, { people: string[]; mine: boolean }>();
  for (const r of m.reactions ?? []) {
    const entry = byKey.get(r.reactionKey) ?? { people: [], mine: false };
    const self = ctx.selfIDs.has(r.participantID);
    if (self) entry.mine = true;
    entry.people.push(self ? ctx.t('you') : displayText(ctx.names.get(r.participantID) ?? r.participantID, 100));
    byKey.set(r.reactionKey, entry);
  }
  return [...byKey].slice(0, 20).map(([key, e]) => ({ key: displayText(key, 32), count: e.people.length, mine: e.mine, who: whoText(e.people, ctx.t) }));
}

export function whoText(people: string[], t: ViewContext['t']): string {
  if (people.length <= 1) return people[0] ?? '';
  if (people.length > 6) return t('{0} and {1} others', people.slice(0, 5).join(', '), people.length - 5);
  return t('{0} and {1}', people.slice(0, -1).join(', '), people[people.length - 1]!);
}
