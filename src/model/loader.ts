// Reads from Beeper Desktop into the model: bridges and accounts, chat list pages (first page
// once, further pages with the cursor), single chats, the unread snapshot, and "everything that
// is on screen again" after a reconnect or on a poll. Requests asked for twice at once are sent
// once. No vscode import; errors are thrown to the caller (a view shows them, a poll logs them).
import type { BeeperClient } from '../api/client';
import { BeeperApiError } from '../api/errors';
import type { Chat, ProvisioningCapabilities } from '../api/types';
import { Pager } from './pager';
import { groupsFromAccounts, groupsFromBridges } from './labels';
import { chatListKey, type BeeperModel, type ChatListKind } from './model';
import { inboxKey, inboxMatches, inboxQuery, isSparse, type InboxFilter } from './inbox';

export interface LoaderSettings {
  pageSize: number;
}

/** A sparse Inbox filter reads at most this many pages per Load more…, stopping at SPARSE_ROWS matches. */
const SPARSE_PAGES = 10;
const SPARSE_ROWS = 20;

/** At 200 chats a page, enough for 4,000 unread chats; beyond that the badge is a lower bound. */
const MAX_UNREAD_PAGES = 20;

export class ModelLoader {
  private accountsInFlight: Promise<void> | undefined;
  private unreadInFlight: Promise<void> | undefined;
  private unreadLoaded = false;
  private readonly pagers = new Map<string, Pager<Chat>>();
  /** Bridge capabilities, read once per bridge (they describe the network, not the moment). */
  private readonly caps = new Map<string, Promise<ProvisioningCapabilities | undefined>>();
  /** Chats shown in panels: re-read with the rest of the screen. */
  private readonly watched = new Map<string, number>();

  constructor(
    private readonly model: BeeperModel,
    private readonly client: () => Promise<BeeperClient>,
    private readonly settings: () => LoaderSettings,
  ) {}

  // ---- accounts -----------------------------------------------------------------------------

  /** Bridges and accounts, read once; later calls share the answer until `reloadAccounts`. */
  ensureAccounts(): Promise<void> {
    if (this.model.accountsLoaded && !this.accountsInFlight) return Promise.resolve();
    return (this.accountsInFlight ??= this.readAccounts());
  }

  /** Reads bridges and accounts again (health, a login, an unknown account in an event). */
  reloadAccounts(): Promise<void> {
    return (this.accountsInFlight ??= this.readAccounts());
  }

  private async readAccounts(): Promise<void> {
    try {
      const client = await this.client();
      if (this.model.bridgesSupported) {
        try {
          this.model.setAccounts(groupsFromBridges(await client.listBridges()), true);
          return;
        } catch (e) {
          if (!(e instanceof BeeperApiError) || e.kind !== 'featureUnavailable') throw e;
        }
      }
      this.model.setAccounts(groupsFromAccounts(await client.listAccounts()), false);
    } finally {
      this.accountsInFlight = undefined;
    }
  }

  /** A bridge's capabilities; undefined when this Beeper Desktop does not report them. */
  capabilities(bridgeID: string): Promise<ProvisioningCapabilities | undefined> {
    let cached = this.caps.get(bridgeID);
    if (!cached) {
      cached = (async () => {
        const client = await this.client();
        try {
          return await client.getBridgeCapabilities(bridgeID);
        } catch (e) {
          // Not reported stays cached; a failure is asked again next time.
          if (!(e instanceof BeeperApiError && e.kind === 'featureUnavailable')) this.caps.delete(bridgeID);
          return undefined;
        }
      })();
      this.caps.set(bridgeID, cached);
    }
    return cached;
  }

  // ---- chat lists ---------------------------------------------------------------------------

  /** The first page of a list, unless loaded; concurrent callers share one request. */
  ensureList(accountID: string, list: ChatListKind): Promise<void> {
    const key = chatListKey(accountID, list);
    if (this.model.list(key)) return Promise.resolve();
    // Asked twice while its first page is on its way (the view and a command): one read.
    let reading = this.firstReads.get(key);
    if (!reading) {
      reading = this.readFirst(accountID, list, key).finally(() => this.firstReads.delete(key));
      this.firstReads.set(key, reading);
    }
    return reading;
  }

  private readonly firstReads = new Map<string, Promise<void>>();

  private async readFirst(accountID: string, list: ChatListKind, key: string): Promise<void> {
    const pager = this.pagerFor(accountID, list);
    const readAt = this.model.readMark();
    const items = await pager.first();
    // The pager may have been reset while this page was on its way: only a current page lands.
    if (!this.model.list(key) && this.pagers.get(key) === pager) this.model.setListPage(accountID, list, items, { append: false, hasMore: pager.hasMore, readAt });
  }

