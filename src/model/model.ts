// The one model of what Beeper Desktop has: bridges and accounts, chats by ID, each chat list's
// loaded rows (in order), and unread counts. HTTP pages, socket events and polling write to it
// (through the loader and the live service); the tree, the status bar, panels, commands and tools
// read from it and listen to its change events. No vscode import: the reducers are unit-tested.
//
// Where does a chat's unread count come from? `unreadTotal` below: the sum over `unread`, which
// holds every non-muted chat known to have unread messages. It is seeded by one "unread chats"
// search and kept current by every chat the model hears about (pages, events, polls).
import type { Account, Chat, Message } from '../api/types';
import { Emitter } from './emitter';
import { activity, inboxCompare, inboxKey, inboxMatches, inboxSorted, type InboxFilter } from './inbox';

/** Which of an account's chat lists: every chat, the inbox, or a folder. */
export type ChatListKind = 'all' | 'primary' | 'low-priority' | 'archive';

/** Bridges grouped with their accounts, as the tree shows them. */
export interface BridgeGroup {
  id: string;
  displayName: string;
  provider?: string;
  status?: string;
  statusText?: string;
  accounts: Account[];
  /** Built from accounts because GET /v1/bridges is missing (older Beeper Desktop). */
  fallback: boolean;
}

export type ModelChange =
  /** Bridges and accounts were (re)loaded. */
  | { kind: 'accounts' }
  /** A list's rows changed: added, removed or reordered. */
  | { kind: 'list'; key: string }
  /** A chat's content changed (its row and open panel redraw in place). */
  | { kind: 'chat'; id: string }
  | { kind: 'chatDeleted'; id: string }
  | { kind: 'unread'; total: number }
  /**
   * Messages of one chat changed, as the change came (a socket event, a send's answer, a poll):
   * `ids` names what changed (for a send, the pending ID, with the final message as its entry).
   * Open panels apply it at once.
   */
  | { kind: 'messages'; chatID: string; change: 'upserted' | 'deleted'; ids: string[]; messages: Message[] }
  /** New messages of a chat, told once the chat itself is current in the model (muted, direct…): notifications. */
  | { kind: 'arrived'; chatID: string; messages: Message[] }
  /** Everything was forgotten (another server or token, or a full refresh). */
  | { kind: 'reset' };

export interface ChatListState {
  readonly key: string;
  readonly accountID: string;
  readonly list: ChatListKind;
  ids: string[];
  /** More rows exist past the loaded ones (Load more…). */
  hasMore: boolean;
  /** An Inbox list (every account, one filter); `accountID` is empty then. */
  readonly inbox?: InboxFilter;
}

export function chatListKey(accountID: string, list: ChatListKind): string {
  return `${list}:${accountID}`;
}

/** Whether a chat is a row of a list: its account, its folder, and not merged into another. */
export function belongsTo(chat: Chat, list: { accountID: string; list: ChatListKind; inbox?: InboxFilter }): boolean {
  if (list.inbox) return inboxMatches(chat, list.inbox);
  if (chat.accountID !== list.accountID || chat.mergedIntoChatID) return false;
  switch (list.list) {
    case 'all':
      return true;
    case 'primary':
      return !chat.isArchived && !chat.isLowPriority;
    case 'archive':
      return chat.isArchived === true;
    case 'low-priority':
      return chat.isLowPriority === true;
  }
}

