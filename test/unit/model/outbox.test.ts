// The outbox (src/model/outbox.ts) with a fake clock and a fake client: unclear failures, the
// "did it arrive" check before a retry, resolving a pending ID without a socket event, ordering,
// and the one length check shared by the composer, the notification Reply and the send tool.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BeeperApiError } from '../../../src/api/errors';
import type { Message, Page, SendMessageParams } from '../../../src/api/types';
import { checkOutgoing, localMessage, Outbox, type OutboxClient, type OutboxClock, type OutgoingSend } from '../../../src/model/outbox';
import { compareSortKeys } from '../../../src/model/conversation';
import { MAX_MESSAGE_CHARS } from '../../../src/text/format';

/** Time moves only when a test says so; sleepers wake in order. */
class FakeClock implements OutboxClock {
  t = 1_000_000;
  private sleepers: { at: number; wake: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ at: this.t + ms, wake }));
  }
  /** Moves time on, waking every sleeper that is due (and letting their work run). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > end) break;
      this.sleepers.shift();
      this.t = next.at;
      next.wake();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function message(id: string, over: Partial<Message> = {}): Message {
  return { id, chatID: 'c1', accountID: 'a1', senderID: 'me', timestamp: new Date(1_000_000).toISOString(), sortKey: '100', type: 'TEXT', isSender: true, text: 'hi', ...over };
}

class FakeClient implements OutboxClient {
  sends: SendMessageParams[] = [];
  /** What the next sendMessage does. */
  next: Array<'ok' | BeeperApiError> = [];
  lookups = 0;
  /** The message the pending ID resolves to (undefined: still pending). */
  resolved: Message | undefined;
  newest: Message[] = [];
  private counter = 0;
  async sendMessage(_chatID: string, params: SendMessageParams): Promise<{ pendingMessageID: string }> {
    this.sends.push(params);
    const outcome = this.next.shift() ?? 'ok';
    if (outcome !== 'ok') throw outcome;
    return { pendingMessageID: `pending-${++this.counter}` };
  }
  async getMessage(_chatID: string, id: string): Promise<Message> {
    this.lookups++;
    return this.resolved ?? message(id, { sendStatus: { status: 'PENDING' } });
  }
  async listMessages(): Promise<Page<Message>> {
    return { items: this.newest, hasMore: false, oldestCursor: null, newestCursor: null };
  }
}

function setup() {
  const clock = new FakeClock();
  const client = new FakeClient();
  const log = { changed: [] as string[], resolved: [] as Message[], arrived: [] as Message[] };
  const outbox = new Outbox(
    { chatID: 'c1', client: async () => client, toText: (html) => html.replace(/<[^>]*>/g, ''), clock, pollMs: 1000, giveUpMs: 10_000 },
    {
      changed: (o) => log.changed.push(o.error ? `failed:${o.localID}` : o.pendingID ? `sent:${o.pendingID}` : `sending:${o.localID}`),
      resolved: (_o, m) => log.resolved.push(m),
      arrived: (_o, m) => log.arrived.push(m),
    },
  );
  return { clock, client, log, outbox };
}