  /** The next page of a loaded list (Load more…). */
  async loadMore(accountID: string, list: ChatListKind): Promise<void> {
    const key = chatListKey(accountID, list);
    const pager = this.pagerFor(accountID, list);
    const readAt = this.model.readMark();
    const items = await pager.next();
    if (this.pagers.get(key) !== pager) return;
    this.model.setListPage(accountID, list, items, { append: true, hasMore: pager.hasMore, readAt });
  }

  /** A list is read again from its first page (Retry on an error row). */
  forgetList(accountID: string, list: ChatListKind): void {
    const key = chatListKey(accountID, list);
    this.pagers.get(key)?.reset();
    this.pagers.delete(key);
    this.model.forgetList(key);
  }

  // ---- the Inbox (every account, one filter) -------------------------------------------------

  /** The Inbox's first page under a filter, unless loaded: one request (more for sparse filters). */
  async ensureInbox(filter: InboxFilter): Promise<void> {
    const key = inboxKey(filter);
    if (this.model.list(key)) return;
    const pager = this.inboxPager(filter);
    const readAt = this.model.readMark();
    const items = await this.readInbox(pager, filter, true);
    if (!this.model.list(key) && this.pagers.get(key) === pager) this.model.setInboxPage(filter, items, { append: false, hasMore: pager.hasMore, readAt });
  }

  /** The Inbox's next page (Load more…). */
  async loadMoreInbox(filter: InboxFilter): Promise<void> {
    const key = inboxKey(filter);
    const pager = this.inboxPager(filter);
    const readAt = this.model.readMark();
    const items = await this.readInbox(pager, filter, false);
    if (this.pagers.get(key) !== pager) return;
    this.model.setInboxPage(filter, items, { append: true, hasMore: pager.hasMore, readAt });
  }

  /** The Inbox under a filter is read again from its first page (Retry, or the filter left). */
  forgetInbox(filter: InboxFilter): void {
    const key = inboxKey(filter);
    this.pagers.get(key)?.reset();
    this.pagers.delete(key);
    this.model.forgetList(key);
  }

  /**
   * One page, or for a filter the server cannot narrow (mentions, reminders) pages until enough
   * rows match or SPARSE_PAGES were read: each Load more… shows something, and stays bounded.
   */
  private async readInbox(pager: Pager<Chat>, filter: InboxFilter, first: boolean): Promise<Chat[]> {
    const items = [...(await (first ? pager.first() : pager.next()))];
    if (!isSparse(filter)) return items;
    let matching = items.filter((c) => inboxMatches(c, filter)).length;
    for (let page = 1; page < SPARSE_PAGES && matching < SPARSE_ROWS && pager.hasMore; page++) {
      const more = await pager.next();
      items.push(...more);
      matching += more.filter((c) => inboxMatches(c, filter)).length;
    }
    return items;
  }

  private inboxPager(filter: InboxFilter): Pager<Chat> {
    const key = inboxKey(filter);
    let pager = this.pagers.get(key);
    if (!pager) {
      pager = new Pager<Chat>(async (cursor) => {
        const client = await this.client();
        // Sparse filters read big pages: most rows of a page are not theirs.
        const limit = isSparse(filter) ? 200 : this.settings().pageSize;
        return client.searchChats({ ...inboxQuery(filter), limit, cursor, direction: cursor ? 'before' : undefined });
      });
      this.pagers.set(key, pager);
    }
    return pager;
  }

  private pagerFor(accountID: string, list: ChatListKind): Pager<Chat> {
    const key = chatListKey(accountID, list);
    let pager = this.pagers.get(key);
    if (!pager) {
      pager = new Pager<Chat>(async (cursor) => {
        const client = await this.client();
        return client.searchChats({
          accountIDs: [accountID],
          limit: this.settings().pageSize,
          cursor,
          direction: cursor ? 'before' : undefined,
          inbox: list === 'all' ? undefined : list,
        });
      });
      this.pagers.set(key, pager);
    }
    return pager;
  }

  // ---- single chats and unread ---------------------------------------------------------------

  /**
   * One chat read again (after `chat.upserted`, a poll, or for a panel). A chat that is gone is
   * removed; a chat of an account the model does not know makes it re-read the accounts.
   */
  async refreshChat(chatID: string, signal?: AbortSignal): Promise<Chat | undefined> {
    const client = await this.client();
    try {
      const readAt = this.model.readMark();
      const chat = await client.getChat(chatID, { maxParticipantCount: 20 }, { signal });
      // Silent on failure by design: the next view that needs the accounts reads them again and shows why.
      if (!this.model.upsertChat(chat, readAt)) void this.reloadAccounts().catch(() => undefined);
      return chat;
    } catch (e) {
      if (e instanceof BeeperApiError && e.kind === 'notFound') {
        this.model.deleteChat(chatID);
        return undefined;
      }
      throw e;
    }
  }

