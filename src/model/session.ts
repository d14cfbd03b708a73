// One open chat's conversation, as the chat panel (and anything else that shows messages) reads
// it: the newest page, older and newer pages as the user scrolls, catching up without a socket,
// live events, and opening at any message with the messages around it. One message load runs at
// a time; a second request while one runs waits for it (no duplicate page). Pure: no vscode, no
// timers; the client is injected (unit-tested with a fake one over 10,000 messages).
//
// Opening at a message: list cursors are opaque, so none can be made for a message. The search
// route can still read around one: `/v1/messages/search` with no query, this chat only, and
// `dateBefore` just after the message's timestamp gives the page that ends at it; its newest
// cursor with `direction=after` gives the page that follows. The window then pages on with
// search cursors both ways ("search" mode) until it is back at the newest message.
import type { Message, MessageSearchParams, Page } from '../api/types';
import { Conversation, type WindowDiff } from './conversation';

export interface SessionClient {
  listMessages(chatID: string, params?: { cursor?: string; direction?: 'before' | 'after' }, opts?: { signal?: AbortSignal }): Promise<Page<Message>>;
  searchMessages(params: MessageSearchParams, opts?: { signal?: AbortSignal }): Promise<Page<Message>>;
  getMessage(chatID: string, messageID: string, opts?: { signal?: AbortSignal }): Promise<Message>;
}

export type WindowReason = 'reset' | 'older' | 'newer' | 'live';

export interface SessionHooks {
  /** The window changed: the view applies the diff. */
  window(reason: WindowReason, diff: WindowDiff): void;
  /** A load failed: the view says so where the load was asked for. */
  failed(which: 'newest' | 'older' | 'newer' | 'open', error: unknown): void;
  /** Local entries (sends in flight) that stay in a window that starts over. */
  localEntries?(page: Page<Message>): Message[];
  /** A server message that settles a send: the local ID it replaces, if any. */
  settle?(namedID: string, message: Message): string | undefined;
}

/** Search pages are at most 20 messages (the spec's maximum). */
const SEARCH_PAGE = 20;

export class ConversationSession {
  readonly conversation: Conversation;
  /** How the window's cursors page: the chat's message list, or the search route (opened at a message). */
  mode: 'list' | 'search' = 'list';
  /** Reads of this chat's messages (list pages, search pages, single messages to open at): tests and benchmarks. */
  requests = 0;
  /** The same, by what they were for. */
  readonly reads = { newest: 0, older: 0, newer: 0, open: 0 };
  /** The load running now, and what it is (the same load asked again joins it). */
  private loading: { what: string; job: Promise<void> } | undefined;

  constructor(
    readonly chatID: string,
    private readonly client: () => Promise<SessionClient>,
    private readonly hooks: SessionHooks,
    windowMax?: number,
  ) {
    this.conversation = new Conversation(windowMax);
  }

  /**
   * One message load at a time. The same load asked for while it runs joins it (scrolling fast
   * asks twice: one request). A scroll load (older, newer, catching up) asked for while another
   * load runs joins that one too: the page asks again if it still needs it once the window has
   * changed. What the user asked for explicitly (newest, open at a message) runs after it, and is
   * never lost.
   */
  private exclusive(what: string, run: () => Promise<void>): Promise<void> {
    const current = this.loading;
    if (current && (current.what === what || what === 'older' || what === 'newer' || what === 'catchUp')) return current.job;
    const job = (current ? current.job.then(run, run) : run()).finally(() => {
      if (this.loading?.job === job) this.loading = undefined;
    });
    this.loading = { what, job };
    return job;
  }

  private async list(params: { cursor?: string; direction?: 'before' | 'after' }): Promise<Page<Message>> {
    const client = await this.client();
    this.requests++;
    return client.listMessages(this.chatID, params);
  }

  private async search(params: MessageSearchParams): Promise<Page<Message>> {
    const client = await this.client();
    this.requests++;
    // Every message of this chat, whatever the chat's inbox or mute state.
    return client.searchMessages({ chatIDs: [this.chatID], limit: SEARCH_PAGE, excludeLowPriority: false, includeMuted: true, ...params });
  }

