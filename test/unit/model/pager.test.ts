// Paging after a refresh: a page asked for before the reset does not land in the new list.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from '../../../src/api/types';
import { Pager } from '../../../src/model/pager';

describe('paging after a refresh', () => {
  it('drops a page asked for before the reset, and keeps the new request in flight', async () => {
    const releases: ((page: Page<{ id: string }>) => void)[] = [];
    const pager = new Pager<{ id: string }>(() => new Promise((resolve) => releases.push(resolve)));
    const old = pager.first();
    pager.reset();
    const fresh = pager.first();
    assert.equal(releases.length, 2, 'the refresh asked again');
    releases[0]!({ items: [{ id: 'stale' }], hasMore: true, oldestCursor: 'c-old', newestCursor: null });
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(pager.count, 0, 'the stale page did not land');
    assert.equal(pager.next(), pager.next(), 'the new request is still the one in flight');
    releases[1]!({ items: [{ id: 'new' }], hasMore: false, oldestCursor: null, newestCursor: null });
    assert.deepEqual((await fresh).map((i) => i.id), ['new']);
    assert.deepEqual(await old, [], 'whoever asked before the refresh gets nothing of the old list (the loader asks again)');
    assert.equal(pager.count, 1);
  });
});
