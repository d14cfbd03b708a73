// The Inbox: every account's chats in one list. What each filter keeps, in what order, and which
// server query reads its pages. No vscode import: the rules are unit-tested.
import type { Chat, ChatSearchParams } from '../api/types';

export type InboxFilter =
  | { kind: 'all' }
  | { kind: 'unread' }
  | { kind: 'mentions' }
  | { kind: 'dms' }
  | { kind: 'groups' }
  | { kind: 'lowPriority' }
  | { kind: 'archived' }
  | { kind: 'reminders' }
  | { kind: 'network'; network: string; accountIDs: string[] }
  | { kind: 'account'; accountID: string };

export const INBOX_ALL: InboxFilter = { kind: 'all' };

/** The model's list key of a filter's rows. */
export function inboxKey(filter: InboxFilter): string {
  switch (filter.kind) {
    case 'network':
      return `inbox:network:${filter.network}`;
    case 'account':
      return `inbox:account:${filter.accountID}`;
    default:
      return `inbox:${filter.kind}`;
  }
}

/** A filter as kept across reloads (JSON); anything unreadable is "All". */
export function readFilter(value: unknown): InboxFilter {
  if (typeof value !== 'object' || value === null) return INBOX_ALL;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'all':
    case 'unread':
    case 'mentions':
    case 'dms':
    case 'groups':
    case 'lowPriority':
    case 'archived':
    case 'reminders':
      return { kind: v.kind };
    case 'network':
      return typeof v.network === 'string' && Array.isArray(v.accountIDs) && v.accountIDs.every((a) => typeof a === 'string')
        ? { kind: 'network', network: v.network, accountIDs: v.accountIDs }
        : INBOX_ALL;
    case 'account':
      return typeof v.accountID === 'string' ? { kind: 'account', accountID: v.accountID } : INBOX_ALL;
    default:
      return INBOX_ALL;
  }
}

export function isUnread(chat: Chat): boolean {
  return chat.unreadCount > 0 || chat.isMarkedUnread === true;
}

/** Epoch ms of the chat's reminder, or undefined. */
export function reminderAt(chat: Chat): number | undefined {
  const at = chat.reminder ? Date.parse(chat.reminder.remindAt) : NaN;
  return Number.isFinite(at) ? at : undefined;
}

/** A reminder that has come due: the chat sits on top, with ⏰, until it is opened. */
export function reminderDue(chat: Chat, now: number): boolean {
  const at = reminderAt(chat);
  return at !== undefined && at <= now;
}

function inPrimary(chat: Chat): boolean {
  return !chat.isArchived && !chat.isLowPriority;
}

/** Whether a chat is a row of the Inbox under this filter. */
export function inboxMatches(chat: Chat, filter: InboxFilter): boolean {
  if (chat.mergedIntoChatID) return false;
  switch (filter.kind) {
    case 'all':
      return inPrimary(chat);
    case 'unread':
      return isUnread(chat) && !chat.isArchived;
    case 'mentions':
      return (chat.unreadMentionsCount ?? 0) > 0 && !chat.isArchived;
    case 'dms':
      return chat.type === 'single' && inPrimary(chat);
    case 'groups':
      return chat.type === 'group' && inPrimary(chat);
    case 'lowPriority':
      return chat.isLowPriority === true && !chat.isArchived;
    case 'archived':
      return chat.isArchived === true;
    case 'reminders':
      return reminderAt(chat) !== undefined;
    case 'network':
      return filter.accountIDs.includes(chat.accountID) && inPrimary(chat);
    case 'account':
      return chat.accountID === filter.accountID && inPrimary(chat);
  }
}

/** Epoch ms of a chat's last activity (0 when unknown), parsed once per timestamp string. */
const activities = new WeakMap<Chat, { of: string | undefined; at: number }>();
export function activity(chat: Chat): number {
  const known = activities.get(chat);
  if (known && known.of === chat.lastActivity) return known.at;
  const t = chat.lastActivity ? Date.parse(chat.lastActivity) : 0;
  const at = Number.isNaN(t) ? 0 : t;
  activities.set(chat, { of: chat.lastActivity, at });
  return at;
}

/** What the Inbox's order looks at, read from a chat once. */
interface OrderKey {
  chat: Chat;
  /** The reminder's time, when it has come due. */
  due: number | undefined;
  reminder: number | undefined;
  pinned: boolean;
  at: number;
}

function orderKey(chat: Chat, now: number): OrderKey {
  const reminder = reminderAt(chat);
  return { chat, reminder, due: reminder !== undefined && reminder <= now ? reminder : undefined, pinned: chat.isPinned === true, at: activity(chat) };
}

const byID = (a: Chat, b: Chat) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function compareKeys(filter: InboxFilter): (a: OrderKey, b: OrderKey) => number {
  if (filter.kind === 'reminders') return (a, b) => (a.reminder ?? Infinity) - (b.reminder ?? Infinity) || byID(a.chat, b.chat);
  return (a, b) => {
    if (a.due !== undefined || b.due !== undefined) {
      if (a.due === undefined) return 1;
      if (b.due === undefined) return -1;
      if (a.due !== b.due) return b.due - a.due;
    }
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    return b.at - a.at || byID(a.chat, b.chat);
  };
}

/**
 * The Inbox's order: due reminders first (soonest due first), then pinned chats, then newest
 * activity first; ties by ID. Under "Reminders": soonest reminder first.
 */
export function inboxCompare(filter: InboxFilter, now: number): (a: Chat, b: Chat) => number {
  const compare = compareKeys(filter);
  return (a, b) => compare(orderKey(a, now), orderKey(b, now));
}

/** The chats in the Inbox's order; each chat's times are read once, not once per comparison. */
export function inboxSorted(filter: InboxFilter, now: number, chats: readonly Chat[]): Chat[] {
  const keys = chats.map((c) => orderKey(c, now));
  keys.sort(compareKeys(filter));
  return keys.map((k) => k.chat);
}

/** The server query of a filter's pages: as narrow as the API allows; the rest is `inboxMatches`. */
export function inboxQuery(filter: InboxFilter): ChatSearchParams {
  switch (filter.kind) {
    case 'all':
      return { inbox: 'primary' };
    case 'unread':
      return { unreadOnly: true };
    case 'mentions':
      return { unreadOnly: true };
    case 'dms':
      return { inbox: 'primary', type: 'single' };
    case 'groups':
      return { inbox: 'primary', type: 'group' };
    case 'lowPriority':
      return { inbox: 'low-priority' };
    case 'archived':
      return { inbox: 'archive' };
    case 'reminders':
      return {};
    case 'network':
      return { inbox: 'primary', accountIDs: filter.accountIDs };
    case 'account':
      return { inbox: 'primary', accountIDs: [filter.accountID] };
  }
}

/** Filters the server cannot narrow enough: their pages are read on until enough rows match. */
export function isSparse(filter: InboxFilter): boolean {
  return filter.kind === 'mentions' || filter.kind === 'reminders';
}

/** The soonest reminder still to come among these chats (epoch ms), to re-sort when it comes due. */
export function nextReminder(chats: Iterable<Chat>, now: number): number | undefined {
  let next: number | undefined;
  for (const chat of chats) {
    const at = reminderAt(chat);
    if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
  }
  return next;
}
