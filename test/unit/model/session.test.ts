// The conversation session (src/model/session.ts) over a fake client holding a 10,000-message
// chat: the newest page, paging both ways, a page larger than the window, opening at a message
// 9,000 back in at most three reads, then paging both ways from there without gaps or repeats.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Message, MessageSearchParams, Page } from '../../../src/api/types';
import { compareSortKeys, WINDOW_MAX } from '../../../src/model/conversation';
import { ConversationSession, type SessionClient, type WindowReason } from '../../../src/model/session';

const BASE = Date.parse('2026-01-01T00:00:00Z');

function msg(i: number): Message {
  return {
    id: `m${i}`,
    chatID: 'c1',
    accountID: 'a1',
    senderID: i % 3 ? 'ada' : 'me',
    timestamp: new Date(BASE + i * 60_000).toISOString(),
    sortKey: String(100_000 + i),
    type: 'TEXT',
    text: `message ${i}`,
    isSender: i % 3 === 0,
  };
}

/** A chat of `total` messages with list pages of `pageSize` and the search route's rules. */
class FakeChat implements SessionClient {
  readonly all: Message[];
  calls: string[] = [];
  constructor(total: number, private readonly pageSize = 25) {
    this.all = Array.from({ length: total }, (_, i) => msg(i));
  }
  private cursorOf(m: Message): string {
    return `cur:${m.sortKey}`;
  }
  private keyOf(cursor: string): string {
    return cursor.slice(4);
  }
  private page(items: Message[], hasMore: boolean): Page<Message> {
    // Newest first, as Beeper Desktop lists them.
    const sorted = [...items].sort((a, b) => compareSortKeys(b.sortKey, a.sortKey));
    return { items: sorted, hasMore, oldestCursor: sorted.length ? this.cursorOf(sorted[sorted.length - 1]!) : null, newestCursor: sorted.length ? this.cursorOf(sorted[0]!) : null };
  }
  async listMessages(_chatID: string, params: { cursor?: string; direction?: 'before' | 'after' } = {}): Promise<Page<Message>> {
    this.calls.push(`list ${params.direction ?? 'newest'}`);
    if (!params.cursor) return this.page(this.all.slice(-this.pageSize), this.all.length > this.pageSize);
    const key = this.keyOf(params.cursor);
    const at = this.all.findIndex((m) => m.sortKey === key);
    if (params.direction === 'after') {
      const items = this.all.slice(at + 1, at + 1 + this.pageSize);
      return this.page(items, at + 1 + this.pageSize < this.all.length);
    }
    const start = Math.max(0, at - this.pageSize);
    return this.page(this.all.slice(start, at), start > 0);
  }
  async searchMessages(q: MessageSearchParams): Promise<Page<Message>> {
    this.calls.push(`search ${q.direction ?? (q.dateBefore ? 'dateBefore' : 'newest')}`);
    assert.equal(q.query, undefined, 'opening at a message searches with no words');
    assert.deepEqual(q.chatIDs, ['c1']);
    assert.ok((q.limit ?? 20) <= 20);
    const before = q.dateBefore ? Date.parse(q.dateBefore) : undefined;
    const key = q.cursor ? this.keyOf(q.cursor) : undefined;
    const matches = this.all.filter((m) => {
      const ts = Date.parse(m.timestamp);
      if (before !== undefined && !(ts < before)) return false;
      if (key !== undefined) return q.direction === 'after' ? compareSortKeys(m.sortKey, key) > 0 : compareSortKeys(m.sortKey, key) < 0;
      return true;
    });
    const limit = q.limit ?? 20;
    // `after` takes the oldest of the newer ones; otherwise the newest.
    const items = q.direction === 'after' ? matches.slice(0, limit) : matches.slice(-limit);
    return this.page(items, matches.length > limit);
  }
  async getMessage(_chatID: string, id: string): Promise<Message> {
    this.calls.push('get');
    const m = this.all.find((x) => x.id === id);
    if (!m) throw new Error('not found');
    return m;
  }
}

function setup(total = 10_000, pageSize = 25) {
  const chat = new FakeChat(total, pageSize);
  const reasons: WindowReason[] = [];
  const failures: unknown[] = [];
  const session = new ConversationSession('c1', async () => chat, {
    window: (reason) => reasons.push(reason),
    failed: (_which, e) => failures.push(e),
  });
  const ids = () => session.conversation.messages().map((m) => Number(m.id.slice(1)));
  /** The window is one contiguous run of the history, in order. */
  const contiguous = () => {
    const list = ids();
    list.forEach((n, i) => i > 0 && assert.equal(n, list[i - 1]! + 1, `no gap or repeat at ${list[i - 1]} → ${n}`));
  };
  return { chat, session, reasons, failures, ids, contiguous };
}

