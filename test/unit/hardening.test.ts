// The hardening rules, without a window: untrusted text in VS Code's UI, where the token may go,
// OAuth answers and endpoints, the response size cap, stale pages after a refresh, and logins
// that are cancelled or time out while their create request is still in flight.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BeeperClient } from '../../src/api/client';
import { BeeperApiError } from '../../src/api/errors';
import type { LoginSession, Page } from '../../src/api/types';
import { decideOrigin, isInsecureRemote } from '../../src/connection/origin';
import * as oauth from '../../src/connection/oauth';
import { runLogin, type LoginApi, type LoginPrompter } from '../../src/login/stepMachine';
import { Pager } from '../../src/model/pager';
import { untrusted, untrustedLabel } from '../../src/text/untrusted';
import { startSandbox, type Sandbox } from '../sandbox/server';

describe('untrusted text in VS Code UI', () => {
  it('breaks command links and codicons, strips control and bidi characters, and bounds the length', () => {
    const link = untrusted('Click [here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) now');
    assert.doesNotMatch(link, /\]\(/, 'no Markdown link can form');
    assert.match(link, /here/);
    assert.doesNotMatch(untrusted('[x] (command:foo)'), /\]\s*\(/);
    const icon = untrusted('$(zap) Urgent $(alert)');
    assert.doesNotMatch(icon, /\$\(/, 'no codicon can form');
    assert.match(icon, /Urgent/);
    assert.equal(untrusted('evil\u202Egnp.exe\u200B\u2066x\u0007'), 'evilgnp.exex');
    assert.equal(untrusted('line one\nline two\r\n'), 'line one line two');
    // Joiners build emoji and some scripts: a family stays one emoji, Persian keeps its shape.
    assert.equal(untrusted('Family 👨\u200d👩\u200d👧'), 'Family 👨\u200d👩\u200d👧');
    assert.equal(untrusted('می\u200cخواهم'), 'می\u200cخواهم');
    const long = untrusted('x'.repeat(10_000), 300);
    assert.equal(Array.from(long).length, 300);
    assert.ok(long.endsWith('…'));
    // Cutting cannot rebuild a link: the split happens after the cut.
    assert.doesNotMatch(untrusted(`${'a'.repeat(10)}[l](command:x)`, 14), /\]\(/);
    assert.equal(untrustedLabel('  \u202E '), '(untitled)');
    assert.equal(untrusted({ toString: () => '[x](command:y)' }), '', 'only strings, numbers and booleans are shown');
  });
});

describe('where the stored token may go', () => {
  const base = { baseUrlSource: 'setting' as const, tokenSource: 'stored' as const, approved: [] as string[] };
  it('sends to loopback whatever the token was stored for', () => {
    for (const url of ['http://localhost:23374', 'http://127.0.0.1:9', 'http://[::1]:23373']) {
      assert.deepEqual(decideOrigin({ ...base, baseUrl: url, boundOrigin: 'https://beeper.example' }), { send: true }, url);
    }
  });
  it('asks before another origin, and always before plain http to another computer', () => {
    const other = decideOrigin({ ...base, baseUrl: 'https://evil.example:8443/api', boundOrigin: 'http://localhost:23373' });
    assert.deepEqual(other, { send: false, origin: 'https://evil.example:8443', host: 'evil.example:8443', insecure: false, boundOrigin: 'http://localhost:23373' });
    assert.deepEqual(decideOrigin({ ...base, baseUrl: 'https://beeper.example', boundOrigin: 'https://beeper.example' }), { send: true }, 'its own https origin');
    const plain = decideOrigin({ ...base, baseUrl: 'http://192.0.2.10:23373', boundOrigin: 'http://192.0.2.10:23373' });
    assert.equal(plain.send, false, 'plain http to another computer, even its own origin');
    assert.equal(!plain.send && plain.insecure, true);
    assert.equal(decideOrigin({ ...base, baseUrl: 'https://legacy.example' }).send, false, 'a token stored before origins were recorded');
  });
  it('remembers a yes per origin', () => {
    assert.deepEqual(decideOrigin({ ...base, baseUrl: 'http://192.0.2.10:23373', approved: ['http://192.0.2.10:23373'] }), { send: true });
    assert.equal(decideOrigin({ ...base, baseUrl: 'http://192.0.2.11:23373', approved: ['http://192.0.2.10:23373'] }).send, false);
  });
  it('leaves the environment alone: whoever sets it owns the machine', () => {
    assert.deepEqual(decideOrigin({ ...base, tokenSource: 'environment', baseUrl: 'http://192.0.2.10:1' }), { send: true });
    assert.deepEqual(decideOrigin({ ...base, baseUrlSource: 'environment', baseUrl: 'http://192.0.2.10:1' }), { send: true });
    assert.deepEqual(decideOrigin({ ...base, tokenSource: 'none', baseUrl: 'http://192.0.2.10:1' }), { send: true }, 'no token, nothing to leak');
    assert.ok(isInsecureRemote('http://192.0.2.10:1') && !isInsecureRemote('http://localhost:1') && !isInsecureRemote('https://x.example'));
  });
});

describe('OAuth answers and endpoints', () => {
  const good = { authorization_endpoint: 'http://127.0.0.1:23373/oauth/authorize', token_endpoint: 'http://127.0.0.1:23373/oauth/token', registration_endpoint: 'http://127.0.0.1:23373/oauth/register' };
  it('keeps every endpoint on the base URL’s origin or this computer', () => {
    assert.deepEqual(oauth.checkEndpoints(good, 'http://127.0.0.1:23373'), good);
    assert.ok(oauth.checkEndpoints({ ...good, token_endpoint: 'https://beeper.example/oauth/token' }, 'https://beeper.example'));
    for (const bad of ['https://evil.example/token', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      assert.throws(() => oauth.checkEndpoints({ ...good, token_endpoint: bad }, 'https://beeper.example'), (e: unknown) => e instanceof BeeperApiError && e.kind === 'badResponse', bad);
    }
    assert.throws(() => oauth.checkEndpoints({ ...good, revocation_endpoint: 'https://evil.example/revoke' }, 'http://127.0.0.1:23373'));
  });
  it('opens only an http(s) authorization URL', () => {
    const pkce = oauth.createPkce();
    assert.match(oauth.authorizeUrl(good, 'c', 'http://127.0.0.1:1/callback', pkce, 's'), /^http:\/\/127\.0\.0\.1:23373\/oauth\/authorize\?/);
    assert.throws(() => oauth.authorizeUrl({ ...good, authorization_endpoint: 'javascript:alert(1)' }, 'c', 'r', pkce, 's'), BeeperApiError);
  });
  it('reads null, arrays and scalars as a typed error, not a TypeError', () => {
    for (const text of ['null', '[]', '42', '"token"', 'true', '{']) {
      assert.throws(() => oauth.readOAuthBody(200, text), (e: unknown) => e instanceof BeeperApiError && e.kind === 'badResponse', text);
    }
    assert.deepEqual(oauth.readOAuthBody(200, '{"client_id":"x"}'), { client_id: 'x' });
  });
  it('does not send a token for revocation outside its server', async () => {
    await assert.rejects(oauth.revokeToken({ revocation_endpoint: 'https://evil.example/revoke' }, 'secret', 'http://127.0.0.1:23373'), BeeperApiError);
  });
});

describe('response size cap', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());
  it('stops reading a body past 16 MB and says so, then carries on', async () => {
    const outcomes: string[] = [];
    const client = new BeeperClient({ baseUrl: sandbox.url, token: () => sandbox.token, onOutcome: (o) => outcomes.push(o === 'ok' ? 'ok' : o.kind) });
    sandbox.setFaults({ rules: [{ path: '/v1/chats', body: 'huge', times: 1 }] });
    const before = process.memoryUsage().heapUsed;
    await assert.rejects(client.listChats(), (e: unknown) => e instanceof BeeperApiError && e.kind === 'tooLarge' && /16 MB/.test(e.message));
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024, 'the body was not kept');
    assert.ok((await client.listChats()).items.length > 0, 'the next call works');
    assert.deepEqual(outcomes, ['tooLarge', 'ok'], 'each call reports its outcome once');
    await client.dispose();
  });
  it('refuses a declared Content-Length over the cap before reading', async () => {
    const client = new BeeperClient({ baseUrl: sandbox.url, token: () => sandbox.token, maxResponseBytes: 1000 });
    await assert.rejects(client.listBridges(), (e: unknown) => e instanceof BeeperApiError && e.kind === 'tooLarge');
    await client.dispose();
  });
});

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
    assert.equal(pager.items.length, 0, 'the stale page did not land');
    assert.equal(pager.next(), pager.next(), 'the new request is still the one in flight');
    releases[1]!({ items: [{ id: 'new' }], hasMore: false, oldestCursor: null, newestCursor: null });
    assert.deepEqual((await fresh).map((i) => i.id), ['new']);
    assert.deepEqual((await old).map((i) => i.id), ['new'], 'whoever asked before the refresh gets the refreshed list');
    assert.deepEqual(pager.items.map((i) => i.id), ['new']);
  });
});