/** Newest activity first, ties by ID: the order Beeper Desktop lists chats in. */
export function newerFirst(a: Chat, b: Chat): number {
  return activity(b) - activity(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A change made here before the server confirmed it (a triage verb): the fields it set. A read
 * that was on its way before the change was settled answers with the chat as it was, so until a
 * read taken after it lands, those fields win over what reads say.
 */
export interface LocalEdit {
  readonly chatID: string;
  readonly fields: Partial<Chat>;
  /** The read mark when the server answered the change (none while it is on its way). */
  settledAt?: number;
  settledTime?: number;
}

/** How long a settled change guards its fields at most (the longest a read can be on its way). */
export const EDIT_GUARD_MS = 120_000;
/** Deleted chats remembered so that a read already on its way cannot bring them back. */
const DELETED_KEPT = 1000;

export class BeeperModel {
  private readonly changed = new Emitter<ModelChange>();
  readonly onDidChange = this.changed.event;

  private groupsValue: BridgeGroup[] = [];
  private accountsKnown = false;
  bridgesSupported = true;
  private readonly chatsById = new Map<string, Chat>();
  private readonly lists = new Map<string, ChatListState>();
  /** Non-muted chats with unread messages, and how many. */
  private readonly unread = new Map<string, number>();
  private lastUnreadTotal = 0;
  /** Counts read marks and settled edits: a read with a lower mark started before the edit was settled. */
  private clock = 0;
  private readonly edits = new Map<string, LocalEdit[]>();
  /** Per chat, the mark of the read (or answer) the held chat came from. */
  private readonly readAt = new Map<string, number>();
  /**
   * Per deleted chat, the clock when it was deleted: a read that started before (a page, a poll,
   * the unread snapshot on its way) must not bring it back. The newest DELETED_KEPT are kept.
   */
  private readonly deletedAt = new Map<string, number>();

  // ---- reading ------------------------------------------------------------------------------

  get groups(): readonly BridgeGroup[] {
    return this.groupsValue;
  }

  get accountsLoaded(): boolean {
    return this.accountsKnown;
  }

  get accounts() {
    return this.groupsValue.flatMap((g) => g.accounts);
  }

  knowsAccount(accountID: string): boolean {
    return this.groupsValue.some((g) => g.accounts.some((a) => a.accountID === accountID));
  }

  chat(id: string): Chat | undefined {
    return this.chatsById.get(id);
  }

  /** Every chat the model holds (those in loaded lists, and those opened or read). */
  knownChats(): IterableIterator<Chat> {
    return this.chatsById.values();
  }

  list(key: string): ChatListState | undefined {
    return this.lists.get(key);
  }

  /** The lists with rows loaded: what a poll or a reconnect re-reads. */
  loadedLists(): ChatListState[] {
    return [...this.lists.values()];
  }

  /** Unread messages over every non-muted chat: the view's badge. */
  get unreadTotal(): number {
    let total = 0;
    for (const n of this.unread.values()) total += n;
    return total;
  }

  // ---- writing (reducers) -------------------------------------------------------------------

  /**
   * Taken just before a read is sent, and handed back with what it answered (`readAt`). Reads can
   * land out of order: a chat from a read that started before the one the model last took for
   * it is older, and is not taken; and a read that started before a local change was settled
   * cannot undo it. A write without a mark is an answer to one of ours: the server's word now.
   */
  readMark(): number {
    return ++this.clock;
  }

  /** A local change is on its way to the server: its fields win over reads until it is settled and read back. */
  beginEdit(chatID: string, fields: Partial<Chat>): LocalEdit {
    const edit: LocalEdit = { chatID, fields };
    const list = this.edits.get(chatID);
    if (list) list.push(edit);
    else this.edits.set(chatID, [edit]);
    return edit;
  }

  /** The server answered the change: done (reads from now on are its word) or failed (forgotten). */
  settleEdit(edit: LocalEdit, ok: boolean, now = Date.now()): void {
    if (ok) {
      edit.settledAt = ++this.clock;
      edit.settledTime = now;
      return;
    }
    const list = this.edits.get(edit.chatID);
    if (!list) return;
    const rest = list.filter((e) => e !== edit);
    if (rest.length) this.edits.set(edit.chatID, rest);
    else this.edits.delete(edit.chatID);
  }

  /** Local changes still guarding a chat (tests read it). */
  editsOf(chatID: string): readonly LocalEdit[] {
    return this.edits.get(chatID) ?? [];
  }

  /**
   * The chat to keep from what a read (or an answer, or a local change) gave: the one already
   * held when the read is older than it, else the given one with the fields of local changes the
   * read cannot know about.
   */
  private incoming(chat: Chat, from: number | 'local' | undefined, now = Date.now()): Chat {
    if (from === 'local') return this.withEdits(chat, undefined, now);
    // The server's word now (an event, an answer to a write) or a read from after the deletion: it exists again.
    this.deletedAt.delete(chat.id);
    const held = this.chatsById.get(chat.id);
    if (from !== undefined && held && from < (this.readAt.get(chat.id) ?? 0)) return held;
    const at = from ?? ++this.clock;
    this.readAt.set(chat.id, at);
    return this.withEdits(chat, at, now);
  }

  private withEdits(chat: Chat, at: number | undefined, now: number): Chat {
    const list = this.edits.get(chat.id);
    if (!list) return chat;
    let out = chat;
    const keep: LocalEdit[] = [];
    for (const edit of list) {
      const settled = edit.settledAt !== undefined;
      // Settled, and either read back since or old enough that no read from before is still on its way.
      if (settled && ((at !== undefined && at > edit.settledAt!) || now - edit.settledTime! > EDIT_GUARD_MS)) continue;
      keep.push(edit);
      out = { ...out, ...edit.fields };
    }
    if (keep.length) this.edits.set(chat.id, keep);
    else this.edits.delete(chat.id);
    return out;
  }

  private incomingAll(chats: readonly Chat[], from: number | undefined): readonly Chat[] {
    const now = Date.now();
    return chats.filter((c) => !this.deletedSince(c.id, from)).map((c) => this.incoming(c, from, now));
  }

  /** True when the chat was deleted after a read with this mark started: the read is stale for it. */
  private deletedSince(id: string, from: number | 'local' | undefined): boolean {
    if (typeof from !== 'number') return false;
    const at = this.deletedAt.get(id);
    return at !== undefined && from < at;
  }

  setAccounts(groups: BridgeGroup[], bridgesSupported: boolean): void {
    this.groupsValue = groups;
    this.bridgesSupported = bridgesSupported;
    this.accountsKnown = true;
    this.changed.fire({ kind: 'accounts' });
  }

  /** A page of a list arrived: the first (replacing what was loaded) or the next (appended). */
  setListPage(accountID: string, list: ChatListKind, chats: readonly Chat[], options: { append: boolean; hasMore: boolean; readAt?: number }): void {
    this.takePage({ key: chatListKey(accountID, list), accountID, list }, chats, options);
  }

  /**
   * A fresh first page of a list that is already loaded (a poll, a reconnect): its rows replace
   * the loaded rows they cover, and rows loaded with "Load more…" that are older stay.
   */
  mergeFirstPage(accountID: string, list: ChatListKind, page: readonly Chat[], hasMore: boolean, readAt?: number): void {
    const key = chatListKey(accountID, list);
    const state = this.lists.get(key);
    if (!state) return this.setListPage(accountID, list, page, { append: false, hasMore, readAt });
    const chats = this.incomingAll(page, readAt);
    const fresh = chats.filter((c) => belongsTo(c, state));
    for (const chat of chats) this.store(chat);
    const freshIDs = new Set(fresh.map((c) => c.id));
    const oldest = fresh[fresh.length - 1];
    const older = oldest ? state.ids.filter((id) => !freshIDs.has(id) && this.isOlder(id, oldest)) : [];
    const next = [...fresh.map((c) => c.id), ...(hasMore ? older : [])];
    const before = state.ids;
    state.ids = next;
    state.hasMore = hasMore || (older.length > 0 && state.hasMore);
    if (!sameIDs(before, next)) this.changed.fire({ kind: 'list', key });
    for (const chat of fresh) this.changed.fire({ kind: 'chat', id: chat.id });
    this.fireUnread();
  }

  /**
   * A page of an Inbox list (every account under one filter): the first replaces the rows, the
   * next is appended; the rows are kept in the Inbox's order (due reminders, pinned, newest).
   */
  setInboxPage(filter: InboxFilter, chats: readonly Chat[], options: { append: boolean; hasMore: boolean; readAt?: number }): void {
    this.takePage({ key: inboxKey(filter), accountID: '', list: 'all', inbox: filter }, chats, options);
  }

  /** A page of any list: the first replaces its rows, the next is appended; an Inbox list keeps its order. */
  private takePage(list: Omit<ChatListState, 'ids' | 'hasMore'>, page: readonly Chat[], options: { append: boolean; hasMore: boolean; readAt?: number }): void {
    const chats = this.incomingAll(page, options.readAt);
    let state = this.lists.get(list.key);
    if (!state || !options.append) {
      state = { ...list, ids: [], hasMore: options.hasMore };
      this.lists.set(list.key, state);
    }
    const seen = new Set(state.ids);
    for (const chat of chats) {
      this.store(chat);
      if (!seen.has(chat.id) && belongsTo(chat, state)) {
        state.ids.push(chat.id);
        seen.add(chat.id);
      }
    }
    this.sortList(state);
    state.hasMore = options.hasMore;
    this.changed.fire({ kind: 'list', key: state.key });
    this.fireUnread();
  }

  /** A fresh first page of a loaded Inbox list (a poll, a reconnect); older loaded rows stay. */
  mergeInboxFirstPage(filter: InboxFilter, page: readonly Chat[], hasMore: boolean, readAt?: number): void {
    const key = inboxKey(filter);
    const state = this.lists.get(key);
    if (!state) return this.setInboxPage(filter, page, { append: false, hasMore, readAt });
    const chats = this.incomingAll(page, readAt);
    for (const chat of chats) this.store(chat);
    const fresh = chats.filter((c) => belongsTo(c, state));
    const freshIDs = new Set(fresh.map((c) => c.id));
    const oldest = [...chats].sort(newerFirst)[chats.length - 1];
    // Rows not in the fresh page stay only when they are older than it (a page loaded with "Load more…").
    const kept = state.ids.filter((id) => {
      if (freshIDs.has(id)) return false;
      const chat = this.chatsById.get(id);
      return chat !== undefined && belongsTo(chat, state) && hasMore && oldest !== undefined && newerFirst(chat, oldest) > 0;
    });
    const before = state.ids;
    state.ids = [...fresh.map((c) => c.id), ...kept];
    this.sortList(state);
    state.hasMore = hasMore || (kept.length > 0 && state.hasMore);
    if (!sameIDs(before, state.ids)) this.changed.fire({ kind: 'list', key });
    for (const chat of fresh) this.changed.fire({ kind: 'chat', id: chat.id });
    this.fireUnread();
  }

  /** Time moved on: Inbox lists whose order depends on it (a reminder came due) are sorted again. */
  resortInboxes(): void {
    for (const state of this.lists.values()) {
      if (!state.inbox) continue;
      const before = state.ids;
      this.sortList(state);
      if (!sameIDs(before, state.ids)) this.changed.fire({ kind: 'list', key: state.key });
    }
  }

  /**
   * One chat as it is now (an event, a poll, an answer to an action). Its row moves to its place
   * in every loaded list it belongs to, leaves the ones it no longer does, and the unread total
   * follows. Returns false when the chat's account is unknown (the caller re-reads accounts).
   * `from`: the read's mark when the chat comes from a read (see `readMark`), 'local' for a
   * change made here before the server has it, nothing for the server's answer to a write.
   */
  upsertChat(given: Chat, from?: number | 'local'): boolean {
    if (this.deletedSince(given.id, from)) return true;
    const chat = this.incoming(given, from);
    this.store(chat);
    for (const state of this.lists.values()) {
      if (this.place(state, chat)) this.changed.fire({ kind: 'list', key: state.key });
    }
    // A merged chat's parts are listed under it from now on.
    for (const mergedID of chat.merge?.chatIDs ?? []) {
      if (mergedID !== chat.id) this.removeFromLists(mergedID);
    }
    this.changed.fire({ kind: 'chat', id: chat.id });
    this.fireUnread();
    return !this.accountsKnown || this.knowsAccount(chat.accountID);
  }

  /** A message change as it comes (see the `messages` change). */
  messageEvent(chatID: string, change: 'upserted' | 'deleted', ids: string[], messages: Message[]): void {
    this.changed.fire({ kind: 'messages', chatID, change, ids, messages });
  }

  /** New messages, once their chat is current in the model (see the `arrived` change). */
  messagesArrived(chatID: string, messages: Message[]): void {
    if (messages.length) this.changed.fire({ kind: 'arrived', chatID, messages });
  }

  deleteChat(id: string): void {
    const known = this.chatsById.delete(id);
    this.readAt.delete(id);
    this.deletedAt.delete(id);
    this.deletedAt.set(id, ++this.clock);
    if (this.deletedAt.size > DELETED_KEPT) this.deletedAt.delete(this.deletedAt.keys().next().value!);
    this.unread.delete(id);
    const listed = this.removeFromLists(id);
    if (known || listed) this.changed.fire({ kind: 'chatDeleted', id });
    this.fireUnread();
  }

  /** The answer of the "unread chats" search: every non-muted chat with unread messages. */
  setUnreadSnapshot(chats: Iterable<Chat>, readAt?: number): void {
    this.unread.clear();
    const now = Date.now();
    for (const chat of chats) if (!this.deletedSince(chat.id, readAt)) this.store(this.incoming(chat, readAt, now));
    this.fireUnread(true);
  }

  /** A list is reloaded from scratch by the next read (Retry on its error row). */
  forgetList(key: string): void {
    this.lists.delete(key);
  }

  /** Lists and chats forgotten (a refresh or a settings change); accounts stay. */
  clearChats(): void {
    this.lists.clear();
    this.chatsById.clear();
    this.readAt.clear();
    this.unread.clear();
    this.changed.fire({ kind: 'reset' });
    this.fireUnread();
  }

  /** Everything forgotten: another server or token. */
  reset(): void {
    this.edits.clear();
    this.deletedAt.clear();
    this.groupsValue = [];
    this.accountsKnown = false;
    this.bridgesSupported = true;
    this.clearChats();
  }

  dispose(): void {
    this.changed.dispose();
  }

  // ---- internals ----------------------------------------------------------------------------

  private store(chat: Chat): void {
    chat = compactChat(chat);
    this.chatsById.set(chat.id, chat);
    if (chat.unreadCount > 0 && !chat.isMuted && !chat.mergedIntoChatID) this.unread.set(chat.id, chat.unreadCount);
    else this.unread.delete(chat.id);
  }

  /** Puts the chat where it belongs in one list; true when the list's rows changed. */
  private place(state: ChatListState, chat: Chat): boolean {
    const index = state.ids.indexOf(chat.id);
    if (!belongsTo(chat, state)) {
      if (index < 0) return false;
      state.ids.splice(index, 1);
      return true;
    }
    const rest = index >= 0 ? [...state.ids.slice(0, index), ...state.ids.slice(index + 1)] : state.ids;
    const compare = state.inbox ? inboxCompare(state.inbox, Date.now()) : newerFirst;
    // The rows are in order: the first row the chat goes before, by halving (10,000 rows: 14 looks).
    let at = 0;
    let end = rest.length;
    while (at < end) {
      const mid = (at + end) >>> 1;
      const other = this.chatsById.get(rest[mid]!);
      if (!other || compare(chat, other) < 0) end = mid;
      else at = mid + 1;
    }
    // Older than every loaded row while more exist: it belongs to a page not loaded yet.
    if (at === rest.length && state.hasMore && index < 0) return false;
    if (at === index) return false;
    state.ids = [...rest.slice(0, at), chat.id, ...rest.slice(at)];
    return true;
  }

  private sortList(state: ChatListState): void {
    if (!state.inbox) return;
    const chats = state.ids.map((id) => this.chatsById.get(id)).filter((c): c is Chat => c !== undefined);
    state.ids = inboxSorted(state.inbox, Date.now(), chats).map((c) => c.id);
  }

  private removeFromLists(id: string): boolean {
    let removed = false;
    for (const state of this.lists.values()) {
      const index = state.ids.indexOf(id);
      if (index >= 0) {
        state.ids.splice(index, 1);
        removed = true;
        this.changed.fire({ kind: 'list', key: state.key });
      }
    }
    return removed;
  }

  private isOlder(id: string, than: Chat): boolean {
    const chat = this.chatsById.get(id);
    return chat !== undefined && newerFirst(chat, than) > 0;
  }

  private fireUnread(force = false): void {
    const total = this.unreadTotal;
    if (!force && total === this.lastUnreadTotal) return;
    this.lastUnreadTotal = total;
    this.changed.fire({ kind: 'unread', total });
  }
}

/** Participants a chat keeps in the model: enough for a row (the other person of a direct chat, a few of a group). */
export const MODEL_PARTICIPANTS = 4;

/**
 * The chat as the model keeps it: every field, but at most a few participants (a panel that shows
 * them reads its own list). 10,000 chats with 20 participants each would otherwise hold 200,000.
 */
export function compactChat(chat: Chat): Chat {
  const p = chat.participants;
  if (p.items.length <= MODEL_PARTICIPANTS) return chat;
  const others = p.items.filter((x) => !x.isSelf);
  const self = p.items.filter((x) => x.isSelf);
  return { ...chat, participants: { items: [...others, ...self].slice(0, MODEL_PARTICIPANTS), hasMore: true, total: Math.max(p.total, p.items.length) } };
}

function sameIDs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
