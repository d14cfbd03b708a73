// Which rows of a long chat list a view shows (the Networks tree's accounts and folders, the
// Inbox). VS Code reads every child of a row again whenever the row changes, in one go: 9,093 rows
// held the extension host for about 300 ms, most of it VS Code serializing them. So a list shows
// at most MAX_ROWS of its loaded chats, like the chat page's window of messages: "Load more…"
// below moves the window to older chats (reading the next page when it shows the oldest loaded),
// and "Show newer chats…" above moves it back. No vscode import: unit-tested in node.

/** The most chat rows one list shows at once. */
export const MAX_ROWS = 1000;

export interface RowWindow {
  /** The first row shown (an index into the list's loaded IDs) … */
  start: number;
  /** … and one past the last. */
  end: number;
  /** Newer chats exist above the window: a "Show newer chats…" row. */
  newer: boolean;
  /** Older chats exist below it, loaded or not: a "Load more…" row. */
  more: boolean;
}

/** The window of a list with `total` loaded chats, asked to start at `start` (kept in range). */
export function rowWindow(total: number, start: number, hasMore: boolean, max = MAX_ROWS): RowWindow {
  const from = Math.max(0, Math.min(Math.floor(start) || 0, total - max));
  const end = Math.min(total, from + max);
  return { start: from, end, newer: from > 0, more: end < total || hasMore };
}

/** A list's loaded chats, as the window needs them (the model's list state; none before its first page). */
export interface WindowedList {
  readonly ids: readonly string[];
  readonly hasMore: boolean;
}

/** The window of a list, asked to start at `start`. */
export function listWindow(list: WindowedList | undefined, start: number, max = MAX_ROWS): RowWindow {
  return rowWindow(list?.ids.length ?? 0, start, list?.hasMore ?? false, max);
}

/**
 * "Load more…", the same for every view: reads the next page (`load`) only when the window
 * shows the oldest loaded chat, then says where the window starts (see startAfterMore). `list`
 * is read before and after the load.
 */
export async function loadMoreRows(list: () => WindowedList | undefined, start: number, step: number, load: () => Promise<void>, max = MAX_ROWS): Promise<number> {
  const total = list()?.ids.length ?? 0;
  const window = listWindow(list(), start, max);
  if (needsNextPage(window, total)) await load();
  return startAfterMore(list()?.ids.length ?? total, window.start, step, max);
}

/** "Load more…" needs the next page from the server only when the window shows the oldest loaded chat. */
export function needsNextPage(window: RowWindow, total: number): boolean {
  return window.end >= total;
}

/**
 * Where the window starts after "Load more…" (the next page read, if it was needed): `step`
 * rows further, and never past the oldest loaded chat. Short lists stay at 0.
 */
export function startAfterMore(total: number, start: number, step: number, max = MAX_ROWS): number {
  return Math.max(0, Math.min(start + step, total - max));
}

/** Where the window starts after "Show newer chats…". */
export function startAfterNewer(start: number, step: number): number {
  return Math.max(0, start - step);
}