  /**
   * A chat as a panel shows it (with up to `maxParticipantCount` participants, -1 for all), read
   * into the model: the loader is the one reader of chats; the panel then reads the model. A chat
   * that is gone leaves the model and the error is thrown.
   */
  async readChat(chatID: string, maxParticipantCount: number, signal?: AbortSignal): Promise<Chat> {
    const client = await this.client();
    try {
      const readAt = this.model.readMark();
      const chat = await client.getChat(chatID, { maxParticipantCount }, { signal });
      if (signal?.aborted) return chat;
      // Silent on failure by design: the next view that needs the accounts reads them again and shows why.
      if (!this.model.upsertChat(chat, readAt)) void this.reloadAccounts().catch(() => undefined);
      return chat;
    } catch (e) {
      if (e instanceof BeeperApiError && e.kind === 'notFound') this.model.deleteChat(chatID);
      throw e;
    }
  }

  /** The unread snapshot, read once (events and polls keep it current afterwards). */
  loadUnread(): Promise<void> {
    if (this.unreadLoaded && !this.unreadInFlight) return Promise.resolve();
    return this.refreshUnread();
  }

  /** The unread snapshot again: unread-only pages over every account, muted chats left out. */
  refreshUnread(): Promise<void> {
    return (this.unreadInFlight ??= (async () => {
      try {
        const client = await this.client();
        const readAt = this.model.readMark();
        const unread = new Map<string, Chat>();
        let cursor: string | undefined;
        for (let page = 0; page < MAX_UNREAD_PAGES; page++) {
          const result = await client.searchChats({ unreadOnly: true, includeMuted: false, limit: 200, cursor, direction: cursor ? 'before' : undefined });
          for (const chat of result.items) unread.set(chat.id, chat);
          if (!result.hasMore || !result.oldestCursor) break;
          cursor = result.oldestCursor;
        }
        this.model.setUnreadSnapshot(unread.values(), readAt);
        this.unreadLoaded = true;
      } finally {
        this.unreadInFlight = undefined;
      }
    })());
  }

  /** A panel shows this chat: it is re-read with the rest of the screen. */
  watch(chatID: string): { dispose(): void } {
    this.watched.set(chatID, (this.watched.get(chatID) ?? 0) + 1);
    return {
      dispose: () => {
        const n = (this.watched.get(chatID) ?? 1) - 1;
        if (n <= 0) this.watched.delete(chatID);
        else this.watched.set(chatID, n);
      },
    };
  }

  /**
   * What is on screen, read again: accounts, the first page of every loaded list, the unread
   * snapshot and the chats open in panels. After a reconnect (events were missed) or on a poll.
   * Failures of single parts are collected; the first is thrown after all were tried.
   */
  async refreshVisible(options: { accounts?: boolean } = {}): Promise<void> {
    const errors: unknown[] = [];
    const attempt = (p: Promise<unknown>) => p.catch((e: unknown) => void errors.push(e));
    const tasks: Promise<unknown>[] = [];
    if (options.accounts !== false && this.model.accountsLoaded) tasks.push(attempt(this.reloadAccounts()));
    /** Chats that came fresh with a first page need no read of their own. */
    const fresh = new Set<string>();
    for (const state of this.model.loadedLists()) {
      const inbox = state.inbox;
      if (inbox) {
        tasks.push(
          attempt(
            (async () => {
              const client = await this.client();
              const readAt = this.model.readMark();
              const page = await client.searchChats({ ...inboxQuery(inbox), limit: isSparse(inbox) ? 200 : this.settings().pageSize });
              for (const chat of page.items) fresh.add(chat.id);
              this.model.mergeInboxFirstPage(inbox, page.items, page.hasMore, readAt);
            })(),
          ),
        );
        continue;
      }
      tasks.push(
        attempt(
          (async () => {
            const client = await this.client();
            const readAt = this.model.readMark();
            const page = await client.searchChats({ accountIDs: [state.accountID], limit: this.settings().pageSize, inbox: state.list === 'all' ? undefined : state.list });
            for (const chat of page.items) fresh.add(chat.id);
            this.model.mergeFirstPage(state.accountID, state.list, page.items, page.hasMore, readAt);
          })(),
        ),
      );
    }
    if (this.model.accountsLoaded) tasks.push(attempt(this.refreshUnread()));
    await Promise.all(tasks);
    await Promise.all([...this.watched.keys()].filter((id) => !fresh.has(id)).map((id) => attempt(this.refreshChat(id))));
    if (errors.length) throw errors[0];
  }

  /** Lists, chats and the unread snapshot forgotten; the views read them again. */
  refreshAll(): void {
    for (const pager of this.pagers.values()) pager.reset();
    this.pagers.clear();
    this.unreadLoaded = false;
    this.model.clearChats();
  }

  /** Everything forgotten (another server or token). */
  reset(): void {
    for (const pager of this.pagers.values()) pager.reset();
    this.pagers.clear();
    this.accountsInFlight = undefined;
    this.unreadInFlight = undefined;
    this.unreadLoaded = false;
    this.caps.clear();
    this.model.reset();
  }
}
