// Pacing of the chat page's window updates: no more than two on their way, the rest merged into
// the same result for the page, order kept with other posts, and a flood reaching the page as its
// net change.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyWindowBatch, emptyWindow, sortedMessages, type WindowState, type WindowUpdate } from '../../../src/webviews/chatPageState';
import type { ChatPageUpdate, ViewMessage } from '../../../src/webviews/protocol';
import { mergeWindowUpdates, WINDOW_MAX_WAITING, WindowFlow } from '../../../src/webviews/windowFlow';

const msg = (n: number, v = 0): ViewMessage => ({ id: `m${n}`, sortKey: String(100_000 + n), senderID: 'ada', sender: 'Ada', mine: false, time: new Date(n * 60_000).toISOString(), canEdit: false, canDelete: true, html: `v${v}` });
const win = (reason: WindowUpdate['reason'], upserted: ViewMessage[], removed: string[] = [], extra: Partial<WindowUpdate> = {}): WindowUpdate => ({ type: 'window', reason, upserted, removed, atStart: false, atEnd: true, unseen: 0, ...extra });

/** What the page shows after these updates, one frame each (stick: the view stays at the newest). */
function pageAfter(updates: readonly WindowUpdate[], start?: WindowUpdate[]): WindowState {
  const s = emptyWindow();
  for (const u of [...(start ?? []), ...updates]) applyWindowBatch(s, [u], true);
  return s;
}
const shown = (s: WindowState) => sortedMessages(s).map((m) => `${m.id}:${m.html}`);

