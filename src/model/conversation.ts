// One open chat's messages: a window of whole pages, contiguous in time, sorted by sortKey (never
// by arrival), bounded in size. Scrolling up adds older pages and drops the newest pages past
// the bound (the window then no longer reaches the newest message); scrolling down does the
// reverse. Live messages join the window only when it reaches the newest message; otherwise
// they are counted for "Jump to newest". Pending sends are local entries until the server's
// message resolves them. Pure: no vscode, no I/O; every change returns what it did.
import type { Message, Page } from '../api/types';

/** Messages kept per window: the page renders them all, so this bounds the DOM too. */
export const WINDOW_MAX = 250;

export interface WindowPage {
  /** Oldest first. */
  items: Message[];
  olderCursor: string | null;
  newerCursor: string | null;
}

/** What a change did to the window, for the page: messages to add or replace, IDs to remove. */
export interface WindowDiff {
  upserted: Message[];
  removed: string[];
}

export function compareSortKeys(a: string, b: string): number {
  // Sort keys are opaque but sortable; numeric ones of different lengths compare as numbers.
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

const byKey = (x: Message, y: Message) => compareSortKeys(x.sortKey, y.sortKey) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

export class Conversation {
  private pages: WindowPage[] = [];
  /** No older messages on the server. */
  atStart = false;
  /** The window reaches the newest message (live messages join it). */
  atEnd = false;
  /** Live messages that arrived while the window did not reach the newest. */
  unseenNewer = 0;
  private readonly ids = new Map<string, Message>();
  /**
   * Messages cut from a server page larger than the window (oldest first), and the cursor that
   * page had for what is older still. Scrolling up serves them before asking the server again.
   */
  private stash: Message[] = [];
  private stashCursor: string | null = null;
  /**
   * Messages deleted live (newest last, at most 500): a late answer that still holds one (an
   * edit's, a reaction's re-read) cannot bring it back. Pages read from the server are not held
   * back: they say what exists now.
   */
  private readonly deleted = new Set<string>();

  constructor(readonly max = WINDOW_MAX) {}

  get size(): number {
    return this.ids.size;
  }

  get loaded(): boolean {
    return this.pages.length > 0;
  }

  messages(): Message[] {
    return this.pages.flatMap((p) => p.items);
  }

  get(id: string): Message | undefined {
    return this.ids.get(id);
  }

  newest(): Message | undefined {
    for (let i = this.pages.length - 1; i >= 0; i--) {
      const items = this.pages[i]!.items;
      for (let j = items.length - 1; j >= 0; j--) if (!isLocal(items[j]!.id)) return items[j];
    }
    return undefined;
  }

  get olderCursor(): string | null {
    return this.pages[0]?.olderCursor ?? null;
  }

  get newerCursor(): string | null {
    return this.pages[this.pages.length - 1]?.newerCursor ?? null;
  }

  /** The newest page (no cursor): the window starts over at the newest message. */
  reset(page: Page<Message>): WindowDiff {
    return this.startOver([this.toWindowPage(page)], !page.hasMore, true);
  }

  /**
   * A window around one message in the middle of the history: `older` ends at it (its newest
   * message), `newer` follows it. The window then stops short at whichever end has more.
   */
  resetAround(older: Page<Message>, newer: Page<Message>): WindowDiff {
    const before = this.toWindowPage(older);
    const after = this.toWindowPage(newer);
    after.items = after.items.filter((m) => !before.items.some((b) => b.id === m.id));
    if (!after.items.length) before.newerCursor = newer.newestCursor ?? before.newerCursor;
    return this.startOver(after.items.length ? [before, after] : [before], !older.hasMore, !newer.hasMore);
  }

  /** The window starts over with these pages; a page larger than the window is cut to it (its newest stay). */
  private startOver(pages: WindowPage[], atStart: boolean, atEnd: boolean): WindowDiff {
    const removed = [...this.ids.keys()];
    this.stash = [];
    this.ids.clear();
    this.unseenNewer = 0;
    this.pages = pages;
    this.atStart = atStart;
    this.atEnd = atEnd;
    for (const page of pages) for (const m of page.items) this.ids.set(m.id, m);
    this.trimTo(this.max);
    return { upserted: this.messages(), removed: removed.filter((id) => !this.ids.has(id)) };
  }

  /** An older page (cursor = olderCursor, direction before). Drops the newest pages past the bound. */
  addOlder(page: Page<Message>): WindowDiff {
    const wp = this.toWindowPage(page);
    this.atStart = !page.hasMore || wp.items.length === 0;
    const fresh = wp.items.filter((m) => !this.ids.has(m.id));
    wp.items = fresh;
    if (!fresh.length) {
      if (this.pages[0]) this.pages[0].olderCursor = wp.olderCursor ?? this.pages[0].olderCursor;
      if (!page.hasMore && this.pages[0]) this.pages[0].olderCursor = null;
      return { upserted: [], removed: [] };
    }
    this.pages.unshift(wp);
    for (const m of fresh) this.ids.set(m.id, m);
    return { upserted: fresh, removed: this.dropPages('newest', this.max) };
  }

  /** A newer page (cursor = newerCursor, direction after). Drops the oldest pages past the bound. */
  addNewer(page: Page<Message>): WindowDiff {
    const wp = this.toWindowPage(page);
    const fresh = wp.items.filter((m) => !this.ids.has(m.id));
    wp.items = fresh;
    if (!page.hasMore) {
      this.atEnd = true;
      this.unseenNewer = 0;
    }
    if (!fresh.length) {
      const last = this.pages[this.pages.length - 1];
      if (last && wp.newerCursor) last.newerCursor = wp.newerCursor;
      return { upserted: [], removed: [] };
    }
    this.pages.push(wp);
    for (const m of fresh) this.ids.set(m.id, m);
    return { upserted: fresh, removed: this.dropPages('oldest', this.max) };
  }

  /**
   * A message from an event, a poll or an answer. `replaces` names the entry it resolves (the
   * pending ID or a local ID). It replaces a message the window has; a new one joins the window
   * only if the window reaches the newest message (else it is counted as unseen).
   */
  upsert(message: Message, replaces?: string): WindowDiff & { outside: boolean } {
    if (this.deleted.has(message.id)) return { upserted: [], removed: [], outside: false };
    const removed: string[] = [];
    for (const old of [replaces, message.id]) {
      if (!old || !this.ids.has(old)) continue;
      this.removeFromPages(old);
      if (old !== message.id) removed.push(old);
    }
    const first = this.pages[0];
    const isOlderThanWindow = first && !this.atStart && first.items[0] && compareSortKeys(message.sortKey, first.items[0].sortKey) < 0;
    if (isOlderThanWindow || (!this.atEnd && !this.isWithin(message))) {
      // Not in view: older than the window, or newer than a window that stopped short.
      if (!this.atEnd && !isOlderThanWindow && !replaces) this.unseenNewer++;
      return { upserted: [], removed, outside: true };
    }
    if (!this.pages.length) this.pages.push({ items: [], olderCursor: null, newerCursor: null });
    const target = this.pageFor(message);
    target.items.push(message);
    target.items.sort(byKey);
    this.ids.set(message.id, message);
    this.trimLive(removed);
    return { upserted: [message], removed, outside: false };
  }

  /** A message deleted (a live event, or deleted for me): it leaves the window and stays gone. */
  delete(id: string): WindowDiff {
    this.deleted.delete(id);
    this.deleted.add(id);
    if (this.deleted.size > 500) this.deleted.delete(this.deleted.values().next().value!);
    return this.remove(id);
  }

  remove(id: string): WindowDiff {
    if (!this.ids.has(id)) return { upserted: [], removed: [] };
    this.removeFromPages(id);
    return { upserted: [], removed: [id] };
  }

  /** Cuts the oldest messages of the oldest page until at most `limit` remain (one page larger than the window). */
  private trimTo(limit: number): string[] {
    const removed: string[] = [];
    const first = this.pages[0];
    if (!first || this.ids.size <= limit) return removed;
    const cut = first.items.splice(0, Math.min(first.items.length, this.ids.size - limit));
    for (const m of cut) {
      this.ids.delete(m.id);
      removed.push(m.id);
    }
    // The page's own cursor points past the cut messages: they are served from the stash first.
    this.stash = cut;
    this.stashCursor = first.olderCursor;
    first.olderCursor = null;
    this.atStart = false;
    return removed;
  }

  /** Messages cut from an oversized page wait here: the next older page comes from them, without a request. */
  get hasStash(): boolean {
    return this.stash.length > 0;
  }

  /** The next older page from the stash (as the server would have given it). */
  takeStash(count: number): Page<Message> {
    const items = this.stash.splice(Math.max(0, this.stash.length - count));
    const empty = this.stash.length === 0;
    return { items, hasMore: !empty || this.stashCursor !== null, oldestCursor: empty ? this.stashCursor : null, newestCursor: null };
  }

  /** Live messages can grow the window past the bound: the oldest page goes (the user is at the bottom). */
  private trimLive(removed: string[]): void {
    removed.push(...this.dropPages('oldest', this.max + 25));
  }

  /** Whole pages go from one end until at most `limit` messages are kept; the window then stops short at that end. */
  private dropPages(end: 'oldest' | 'newest', limit: number): string[] {
    const removed: string[] = [];
    while (this.ids.size > limit && this.pages.length > 1) {
      const dropped = end === 'newest' ? this.pages.pop()! : this.pages.shift()!;
      for (const m of dropped.items) {
        this.ids.delete(m.id);
        removed.push(m.id);
      }
      if (end === 'newest') this.atEnd = false;
      else {
        this.atStart = false;
        // The new oldest page has its own cursor: the stash belonged to the page dropped.
        this.stash = [];
      }
    }
    return removed;
  }

  private isWithin(message: Message): boolean {
    const last = this.pages[this.pages.length - 1]?.items;
    const newest = last?.[last.length - 1];
    return !!newest && compareSortKeys(message.sortKey, newest.sortKey) <= 0;
  }

  private pageFor(message: Message): WindowPage {
    for (const page of this.pages) {
      const last = page.items[page.items.length - 1];
      if (last && compareSortKeys(message.sortKey, last.sortKey) <= 0) return page;
    }
    return this.pages[this.pages.length - 1]!;
  }

  private removeFromPages(id: string): void {
    this.ids.delete(id);
    for (const page of this.pages) {
      const i = page.items.findIndex((m) => m.id === id);
      if (i >= 0) {
        page.items.splice(i, 1);
        return;
      }
    }
  }

  private toWindowPage(page: Page<Message>): WindowPage {
    // A page may come newest-first or oldest-first: sort by sortKey, drop repeats inside it.
    const seen = new Set<string>();
    const items = [...page.items].sort(byKey).filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
    return { items, olderCursor: page.oldestCursor, newerCursor: page.newestCursor };
  }
}

/** IDs of entries the extension made for a send that has no server ID yet. */
export function isLocal(id: string): boolean {
  return id.startsWith('local:');
}