/** A login API whose create answers only when the test says so; DELETEs are recorded. */
class SlowCreate implements LoginApi {
  created: string[] = [];
  cancelled: string[] = [];
  private release!: () => void;
  readonly answered = new Promise<void>((r) => (this.release = r));
  private counter = 0;
  answer(): void {
    this.release();
  }
  async createLoginSession(bridgeID: string): Promise<LoginSession> {
    const id = `ls_${++this.counter}`;
    this.created.push(id);
    await this.answered;
    return { bridgeID, loginSessionID: id, status: 'waiting_for_input', currentStep: { type: 'user_input', stepID: 's1', fields: [{ id: 'phone' }] } };
  }
  async getLoginSession(): Promise<LoginSession> {
    throw new Error('not used');
  }
  async submitLoginStep(): Promise<unknown> {
    throw new Error('not used');
  }
  async cancelLoginSession(bridgeID: string, id: string) {
    this.cancelled.push(id);
    return { bridgeID, loginSessionID: id, status: 'cancelled' as const };
  }
}

/** A prompter whose input box stays open until its signal closes it, like the real one. */
function waitingPrompter(): LoginPrompter & { opened: number; closedBySignal: number } {
  const p = {
    opened: 0,
    closedBySignal: 0,
    askField: (_r: unknown, signal: AbortSignal) =>
      new Promise<string | undefined>((resolve) => {
        p.opened++;
        signal.addEventListener('abort', () => {
          p.closedBySignal++;
          resolve(undefined);
        });
      }),
    beginCookies: async () => true,
    askCookie: async () => undefined,
    showDisplay: () => undefined,
    closeDisplay: () => undefined,
    progress: () => undefined,
  };
  return p;
}

