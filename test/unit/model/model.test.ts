// The model's reducers for chats deleted while reads are on their way: a read that started before
// the deletion cannot bring the chat back; the server's word from after it can.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chat } from '../../../src/api/types';
import { inboxKey } from '../../../src/model/inbox';
import { BeeperModel, chatListKey } from '../../../src/model/model';

function chat(id: string, over: Partial<Chat> = {}): Chat {
  return { id, accountID: 'a1', network: 'Signal', title: id, type: 'group', participants: { items: [], hasMore: false, total: 3 }, unreadCount: 0, lastActivity: '2026-12-01T10:00:00Z', ...over };
}

describe('model: deleted chats and reads on their way', () => {
  it('a page, a poll, a chat read or the unread snapshot from before a deletion does not bring the chat back', () => {
    const model = new BeeperModel();
    model.setListPage('a1', 'primary', [chat('c1'), chat('c2')], { append: false, hasMore: true });
    model.setInboxPage({ kind: 'all' }, [chat('c1'), chat('c2')], { append: false, hasMore: false });
    const before = model.readMark();
    const deleted: string[] = [];
    model.onDidChange((c) => c.kind === 'chatDeleted' && deleted.push(c.id));
    model.deleteChat('c2');
    assert.deepEqual(deleted, ['c2']);
    // Every kind of read that left before the deletion, landing after it.
    model.setListPage('a1', 'primary', [chat('c3', { lastActivity: '2026-12-01T09:00:00Z' }), chat('c2', { lastActivity: '2026-12-01T08:00:00Z' })], { append: true, hasMore: false, readAt: before });
    model.mergeFirstPage('a1', 'primary', [chat('c1'), chat('c2')], true, before);
    model.mergeInboxFirstPage({ kind: 'all' }, [chat('c1'), chat('c2')], false, before);
    model.upsertChat(chat('c2', { title: 'Renamed' }), before);
    model.setUnreadSnapshot([chat('c2', { unreadCount: 4 })], before);
    assert.equal(model.chat('c2'), undefined, 'the deleted chat is not held again');
    assert.deepEqual(model.list(chatListKey('a1', 'primary'))!.ids, ['c1', 'c3']);
    assert.deepEqual(model.list(inboxKey({ kind: 'all' }))!.ids, ['c1']);
    assert.equal(model.unreadTotal, 0, 'and its unread messages are not counted');
  });

  it('a read from after the deletion, or an event (the server’s word now), brings it back', () => {
    const model = new BeeperModel();
    model.setListPage('a1', 'primary', [chat('c1'), chat('c2')], { append: false, hasMore: false });
    const before = model.readMark();
    model.deleteChat('c2');
    const after = model.readMark();
    model.upsertChat(chat('c2', { title: 'Back' }), after);
    assert.equal(model.chat('c2')?.title, 'Back');
    assert.deepEqual(model.list(chatListKey('a1', 'primary'))!.ids, ['c1', 'c2']);
    // Deleted again, then an event (no mark): it exists again; and a stale read after that is only stale, not a deletion.
    model.deleteChat('c2');
    model.upsertChat(chat('c2', { title: 'Again' }));
    assert.equal(model.chat('c2')?.title, 'Again');
    model.upsertChat(chat('c2', { title: 'Stale' }), before);
    assert.equal(model.chat('c2')?.title, 'Again', 'a read older than the one taken is not taken');
  });

  it('remembers a bounded number of deletions', () => {
    const model = new BeeperModel();
    const before = model.readMark();
    for (let i = 0; i < 1001; i++) model.deleteChat(`gone${i}`);
    model.upsertChat(chat('gone0'), before);
    model.upsertChat(chat('gone1000'), before);
    assert.ok(model.chat('gone0'), 'the oldest deletion was forgotten (a read that old is long gone)');
    assert.equal(model.chat('gone1000'), undefined, 'the newest is remembered');
  });
});