/** A pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe('window flow', () => {
  it('merged updates leave the page exactly as the updates one by one would (2,000 random sequences)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const r = random(seed);
      const reasons: WindowUpdate['reason'][] = ['reset', 'older', 'newer', 'live'];
      const start = [win('reset', [msg(1), msg(2), msg(3)])];
      const updates: WindowUpdate[] = [];
      for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) {
        const reason = r() < 0.1 ? 'reset' : reasons[1 + Math.floor(r() * 3)]!;
        const upserted = Array.from({ length: Math.floor(r() * 4) }, () => msg(Math.floor(r() * 8), Math.floor(r() * 3)));
        const removed = Array.from({ length: Math.floor(r() * 3) }, () => `m${Math.floor(r() * 8)}`);
        updates.push(win(reason, upserted, removed, { atStart: r() < 0.5, atEnd: r() < 0.5, unseen: Math.floor(r() * 5) }));
      }
      const before = pageAfter([], start);
      const one = pageAfter(updates, start);
      const merged = mergeWindowUpdates(updates, (id) => before.messages.has(id));
      const many = pageAfter(merged, start);
      assert.deepEqual(shown(many), shown(one), `seed ${seed}`);
      assert.equal(many.atStart, one.atStart, `seed ${seed}`);
      assert.equal(many.atEnd, one.atEnd, `seed ${seed}`);
      assert.equal(many.loading, one.loading, `seed ${seed}`);
      assert.equal(many.unseen, one.unseen, `seed ${seed}`);
      assert.ok(merged.length <= updates.length);
    }
  });

  it('two updates go at once; the rest wait until the page says it applied them, then go as one', () => {
    const flow = new WindowFlow(2);
    const has = () => false;
    const a = flow.offer(win('older', [msg(10)]), has);
    const b = flow.offer(win('older', [msg(9)]), has);
    assert.deepEqual([...a, ...b].map((u) => (u as WindowUpdate).seq), [1, 2]);
    for (let n = 8; n > 0; n--) assert.deepEqual(flow.offer(win('older', [msg(n)]), has), []);
    assert.equal(flow.waiting, 1, "eight pages wait as one");
    // An old or unknown number changes nothing.
    assert.deepEqual(flow.applied(0), []);
    assert.deepEqual(flow.applied(99), []);
    const released = flow.applied(2) as WindowUpdate[];
    assert.equal(released.length, 1);
    assert.equal(released[0]!.seq, 3);
    assert.deepEqual(released[0]!.upserted.map((m) => m.id), ['m8', 'm7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);
    assert.equal(flow.waiting, 0);
    // One on its way: the next goes at once.
    assert.equal(flow.offer(win('live', [msg(20)]), has).length, 1);
  });

  it('anything else sent to the page first releases what waits, so the page sees things in order', () => {
    const flow = new WindowFlow(1);
    flow.offer(win('older', [msg(5)]), () => false);
    assert.deepEqual(flow.offer(win('older', [msg(4)]), () => false), []);
    const out: ChatPageUpdate[] = flow.offer({ type: 'reveal', id: 'm4' }, () => false);
    assert.deepEqual(
      out.map((u) => u.type),
      ['window', 'reveal'],
    );
    assert.equal((out[0] as WindowUpdate).upserted[0]!.id, 'm4');
  });

  it('a page that starts over drops what waits (it gets the whole window again)', () => {
    const flow = new WindowFlow(1);
    flow.offer(win('live', [msg(1)]), () => false);
    flow.offer(win('live', [msg(2)]), () => false);
    flow.restart();
    assert.equal(flow.waiting, 0);
    assert.equal(flow.offer(win('reset', [msg(1), msg(2)]), () => false).length, 1);
  });

  it('paging through 10,000 messages faster than the page draws: each post carries at most one window, and far fewer posts', () => {
    const flow = new WindowFlow();
    const page = emptyWindow();
    let posted = 0;
    let messagesPosted = 0;
    let lastSeq = 0;
    let most = 0;
    const deliver = (updates: ChatPageUpdate[]) => {
      for (const u of updates) {
        if (u.type !== 'window') continue;
        posted++;
        lastSeq = u.seq ?? lastSeq;
        messagesPosted += u.upserted.length;
        most = Math.max(most, u.upserted.length);
        applyWindowBatch(page, [u], false);
      }
    };
    // The host's window: the newest 250, then 400 older pages of 25, each dropping 25 at the bottom.
    const host: number[] = Array.from({ length: 250 }, (_, i) => 9750 + i);
    deliver(flow.offer(win('reset', host.map((n) => msg(n))), (id) => page.messages.has(id)));
    for (let p = 0; p < 390; p++) {
      const older = Array.from({ length: 25 }, (_, i) => host[0]! - 25 + i);
      const dropped = host.splice(host.length - 25, 25);
      host.unshift(...older);
      deliver(flow.offer(win('older', older.map((n) => msg(n)), dropped.map((n) => `m${n}`)), (id) => page.messages.has(id)));
      // The page draws once every 20 pages.
      if (p % 20 === 19) deliver(flow.applied(lastSeq));
    }
    deliver(flow.release());
    assert.deepEqual(sortedMessages(page).map((m) => m.id), host.map((n) => `m${n}`));
    assert.ok(posted < 60, `${posted} window posts`);
    assert.ok(most <= 250, `${most} messages in one post`);
    // Unpaced, the page would get all 9,750 + 250 messages in 391 posts.
    assert.ok(messagesPosted < 6_000, `${messagesPosted} messages posted`);
  });

  it('a page that draws nothing while 390 pages go by holds one window, not 390 pages', () => {
    const flow = new WindowFlow(0);
    const page = new Set(Array.from({ length: 250 }, (_, i) => `m${9750 + i}`));
    const host: number[] = Array.from({ length: 250 }, (_, i) => 9750 + i);
    for (let p = 0; p < 390; p++) {
      const older = Array.from({ length: 25 }, (_, i) => host[0]! - 25 + i);
      const dropped = host.splice(host.length - 25, 25);
      host.unshift(...older);
      assert.deepEqual(flow.offer(win('older', older.map((n) => msg(n)), dropped.map((n) => `m${n}`)), (id) => page.has(id)), []);
    }
    assert.equal(flow.waiting, 1);
    const [merged] = flow.release();
    assert.deepEqual(merged!.upserted.map((m) => m.id).sort(), host.map((n) => `m${n}`).sort());
    assert.deepEqual([...merged!.removed].sort(), [...page].sort());
  });

  it('a page that stopped drawing while kinds alternate does not make the host keep runs without end', () => {
    const flow = new WindowFlow(1);
    let posted = 0;
    for (let i = 0; i < 1000; i++) posted += flow.offer(win(i % 2 ? 'older' : 'live', [msg(i)]), () => false).length;
    assert.ok(flow.waiting <= WINDOW_MAX_WAITING, `${flow.waiting} waiting`);
    assert.ok(posted > 0 && posted < 1000, `${posted} posted`);
  });
});