  /** The newest page: the window starts over at the newest message (opening, Jump to newest, a reload). */
  loadNewest(): Promise<void> {
    return this.exclusive('newest', async () => {
      try {
        this.reads.newest++;
        const page = await this.list({});
        const local = this.hooks.localEntries?.(page) ?? [];
        this.mode = 'list';
        this.hooks.window('reset', this.conversation.reset(local.length ? { ...page, items: [...page.items, ...local] } : page));
      } catch (e) {
        this.hooks.failed('newest', e);
      }
    });
  }

  /** The page before the window (scrolling up). */
  loadOlder(): Promise<void> {
    return this.loadBeside('older');
  }

  /** The page after a window that stops short of the newest (scrolling down). */
  loadNewer(): Promise<void> {
    return this.loadBeside('newer');
  }

  private loadBeside(side: 'older' | 'newer'): Promise<void> {
    return this.exclusive(side, async () => {
      const c = this.conversation;
      const older = side === 'older';
      if (older && c.hasStash) {
        this.hooks.window('older', c.addOlder(c.takeStash(SEARCH_PAGE * 2)));
        return;
      }
      const cursor = older ? c.olderCursor : c.newerCursor;
      if ((older ? c.atStart : c.atEnd) || !cursor) {
        this.hooks.window(side, { upserted: [], removed: [] });
        return;
      }
      try {
        const direction = older ? 'before' : 'after';
        this.reads[side]++;
        const page = this.mode === 'search' ? await this.search({ cursor, direction }) : await this.list({ cursor, direction });
        this.hooks.window(side, older ? c.addOlder(page) : c.addNewer(page));
      } catch (e) {
        this.hooks.failed(side, e);
      }
    });
  }

  /** Without socket events: the newest page, merged into a window that reaches the newest message. */
  catchUp(): Promise<void> {
    if (!this.conversation.atEnd) return Promise.resolve();
    return this.exclusive('catchUp', async () => {
      let page: Page<Message>;
      try {
        page = await this.list({});
      } catch {
        // Quiet by design: catching up is tried again at the next change of the chat.
        return;
      }
      const diff: WindowDiff = { upserted: [], removed: [] };
      for (const m of page.items) {
        const local = this.hooks.settle?.(m.id, m);
        const d = this.conversation.upsert(m, local);
        diff.upserted.push(...d.upserted);
        diff.removed.push(...d.removed);
      }
      if (diff.upserted.length || diff.removed.length) this.hooks.window('live', diff);
    });
  }

  /** A live event (socket, a send's answer). `ids` names what changed: for a send, the pending ID. */
  applyEvent(change: 'upserted' | 'deleted', ids: string[], messages: Message[]): WindowDiff {
    const diff: WindowDiff = { upserted: [], removed: [] };
    if (!this.conversation.loaded) return diff;
    if (change === 'deleted') {
      for (const id of ids) diff.removed.push(...this.conversation.delete(id).removed);
      return diff;
    }
    messages.forEach((m, i) => {
      const named = ids[i] ?? m.id;
      const local = this.hooks.settle?.(named, m);
      const d = this.conversation.upsert(m, local ?? (named !== m.id ? named : undefined));
      if (local && named !== m.id) d.removed.push(...this.conversation.remove(named).removed);
      diff.upserted.push(...d.upserted);
      diff.removed.push(...d.removed);
    });
    return diff;
  }

  /**
   * Opens the window at a message, with the messages around it, in at most three reads (the
   * message, the page ending at it, the page after it). False when the message cannot be shown
   * (gone, hidden, or not found by search); the window is then unchanged.
   */
  openAt(messageID: string): Promise<boolean> {
    let shown = false;
    return this.exclusive(`open:${messageID}`, async () => {
      if (this.conversation.get(messageID)) {
        shown = true;
        return;
      }
      try {
        const client = await this.client();
        this.requests++;
        this.reads.open++;
        const target = await client.getMessage(this.chatID, messageID);
        const at = Date.parse(target.timestamp);
        if (!Number.isFinite(at) || target.isHidden) return;
        const older = await this.search({ dateBefore: new Date(at + 1).toISOString() });
        // Search leaves some messages out (deleted ones): then there is nothing to page from.
        if (!older.newestCursor || !older.items.some((m) => m.id === target.id)) return;
        const newer = await this.search({ cursor: older.newestCursor, direction: 'after' });
        this.mode = 'search';
        this.hooks.window('reset', this.conversation.resetAround(older, newer));
        shown = !!this.conversation.get(messageID);
      } catch (e) {
        this.hooks.failed('open', e);
      }
    }).then(() => shown || !!this.conversation.get(messageID));
  }
}
