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