describe('outbox', () => {
  it('a send shows as sending, gets its pending ID, and resolves by lookup when no event comes', async () => {
    const { clock, client, log, outbox } = setup();
    const o = outbox.create('hello');
    await outbox.attempt(o);
    assert.deepEqual(log.changed, [`sending:${o.localID}`, 'sent:pending-1']);
    assert.deepEqual(client.sends, [{ text: 'hello' }]);
    // Still pending at the first lookups; the server then has the final message.
    await clock.advance(1500);
    assert.equal(client.lookups, 1);
    assert.equal(log.resolved.length, 0);
    client.resolved = message('final-1', { text: 'hello' });
    await clock.advance(1000);
    assert.equal(log.resolved[0]?.id, 'final-1');
    assert.equal(outbox.entries().length, 0);
    // Nothing more is looked up once resolved.
    const lookups = client.lookups;
    await clock.advance(5000);
    assert.equal(client.lookups, lookups);
  });

  it('a socket event settles the send: no more lookups, nothing sent twice', async () => {
    const { clock, client, outbox } = setup();
    const o = outbox.create('hello');
    await outbox.attempt(o);
    assert.equal(outbox.settle('pending-1', message('final-1'))?.localID, o.localID);
    await clock.advance(20_000);
    assert.equal(client.lookups, 0);
    assert.equal(client.sends.length, 1);
    // A still-pending message does not settle it.
    const p = outbox.create('again');
    await outbox.attempt(p);
    outbox.settle('pending-2', message('pending-2', { sendStatus: { status: 'PENDING' } }));
    assert.equal(outbox.entries().length, 1);
  });

  it('stops looking up after the give-up time', async () => {
    const { clock, client, outbox } = setup();
    await outbox.attempt(outbox.create('hello'));
    await clock.advance(30_000);
    const lookups = client.lookups;
    assert.ok(lookups >= 8 && lookups <= 10, `looked up ${lookups} times in 10 s`);
    await clock.advance(30_000);
    assert.equal(client.lookups, lookups);
  });

  it('an unclear failure (timeout) is not sent again when the message arrived after all', async () => {
    const { client, log, outbox } = setup();
    client.next = [new BeeperApiError({ kind: 'timeout', message: 'Beeper Desktop did not answer within 15 s.' })];
    const o = outbox.create('did it go?');
    await outbox.attempt(o);
    assert.equal(o.unclear, true);
    assert.match(o.error ?? '', /did not answer/);
    assert.equal(log.changed.at(-1), `failed:${o.localID}`);
    // The server did get it: Retry finds it and sends nothing.
    client.newest = [message('arrived-1', { text: '<p>did it go?</p>', timestamp: new Date(1_000_000).toISOString() })];
    assert.equal(await outbox.retry(o.localID), 'arrived');
    assert.equal(client.sends.length, 1);
    assert.equal(log.arrived[0]?.id, 'arrived-1');
    assert.equal(outbox.entries().length, 0);
  });

  it('an unclear failure that did not arrive is sent again on Retry; a clear failure is retried without the check', async () => {
    const { client, outbox } = setup();
    client.next = [new BeeperApiError({ kind: 'server', message: 'HTTP 502' })];
    const o = outbox.create('again please');
    await outbox.attempt(o);
    client.newest = [message('other', { text: 'something else' })];
    assert.equal(await outbox.retry(o.localID), 'sent');
    assert.equal(client.sends.length, 2);
    assert.equal(o.pendingID, 'pending-1');

    client.next = [new BeeperApiError({ kind: 'badRequest', message: 'The chat does not accept text.' })];
    const clear = outbox.create('refused');
    await outbox.attempt(clear);
    assert.equal(clear.unclear, false);
    client.next = [new BeeperApiError({ kind: 'badRequest', message: 'Still no.' })];
    assert.equal(await outbox.retry(clear.localID), 'failed');
    assert.equal(clear.error, 'Still no.');
    assert.equal(client.sends.length, 4);
  });

  it('Retry while an attempt is under way does nothing', async () => {
    const { client, outbox } = setup();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const send = client.sendMessage.bind(client);
    client.sendMessage = async (chatID, params) => {
      await slow;
      return send(chatID, params);
    };
    const o = outbox.create('slow');
    const attempt = outbox.attempt(o);
    assert.equal(await outbox.retry(o.localID), 'busy');
    release();
    await attempt;
    assert.equal(client.sends.length, 1);
  });

  it('local entries keep the order the user sent in, after every server message', () => {
    const { outbox } = setup();
    const sends: OutgoingSend[] = [outbox.create('one'), outbox.create('two'), outbox.create('three')];
    const chat = { chatID: 'c1', accountID: 'a1', selfID: 'me' };
    const keys = sends.map((o) => localMessage(o, chat, (t) => t).sortKey);
    assert.deepEqual([...keys].sort(compareSortKeys), keys);
    assert.ok(compareSortKeys(keys[0]!, '99999999999999999999') > 0, 'a local entry sorts after server messages');
    const escaped = localMessage(outbox.create('<b>x</b>'), chat, (t) => t.replace(/</g, '&lt;'));
    assert.equal(escaped.text, '&lt;b>x&lt;/b>');
    assert.deepEqual(escaped.sendStatus, { status: 'PENDING' });
  });

  it('one check for every sender: empty, too long, read-only', () => {
    assert.deepEqual(checkOutgoing('   '), { kind: 'empty' });
    assert.deepEqual(checkOutgoing('x'.repeat(MAX_MESSAGE_CHARS + 1)), { kind: 'tooLong', length: MAX_MESSAGE_CHARS + 1, max: MAX_MESSAGE_CHARS });
    assert.equal(checkOutgoing('x'.repeat(MAX_MESSAGE_CHARS)), undefined);
    assert.deepEqual(checkOutgoing('hi', { readOnly: true }), { kind: 'readOnly' });
  });
});
