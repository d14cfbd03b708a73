// The API client against the sandbox: every route it covers, and every failure mapped to a
// typed error a user can act on — with the token in no message.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BeeperClient } from '../../../src/api/client';
import { BeeperApiError } from '../../../src/api/errors';
import { ACCOUNT_STATUSES, BRIDGE_PROVIDERS, BRIDGE_STATUSES } from '../../../src/api/types';
import { control } from '../../sandbox/control';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { freePort } from '../../host/codeServer';

const TOKEN = 'unit-test-secret-token-7c1e';

let sandbox: Sandbox;
let client: BeeperClient;
let sent = 0;

function clientFor(baseUrl: string, token: string | undefined = TOKEN, requestTimeoutMs?: number) {
  return new BeeperClient({ baseUrl, token: () => token, requestTimeoutMs, connectTimeoutMs: 1000 });
}

async function failure(promise: Promise<unknown>): Promise<BeeperApiError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof BeeperApiError, `a BeeperApiError, got ${String(e)}`);
    const text = `${e.message} ${e.hint ?? ''} ${e.stack ?? ''} ${JSON.stringify(e)}`;
    assert.ok(!text.includes(TOKEN), 'the token never appears in an error');
    return e;
  }
  assert.fail('expected the call to fail');
}

before(async () => {
  sandbox = await startSandbox({ token: TOKEN });
  client = new BeeperClient({ baseUrl: sandbox.url, token: () => TOKEN, onRequest: () => sent++ });
});
after(async () => {
  await client.dispose();
  await sandbox.close();
});
beforeEach(() => sandbox.setFaults({}));

describe('client: stable routes', () => {
  it('reads server info without a token', async () => {
    const anonymous = clientFor(sandbox.url, undefined);
    const info = await anonymous.getInfo();
    assert.equal(info.server.port, sandbox.port);
    assert.match(info.endpoints?.oauth?.authorization_endpoint ?? '', /\/oauth\/authorize$/);
    await anonymous.dispose();
  });

  it('lists accounts in every status, and gets one', async () => {
    const accounts = await client.listAccounts();
    assert.deepEqual(new Set(accounts.map((a) => a.status)), new Set(ACCOUNT_STATUSES));
    const one = await client.getAccount(accounts[1]!.accountID);
    assert.equal(one.accountID, accounts[1]!.accountID);
    assert.ok(one.statusText && one.user.id && one.bridge?.provider);
  });

  it('searches and pages contacts', async () => {
    const first = await client.listContacts('local-whatsapp_ba_sandbox1', { limit: 10 });
    assert.equal(first.items.length, 10);
    assert.equal(first.hasMore, true);
    const second = await client.listContacts('local-whatsapp_ba_sandbox1', { limit: 10, cursor: first.oldestCursor!, direction: 'before' });
    assert.ok(second.items.every((u) => !first.items.some((f) => f.id === u.id)), 'the second page holds other contacts');
    const name = first.items[0]!.fullName!.split(' ')[0]!;
    const found = await client.searchContacts('local-whatsapp_ba_sandbox1', name);
    assert.ok(found.length > 0 && found.every((u) => u.fullName?.includes(name)));
  });

  it('pages through all chats of an account, newest first, without gaps or repeats', async () => {
    const ids: string[] = [];
    let last = Infinity;
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await client.searchChats({ accountIDs: ['local-whatsapp_ba_sandbox1'], limit: 50, cursor, direction: cursor ? 'before' : undefined });
      pages++;
      for (const chat of page.items) {
        const t = Date.parse(chat.lastActivity!);
        assert.ok(t <= last, 'newest activity first');
        last = t;
        ids.push(chat.id);
      }
      if (!page.hasMore) break;
      cursor = page.oldestCursor!;
    }
    assert.equal(pages, 3);
    assert.equal(ids.length, 120);
    assert.equal(new Set(ids).size, 120);
  });

  it('lists chats with the plain list route and searches by title', async () => {
    const page = await client.listChats({ accountIDs: ['matrix'] });
    assert.ok(page.items.length > 0 && page.items.every((c) => c.accountID === 'matrix'));
    const hits = await client.searchChats({ query: 'book club' });
    assert.ok(hits.items.length > 0 && hits.items.every((c) => /book club/i.test(c.title)));
  });

  it('gets a chat with a bounded or complete participant list', async () => {
    const big = sandbox.world.chats.find((c) => c.participantCount === 1000)!;
    const some = await client.getChat(big.id, { maxParticipantCount: 100 });
    assert.equal(some.participants.items.length, 100);
    assert.equal(some.participants.total, 1000);
    assert.equal(some.participants.hasMore, true);
    const all = await client.getChat(big.id, { maxParticipantCount: -1 });
    assert.equal(all.participants.items.length, 1000);
    assert.equal(all.participants.hasMore, false);
    assert.equal(all.participants.items.filter((p) => p.isSelf).length, 1);
  });

  it('focuses Beeper Desktop on a chat', async () => {
    const chat = sandbox.world.chats[0]!;
    assert.deepEqual(await client.focus({ chatID: chat.id }), { success: true });
  });
});

