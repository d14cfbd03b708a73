// The page's window reducer (shared by the page and the host's mirror of it): resets, older and
// newer pages, live messages counted as unseen while reading back, and the mirror of a page.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyWindowBatch, ChatPageMirror, emptyWindow, sortedMessages, type WindowUpdate } from '../../../src/webviews/chatPageState';
import type { ViewMessage } from '../../../src/webviews/protocol';

const msg = (n: number, mine = false): ViewMessage => ({ id: `m${n}`, sortKey: String(1000 + n), senderID: mine ? 'me' : 'ada', sender: 'Ada', mine, time: new Date(n * 60_000).toISOString(), canEdit: mine, canDelete: true });
const win = (reason: WindowUpdate['reason'], upserted: ViewMessage[], removed: string[] = [], extra: Partial<WindowUpdate> = {}): WindowUpdate => ({ type: 'window', reason, upserted, removed, atStart: false, atEnd: true, unseen: 0, ...extra });

describe('chat page state', () => {
  it('a reset replaces the window; older pages join at the top, in sort-key order', () => {
    const s = emptyWindow();
    assert.deepEqual(applyWindowBatch(s, [win('reset', [msg(5), msg(4)])], true), { reset: true, grew: false });
    applyWindowBatch(s, [win('older', [msg(2), msg(3)], [], { atStart: true })], true);
    assert.deepEqual(sortedMessages(s).map((m) => m.id), ['m2', 'm3', 'm4', 'm5']);
    assert.equal(s.atStart, true);
    applyWindowBatch(s, [win('reset', [msg(9)])], true);
    assert.deepEqual(sortedMessages(s).map((m) => m.id), ['m9']);
  });

  it('reading back: messages from others that arrive below are counted; mine are not; at the bottom nothing is', () => {
    const s = emptyWindow();
    applyWindowBatch(s, [win('reset', [msg(1)])], true);
    const r = applyWindowBatch(s, [win('live', [msg(2)]), win('live', [msg(3, true)]), win('live', [msg(4)])], false);
    assert.equal(r.grew, true);
    assert.equal(s.unseen, 2);
    applyWindowBatch(s, [win('live', [msg(5)])], true);
    assert.equal(s.unseen, 0, 'at the bottom, new messages are seen');
  });

  it('a window that stops short adds what the host counted, and removals apply', () => {
    const s = emptyWindow();
    applyWindowBatch(s, [win('reset', [msg(1), msg(2)], [], { atEnd: false, unseen: 3 })], false);
    assert.equal(s.unseen, 3);
    applyWindowBatch(s, [win('live', [], ['m1'], { atEnd: false, unseen: 3 })], false);
    assert.deepEqual([...s.messages.keys()], ['m2']);
  });

  it('the mirror is the page as data: state, participants, images by key, window, deleted', () => {
    const m = new ChatPageMirror();
    m.apply({ type: 'images', images: { k1: 'https://x/a.png' } });
    m.apply({ type: 'participants', items: [{ name: 'Ada', badges: [], avatar: 'k1', self: false }], count: '1' });
    m.apply(win('reset', [msg(1)]));
    m.apply({ type: 'deleted', message: 'gone' });
    assert.equal(m.image(m.participants!.items[0]!.avatar), 'https://x/a.png');
    assert.deepEqual(m.messages().map((x) => x.id), ['m1']);
    assert.equal(m.deleted, 'gone');
  });
});