describe('conversation session', () => {
  it('opens at the newest page and pages back without gaps, the window bounded', async () => {
    const { session, ids, contiguous } = setup();
    await session.loadNewest();
    assert.equal(ids().at(-1), 9999);
    assert.ok(session.conversation.atEnd);
    for (let i = 0; i < 20; i++) await session.loadOlder();
    contiguous();
    assert.ok(session.conversation.size <= WINDOW_MAX);
    assert.equal(session.conversation.atEnd, false, 'the newest pages were dropped to keep the window bounded');
    for (let i = 0; i < 20 && !session.conversation.atEnd; i++) await session.loadNewer();
    contiguous();
    assert.equal(ids().at(-1), 9999);
  });

  it('a live delete wins over a late edit answer: the message does not come back', async () => {
    const { session } = setup();
    await session.loadNewest();
    const target = session.conversation.get('m9998')!;
    assert.ok(target);
    // The edit is on its way; the delete event arrives first; then the edit's answer.
    const removed = session.applyEvent('deleted', ['m9998'], []);
    assert.deepEqual(removed.removed, ['m9998']);
    const lateAnswer = { ...target, text: 'edited after all', editedTimestamp: new Date().toISOString() };
    assert.deepEqual(session.conversation.upsert(lateAnswer).upserted, [], 'the late answer is not shown');
    assert.deepEqual(session.applyEvent('upserted', ['m9998'], [lateAnswer]).upserted, [], 'nor a late event carrying it');
    assert.equal(session.conversation.get('m9998'), undefined);
    // Other messages still update.
    const other = { ...session.conversation.get('m9997')!, text: 'still editable' };
    assert.equal(session.conversation.upsert(other).upserted.length, 1);
  });

  it('opens at a message 9,000 back in three reads, with messages on both sides, then pages both ways', async () => {
    const { chat, session, ids, contiguous, reasons } = setup();
    await session.loadNewest();
    chat.calls = [];
    const before = session.requests;
    assert.equal(await session.openAt('m1000'), true);
    assert.equal(session.requests - before, 3, `reads: ${chat.calls.join(', ')}`);
    assert.deepEqual(chat.calls, ['get', 'search dateBefore', 'search after']);
    assert.equal(reasons.at(-1), 'reset');
    assert.ok(session.conversation.get('m1000'));
    assert.ok(ids().some((n) => n < 1000) && ids().some((n) => n > 1000), 'messages on both sides');
    contiguous();
    assert.equal(session.mode, 'search');
    assert.equal(session.conversation.atEnd, false);
    assert.equal(session.conversation.atStart, false);
    // Older and newer pages continue from there, with no gap and no repeat.
    await session.loadOlder();
    await session.loadNewer();
    await session.loadNewer();
    contiguous();
    assert.ok(ids()[0]! < 980 && ids().at(-1)! > 1040, `window ${ids()[0]}…${ids().at(-1)}`);
    assert.ok(chat.calls.slice(3).every((c) => c.startsWith('search')), 'paging on uses search cursors');
    // Jump to newest goes back to the list.
    await session.loadNewest();
    assert.equal(session.mode, 'list');
    assert.equal(ids().at(-1), 9999);
  });

  it('opening at a message already in the window reads nothing', async () => {
    const { chat, session } = setup();
    await session.loadNewest();
    const reads = chat.calls.length;
    assert.equal(await session.openAt('m9990'), true);
    assert.equal(chat.calls.length, reads);
  });

  it('opening at the newest message reaches the end: live messages then join the window', async () => {
    const { session } = setup(100);
    assert.equal(await session.openAt('m99'), true);
    assert.equal(session.conversation.atEnd, true);
    const live = msg(100);
    const diff = session.applyEvent('upserted', [live.id], [live]);
    assert.deepEqual(diff.upserted.map((m) => m.id), ['m100']);
  });

  it('a message that cannot be found leaves the window as it was and says why', async () => {
    const { session, ids, failures } = setup(100);
    await session.loadNewest();
    const before = ids();
    assert.equal(await session.openAt('nope'), false);
    assert.deepEqual(ids(), before);
    assert.equal(failures.length, 1);
  });

  it('a server page larger than the window is cut to it, and the cut messages come back when scrolling up', async () => {
    const { chat, session, ids, contiguous } = setup(1000, 400);
    await session.loadNewest();
    assert.equal(session.conversation.size, WINDOW_MAX);
    assert.equal(ids().at(-1), 999);
    const reads = chat.calls.length;
    await session.loadOlder();
    assert.equal(chat.calls.length, reads, 'the cut messages come from memory, not a request');
    contiguous();
    for (let i = 0; i < 12; i++) await session.loadOlder();
    contiguous();
    assert.ok(ids()[0]! < 600, `paged past the oversized page to ${ids()[0]}`);
  });

  it('opening at a message while an older page loads waits for it and is not lost', async () => {
    const { session } = setup();
    await session.loadNewest();
    const [, opened] = await Promise.all([session.loadOlder(), session.openAt('m1000')]);
    assert.equal(opened, true);
    assert.ok(session.conversation.get('m1000'));
    assert.equal(session.mode, 'search');
  });

  it('one load at a time: scrolling twice while a page loads asks once', async () => {
    const { chat, session } = setup();
    await session.loadNewest();
    chat.calls = [];
    await Promise.all([session.loadOlder(), session.loadOlder(), session.loadOlder()]);
    assert.equal(chat.calls.length, 1);
  });
});