describe('client: bridge and login routes', () => {
  it('lists bridges of every provider and status, with their accounts', async () => {
    const bridges = await client.listBridges();
    assert.deepEqual(new Set(bridges.map((b) => b.provider)), new Set(BRIDGE_PROVIDERS));
    assert.deepEqual(new Set(bridges.map((b) => b.status)), new Set(BRIDGE_STATUSES));
    const whatsapp = await client.getBridge('local-whatsapp');
    assert.equal(whatsapp.accounts.length, 2);
    assert.equal(whatsapp.activeAccountCount, 2);
    const caps = await client.getBridgeCapabilities('local-whatsapp');
    assert.equal(caps.resolve_identifier.lookup_phone, true);
    const flows = await client.listLoginFlows('local-telegram');
    assert.deepEqual(flows.map((f) => f.id), ['phone', 'qr']);
  });

  it('runs a login session: create, read, submit a step, cancel', async () => {
    const created = await client.createLoginSession('local-telegram', { flowID: 'phone' });
    assert.equal(created.status, 'waiting_for_input');
    assert.equal(created.currentStep?.type, 'user_input');
    const read = await client.getLoginSession('local-telegram', created.loginSessionID);
    assert.equal(read.currentStep?.stepID, created.currentStep?.stepID);
    const next = await client.submitLoginStep('local-telegram', created.loginSessionID, created.currentStep.stepID, {
      type: 'user_input',
      fields: { phone_number: '+1 555 010 0199' },
    });
    assert.notEqual(next.currentStep?.stepID, created.currentStep?.stepID);
    const cancelled = await client.cancelLoginSession('local-telegram', created.loginSessionID);
    assert.deepEqual(cancelled, { bridgeID: 'local-telegram', loginSessionID: created.loginSessionID, status: 'cancelled' });
    assert.equal(sandbox.openLoginSessions(), 0);
  });
});

