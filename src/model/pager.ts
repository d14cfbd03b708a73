// Cursor paging of one list (an account's chats): the first page in one request, further pages
// on demand with the oldest cursor; a page asked for twice at once is fetched once. A page that
// answers after a reset belongs to the old list: it is dropped (generation counter). The pager
// keeps IDs, never the items: the model holds the chats (compacted), so a list of 10,000 chats
// is not kept twice. No vscode import.
import type { Page } from '../api/types';

export type PageFetcher<T> = (cursor: string | undefined, signal?: AbortSignal) => Promise<Page<T>>;

export class Pager<T extends { id: string }> {
  private readonly ids = new Set<string>();
  private cursor: string | undefined;
  private more = true;
  private started = false;
  private inFlight: Promise<T[]> | undefined;
  /** Bumped by reset(): answers to requests of an earlier generation are ignored. */
  private generation = 0;

  constructor(private readonly fetchPage: PageFetcher<T>) {}

  /** How many distinct items the loaded pages held. */
  get count(): number {
    return this.ids.size;
  }

  get hasMore(): boolean {
    return this.more;
  }

  get isLoaded(): boolean {
    return this.started;
  }

  /** The first page, fetched once (concurrent callers share it); afterwards nothing new. */
  async first(): Promise<readonly T[]> {
    if (this.started) return this.inFlight ?? [];
    return this.next();
  }

  /** The next page's new items (repeats of earlier pages left out); concurrent callers share one request. */
  next(): Promise<T[]> {
    if (this.inFlight) return this.inFlight;
    if (this.started && !this.more) return Promise.resolve([]);
    this.started = true;
    const generation = this.generation;
    const request = this.fetchPage(this.cursor).then(
      (page) => {
        // Asked for before a reset: neither its items nor its end of flight belong to this list.
        if (generation !== this.generation) return [];
        const fresh = page.items.filter((i) => !this.ids.has(i.id));
        for (const i of fresh) this.ids.add(i.id);
        this.cursor = page.oldestCursor ?? undefined;
        // A page without a cursor cannot be followed, whatever hasMore says.
        this.more = page.hasMore && page.oldestCursor !== null && page.items.length > 0;
        this.inFlight = undefined;
        return fresh;
      },
      (e: unknown) => {
        if (generation !== this.generation) return [];
        this.inFlight = undefined;
        // A failed first page can be retried from scratch.
        if (this.ids.size === 0) this.started = false;
        throw e;
      },
    );
    this.inFlight = request;
    return request;
  }

  /** Forgets everything; the next call fetches the first page again. */
  reset(): void {
    this.generation++;
    this.ids.clear();
    this.cursor = undefined;
    this.more = true;
    this.started = false;
    this.inFlight = undefined;
  }
}
