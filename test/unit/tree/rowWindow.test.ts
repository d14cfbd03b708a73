// The window of rows a long chat list shows (the tree's accounts and folders, the Inbox).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ROWS, listWindow, loadMoreRows, needsNextPage, rowWindow, startAfterMore, startAfterNewer } from '../../../src/tree/rowWindow';

describe('row window', () => {
  it('a short list shows every row, with "Load more…" while the server has more', () => {
    assert.deepEqual(rowWindow(0, 0, false), { start: 0, end: 0, newer: false, more: false });
    assert.deepEqual(rowWindow(50, 0, true), { start: 0, end: 50, newer: false, more: true });
    assert.deepEqual(rowWindow(MAX_ROWS, 0, false), { start: 0, end: MAX_ROWS, newer: false, more: false });
  });

  it('a start out of range is kept in range, so the window is never empty while chats are loaded', () => {
    assert.deepEqual(rowWindow(1200, 5000, false), { start: 200, end: 1200, newer: true, more: false });
    assert.deepEqual(rowWindow(1200, -3, false), { start: 0, end: 1000, newer: false, more: true });
    assert.deepEqual(rowWindow(300, 200, false), { start: 0, end: 300, newer: false, more: false }, 'the list shrank (chats left it)');
    assert.deepEqual(rowWindow(1200, Number.NaN, false).start, 0);
  });

  it('paging 10,000 chats 200 at a time: never more than 1,000 rows, each page read once, and every chat shown at some point', () => {
    let total = 200;
    let start = 0;
    let reads = 1;
    const seen = new Set<number>();
    for (;;) {
      const w = rowWindow(total, start, total < 10_000);
      assert.ok(w.end - w.start <= MAX_ROWS);
      for (let i = w.start; i < w.end; i++) seen.add(i);
      if (!w.more) break;
      if (needsNextPage(w, total)) {
        total += 200;
        reads++;
      }
      start = startAfterMore(total, w.start, 200);
    }
    assert.equal(reads, 50);
    assert.equal(seen.size, 10_000);
    assert.deepEqual(rowWindow(total, start, false), { start: 9000, end: 10_000, newer: true, more: false });
    // Back up to the newest: no reads (the rows are loaded), 45 steps of 200.
    let steps = 0;
    while (rowWindow(total, start, false).newer) {
      start = startAfterNewer(start, 200);
      steps++;
    }
    assert.equal(steps, 45);
    assert.equal(start, 0);
  });

  it('"Load more…" after "Show newer…" moves within the loaded rows before reading again', () => {
    const total = 2000;
    let start = startAfterNewer(1000, 200); // 800: rows 800–1800 of 2,000 loaded
    const w = rowWindow(total, start, true);
    assert.equal(needsNextPage(w, total), false, 'older rows are loaded: no read');
    start = startAfterMore(total, w.start, 200);
    assert.equal(start, 1000);
    assert.equal(needsNextPage(rowWindow(total, start, true), total), true, 'the oldest loaded is shown: the next page is read');
  });

  it('loadMoreRows (what the tree and the Inbox run for "Load more…"): reads a page only when the oldest loaded chat is shown, then moves the window on', async () => {
    const list = { ids: Array.from({ length: 1200 }, (_, i) => `c${i}`), hasMore: true };
    let reads = 0;
    const load = async () => {
      reads++;
      list.ids.push(...Array.from({ length: 200 }, (_, i) => `c${list.ids.length + i}`));
    };
    // Rows 0–1,000 of 1,200 loaded: older rows are loaded, so no read.
    let start = await loadMoreRows(() => list, 0, 200, load);
    assert.deepEqual([reads, start], [0, 200]);
    // Rows 200–1,200: the oldest loaded is shown, so the next page is read and the window follows it.
    start = await loadMoreRows(() => list, start, 200, load);
    assert.deepEqual([reads, start, list.ids.length], [1, 400, 1400]);
    assert.deepEqual(listWindow(list, start), { start: 400, end: 1400, newer: true, more: true });
    // Before the first page there is no list: nothing is shown, and the load is the first page.
    assert.deepEqual(listWindow(undefined, 0), { start: 0, end: 0, newer: false, more: false });
    let loaded: { ids: string[]; hasMore: boolean } | undefined;
    start = await loadMoreRows(() => loaded, 0, 200, async () => void (loaded = { ids: ['a', 'b'], hasMore: false }));
    assert.equal(start, 0);
  });
});