describe('client: failures a user can act on', () => {
  it('Beeper Desktop not running: unreachable, with what to check', async () => {
    const port = await freePort();
    const down = clientFor(`http://127.0.0.1:${port}`);
    const e = await failure(down.listAccounts());
    assert.equal(e.kind, 'unreachable');
    assert.match(e.userMessage, /not answering.*Start Beeper Desktop/s);
    await down.dispose();
  });

  it('wrong port (something else answers): notBeeper, pointing at the setting', async () => {
    const other = http.createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not found</h1>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const port = (other.address() as { port: number }).port;
    const wrong = clientFor(`http://127.0.0.1:${port}`);
    const e = await failure(wrong.listAccounts());
    assert.equal(e.kind, 'notBeeper');
    assert.match(e.hint ?? '', /beeper\.baseUrl/);
    await wrong.dispose();
    other.close();
  });

  it('a bad token: unauthorized, needing sign-in, never echoing the token', async () => {
    const bad = clientFor(sandbox.url, `${TOKEN}-revoked`);
    const e = await failure(bad.listAccounts());
    assert.equal(e.kind, 'unauthorized');
    assert.equal(e.needsSignIn, true);
    assert.ok(!e.userMessage.includes(`${TOKEN}-revoked`));
    await bad.dispose();
  });

  it('403: forbidden, with the server’s message', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/accounts', status: 403 }] });
    const e = await failure(client.listAccounts());
    assert.equal(e.kind, 'forbidden');
    assert.match(e.message, /Sandbox fault: HTTP 403/);
  });

  it('404 on the bridge routes of an older Beeper Desktop: feature unavailable, not a crash', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/bridges', status: 404 }] });
    for (const call of [client.listBridges(), client.listLoginFlows('local-telegram'), client.createLoginSession('local-telegram')]) {
      const e = await failure(call);
      assert.equal(e.kind, 'featureUnavailable');
      assert.match(e.userMessage, /does not offer chat-account management.*Update Beeper Desktop/s);
    }
  });

  it('404 for a bridge or chat that does not exist: not found', async () => {
    assert.equal((await failure(client.getBridge('no-such-bridge'))).kind, 'notFound');
    assert.equal((await failure(client.getChat('!nope:sandbox'))).kind, 'notFound');
    assert.equal((await failure(client.getLoginSession('local-telegram', 'ls_missing'))).kind, 'notFound');
  });

  it('429 with a short Retry-After is waited out once', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/accounts', status: 429, retryAfter: 1, times: 1 }] });
    const before = sent;
    const started = Date.now();
    const accounts = await client.listAccounts();
    assert.ok(accounts.length > 0);
    assert.equal(sent - before, 2, 'one retry');
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
  });

  it('429 with a long Retry-After: rateLimited, saying when to try again', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/accounts', status: 429, retryAfter: 120 }] });
    const e = await failure(client.listAccounts());
    assert.equal(e.kind, 'rateLimited');
    assert.equal(e.retryAfterMs, 120_000);
    assert.match(e.hint ?? '', /in 120 s/);
  });

  it('5xx: server error with the server’s message', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/bridges', status: 503 }] });
    const e = await failure(client.listBridges());
    assert.equal(e.kind, 'server');
    assert.equal(e.status, 503);
  });

  it('a stalled answer times out', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/accounts', stallMs: 3000 }] });
    const impatient = clientFor(sandbox.url, TOKEN, 300);
    const started = Date.now();
    const e = await failure(impatient.listAccounts());
    assert.equal(e.kind, 'timeout');
    assert.ok(Date.now() - started < 2000, 'gave up at the timeout');
    await impatient.dispose();
  });

  it('a closed connection: connectionClosed', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/accounts', close: true }] });
    assert.equal((await failure(client.listAccounts())).kind, 'connectionClosed');
  });

  it('a truncated, empty or non-JSON body: badResponse', async () => {
    for (const body of ['truncated', 'empty', 'html'] as const) {
      sandbox.setFaults({ rules: [{ path: '/v1/accounts', body }] });
      assert.equal((await failure(client.listAccounts())).kind, 'badResponse', body);
    }
  });

  it('JSON of the wrong shape: badResponse naming the field', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/chats/search', body: 'wrongShape' }] });
    const e = await failure(client.searchChats({}));
    assert.equal(e.kind, 'badResponse');
    assert.match(e.message, /body\.items should be a list/);
  });

  it('a call cancelled by its AbortSignal: cancelled', async () => {
    sandbox.setFaults({ rules: [{ path: '/v1/accounts', stallMs: 2000 }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    assert.equal((await failure(client.listAccounts({ signal: controller.signal }))).kind, 'cancelled');
  });

  it('an invalid base URL: a clear error before any request', () => {
    assert.throws(() => clientFor('localhost 23373'), (e: unknown) => e instanceof BeeperApiError && /not a valid address/.test(e.message));
  });
});

describe('client: tolerant reading', () => {
  it('keeps unknown enum values and ignores unknown fields', async () => {
    await control(sandbox, 'PATCH', '/_sandbox/accounts/matrix', { status: 'quantum_entangled', futureField: { nested: true } });
    const account = await client.getAccount('matrix');
    assert.equal(account.status, 'quantum_entangled');
    assert.ok(!('futureField' in account));
  });
});