describe('no login session is left open', () => {
  it('cancel while the create is in flight: the create finishes, then its session is cancelled', async () => {
    const api = new SlowCreate();
    const abort = new AbortController();
    const run = runLogin({ api, prompter: waitingPrompter(), bridgeID: 'b', session: {}, signal: abort.signal, createTimeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await new Promise((r) => setTimeout(r, 10));
    api.answer();
    assert.deepEqual(await run, { status: 'cancelled' });
    assert.deepEqual(api.cancelled, ['ls_1']);
  });

  it('a create that times out: the login says so, and the session is cancelled once its answer arrives', async () => {
    const api = new SlowCreate();
    const late: Promise<void>[] = [];
    const outcome = await runLogin({ api, prompter: waitingPrompter(), bridgeID: 'b', session: {}, signal: new AbortController().signal, createTimeoutMs: 30, onLateCleanup: (p) => late.push(p) });
    assert.equal(outcome.status, 'error');
    assert.ok(outcome.status === 'error' && outcome.error instanceof BeeperApiError && outcome.error.kind === 'timeout');
    assert.equal(late.length, 1, 'a background cleanup was handed over');
    assert.deepEqual(api.cancelled, []);
    api.answer();
    await late[0];
    assert.deepEqual(api.cancelled, ['ls_1']);
  });

  it('cancel while an input box is open: the box closes and the session is cancelled', async () => {
    const api = new SlowCreate();
    api.answer();
    const prompter = waitingPrompter();
    const abort = new AbortController();
    const run = runLogin({ api, prompter, bridgeID: 'b', session: {}, signal: abort.signal });
    while (prompter.opened === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    assert.deepEqual(await run, { status: 'cancelled' });
    assert.equal(prompter.closedBySignal, 1, 'the prompt was closed by the signal');
    assert.deepEqual(api.cancelled, ['ls_1']);
  });

  it('a login past its deadline: the prompt closes, the session is cancelled, and the message says why', async () => {
    const api = new SlowCreate();
    api.answer();
    const prompter = waitingPrompter();
    const outcome = await runLogin({ api, prompter, bridgeID: 'b', session: {}, signal: new AbortController().signal, deadlineMs: 60 });
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed' && outcome.error.code === 'LOGIN_TIMEOUT' && /did not finish within 1 minute/.test(outcome.error.message));
    assert.equal(prompter.closedBySignal, 1);
    assert.deepEqual(api.cancelled, ['ls_1']);
  });
});
