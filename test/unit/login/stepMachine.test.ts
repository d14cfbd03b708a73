// The login step machine without a window: every step type and outcome, a wrong code, a
// refreshed QR code, failure, cancelling at each point, and the network going away. The server
// side is the sandbox's own login state machine, in memory; time is simulated.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BeeperApiError } from '../../../src/api/errors';
import type { DisplayAndWaitStep, LoginSession } from '../../../src/api/types';
import { runLogin, type LoginApi, type LoginProgress, type LoginPrompter } from '../../../src/login/stepMachine';
import * as login from '../../sandbox/login';

const OPTS: login.LoginOptions = { qrRefreshMs: 3_000, autoScanMs: 0, sessionTtlMs: 600_000 };

/** An in-memory Beeper login API over the sandbox state machine, with a simulated clock. */
class FakeServer implements LoginApi {
  clock = 0;
  sessions = new Map<string, login.SessionRecord>();
  calls: string[] = [];
  /** Calls that fail with this error while set (network loss). */
  down: BeeperApiError | undefined;
  /** Called on every GET: lets a test act "on the phone" at a given poll. */
  onPoll?: (s: login.SessionRecord, count: number) => void;
  polls = 0;

  constructor(private readonly flowID: string) {}

  get open(): number {
    return [...this.sessions.values()].filter(login.isOpen).length;
  }

  private json(s: login.SessionRecord): LoginSession {
    login.tick(s, this.clock, OPTS);
    return {
      bridgeID: s.bridgeID,
      loginSessionID: s.loginSessionID,
      status: login.statusOf(s),
      currentStep: login.currentStep(s, this.clock, OPTS, 'WhatsApp'),
      error: login.errorOf(s),
      account: login.statusOf(s) === 'complete' ? { accountID: 'new-account', user: { id: '@me', fullName: 'Me' }, network: 'WhatsApp' } : undefined,
    };
  }

  private check(what: string): void {
    this.calls.push(what);
    if (this.down) throw this.down;
  }

  async createLoginSession(bridgeID: string, params: { flowID?: string }) {
    this.check('create');
    const id = `s${this.sessions.size + 1}`;
    const s: login.SessionRecord = { bridgeID, loginSessionID: id, flowID: params.flowID ?? this.flowID, createdAt: this.clock, phase: login.initialPhase(params.flowID ?? this.flowID, this.clock), step: 1 };
    this.sessions.set(id, s);
    return this.json(s);
  }

  async getLoginSession(_b: string, id: string) {
    this.check('get');
    const s = this.sessions.get(id)!;
    this.onPoll?.(s, ++this.polls);
    return this.json(s);
  }

  async submitLoginStep(bridgeID: string, id: string, stepID: string, params: { type: string; fields?: Record<string, string> }) {
    this.check(`submit:${params.type}`);
    const s = this.sessions.get(id)!;
    login.submit(s, stepID, params, bridgeID);
    return this.json(s);
  }

  async cancelLoginSession(_b: string, id: string) {
    this.check('cancel');
    const s = this.sessions.get(id)!;
    if (!login.isOpen(s)) throw new BeeperApiError({ kind: 'http', status: 409, message: 'finished' });
    login.cancel(s);
    return { bridgeID: s.bridgeID, loginSessionID: id, status: 'cancelled' as const };
  }
}

/** A prompter that answers from a script and records what was shown. */
class ScriptedPrompter implements LoginPrompter {
  asked: { id: string; error?: string; masked: boolean }[] = [];
  displays: DisplayAndWaitStep[] = [];
  closed = 0;
  progressMessages: LoginProgress[] = [];
  cookiesShown = 0;

  constructor(
    private readonly answers: Record<string, (string | undefined)[]>,
    private readonly opts: { cookies?: boolean; onDisplay?: (step: DisplayAndWaitStep) => void } = {},
  ) {}

  async askField(r: Parameters<LoginPrompter['askField']>[0]) {
    this.asked.push({ id: r.field.id, error: r.error, masked: r.field.type === 'password' });
    const queue = this.answers[r.field.id];
    assert.ok(queue && queue.length, `no answer left for ${r.field.id}`);
    return queue.shift();
  }

  async beginCookies() {
    this.cookiesShown++;
    return this.opts.cookies ?? true;
  }

  async askCookie(r: Parameters<LoginPrompter['askCookie']>[0]) {
    return this.askField({ step: r.step as never, field: { id: r.field.id, type: 'password' }, index: r.index, count: r.count });
  }

  showDisplay(step: DisplayAndWaitStep) {
    this.displays.push(step);
    this.opts.onDisplay?.(step);
  }

  closeDisplay() {
    this.closed++;
  }

  progress(message: LoginProgress) {
    this.progressMessages.push(message);
  }
}

function harness(flowID: string) {
  const server = new FakeServer(flowID);
  const sleeps: number[] = [];
  const sleep = async (ms: number, signal: AbortSignal) => {
    if (signal.aborted) return;
    sleeps.push(ms);
    server.clock += ms;
  };
  return { server, sleeps, sleep };
}

describe('login step machine', () => {
  it('user_input: asks each field in order, masks passwords, shows a wrong code and asks again, then completes', async () => {
    const { server, sleep } = harness('phone');
    const prompter = new ScriptedPrompter({ phone_number: ['+1 555 010 0100'], code: ['00000', login.SANDBOX_LOGIN_CODE], password: [login.SANDBOX_2FA_PASSWORD], hint_ack: [''] });
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'local-telegram', session: { flowID: 'phone' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'complete');
    assert.equal(outcome.status === 'complete' && outcome.account?.accountID, 'new-account');
    assert.deepEqual(prompter.asked.map((a) => a.id), ['phone_number', 'code', 'code', 'password', 'hint_ack']);
    assert.match(prompter.asked[2]!.error ?? '', /login code is not right/);
    assert.equal(prompter.asked[1]!.error, undefined);
    assert.ok(prompter.asked[3]!.masked);
    assert.equal(server.open, 0);
    assert.ok(!server.calls.includes('cancel'));
  });

  it('display_and_wait (QR): shows the code, replaces it when it refreshes, polls with a bounded back-off, and completes on scan', async () => {
    const { server, sleep, sleeps } = harness('qr');
    // The phone scans on the 8th poll, after at least one refresh of the code.
    server.onPoll = (s, n) => {
      if (n === 8) login.scan(s);
    };
    const prompter = new ScriptedPrompter({});
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'local-whatsapp', session: { flowID: 'qr' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'complete');
    const codes = prompter.displays.map((d) => (d.display.type === 'qr' ? d.display.data : ''));
    assert.ok(codes.length >= 2, `the refreshed code replaced the first (${codes.length} shown)`);
    assert.equal(new Set(codes).size, codes.length, 'each shown code is new');
    assert.ok(codes.every((c) => c.startsWith('https://sandbox.beeper.invalid/login/s1/qr/')));
    assert.ok(sleeps[0] === 500, 'first poll after 0.5 s');
    assert.ok(Math.max(...sleeps) <= 2_000, 'never slower than every 2 s');
    assert.ok(prompter.closed >= 1, 'the display is closed at the end');
    assert.equal(server.open, 0);
  });

  it('emoji then nothing: shows each display, then completes', async () => {
    const { server, sleep } = harness('emoji');
    server.onPoll = (s, n) => {
      if (n === 2) login.scan(s);
    };
    const prompter = new ScriptedPrompter({});
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'local-instagram', session: { flowID: 'emoji' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'complete');
    assert.deepEqual(prompter.displays.map((d) => d.display.type), ['emoji', 'nothing']);
  });

  it('cookies: shows the instructions, asks each value, never needs extractJS, and completes', async () => {
    const { server, sleep } = harness('cookies');
    const prompter = new ScriptedPrompter({ d_cookie: ['xoxd-123'], local_config: ['{"teams":{}}'] });
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'slackgo', session: { flowID: 'cookies' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'complete');
    assert.equal(prompter.cookiesShown, 1);
    assert.deepEqual(prompter.asked.map((a) => a.id), ['d_cookie', 'local_config']);
  });

  it('a network that rejects the sign-in: failed, with its code and message, and nothing left to cancel', async () => {
    const { server, sleep } = harness('password');
    const prompter = new ScriptedPrompter({ username: ['me'], password: ['pw'] });
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'local-twitter', session: { flowID: 'password' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.error.code, 'NETWORK_LOGIN_REJECTED');
    assert.ok(!server.calls.includes('cancel'));
    assert.equal(server.open, 0);
  });

  it('Escape in any input box cancels the session on the server', async () => {
    const scripts: Record<string, (string | undefined)[]>[] = [{ phone_number: [undefined] }, { phone_number: ['+1 555 010 0100'], code: [undefined] }];
    for (const answers of scripts) {
      const { server, sleep } = harness('phone');
      const outcome = await runLogin({ api: server, prompter: new ScriptedPrompter(answers), bridgeID: 'local-telegram', session: { flowID: 'phone' }, signal: new AbortController().signal, sleep });
      assert.equal(outcome.status, 'cancelled');
      assert.equal(server.calls.at(-1), 'cancel');
      assert.equal(server.open, 0);
    }
  });

  it('declining the cookies step cancels the session', async () => {
    const { server, sleep } = harness('cookies');
    const outcome = await runLogin({ api: server, prompter: new ScriptedPrompter({}, { cookies: false }), bridgeID: 'slackgo', session: { flowID: 'cookies' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(server.open, 0);
  });

  it('closing the QR display (abort) while waiting stops polling and cancels the session', async () => {
    const { server, sleep } = harness('qr');
    const abort = new AbortController();
    server.onPoll = (_s, n) => {
      if (n === 3) abort.abort();
    };
    const outcome = await runLogin({ api: server, prompter: new ScriptedPrompter({}), bridgeID: 'local-whatsapp', session: { flowID: 'qr' }, signal: abort.signal, sleep });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(server.polls, 3, 'no poll after the cancel');
    assert.equal(server.calls.at(-1), 'cancel');
    assert.equal(server.open, 0);
  });

  it('cancelled before the session exists: nothing is created', async () => {
    const { server, sleep } = harness('qr');
    const abort = new AbortController();
    abort.abort();
    const outcome = await runLogin({ api: server, prompter: new ScriptedPrompter({}), bridgeID: 'local-whatsapp', session: {}, signal: abort.signal, sleep });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(server.sessions.size, 0);
  });

  it('a short network loss while waiting is ridden out: the login still completes', async () => {
    const { server, sleep } = harness('qr');
    server.onPoll = (s, n) => {
      if (n === 2) server.down = new BeeperApiError({ kind: 'unreachable', message: 'Beeper Desktop is not running' });
      if (n === 4) login.scan(s);
    };
    let downPolls = 0;
    const origGet = server.getLoginSession.bind(server);
    server.getLoginSession = async (b, id) => {
      if (server.down && ++downPolls === 3) server.down = undefined;
      return origGet(b, id);
    };
    const prompter = new ScriptedPrompter({});
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'local-whatsapp', session: { flowID: 'qr' }, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'complete');
    assert.ok(prompter.progressMessages.includes('reconnecting'), 'the user is told');
  });

  it('a network loss that lasts: the login stops with the error and cancels the session once Beeper is back within the window', async () => {
    const { server, sleep } = harness('phone');
    let deleteAttempts = 0;
    const origCancel = server.cancelLoginSession.bind(server);
    server.cancelLoginSession = async (b, id) => {
      // Beeper Desktop comes back on the third attempt to cancel.
      if (++deleteAttempts === 3) server.down = undefined;
      return origCancel(b, id);
    };
    const prompter = new ScriptedPrompter({ phone_number: ['+1 555 010 0100'] });
    const origSubmit = server.submitLoginStep.bind(server);
    server.submitLoginStep = async (...args) => {
      server.down = new BeeperApiError({ kind: 'unreachable', message: 'Beeper Desktop is not running' });
      return origSubmit(...args);
    };
    const outcome = await runLogin({ api: server, prompter, bridgeID: 'local-telegram', session: { flowID: 'phone' }, signal: new AbortController().signal, sleep, reconnectWindowMs: 10_000, now: () => server.clock });
    assert.equal(outcome.status, 'error');
    assert.ok(outcome.status === 'error' && outcome.error instanceof BeeperApiError && outcome.error.kind === 'unreachable');
    assert.equal(outcome.status === 'error' && outcome.sessionLeftOpen, false);
    assert.equal(deleteAttempts, 3);
    assert.equal(server.open, 0);
  });

  it('a step type it does not know: fails with a clear message and cancels the session', async () => {
    const { server, sleep } = harness('qr');
    const api: LoginApi = {
      ...server,
      createLoginSession: async (b, p) => ({ ...(await server.createLoginSession(b, p)), status: 'waiting_for_input', currentStep: { type: 'unknown', originalType: 'captcha', stepID: 'x' } }),
      getLoginSession: server.getLoginSession.bind(server),
      submitLoginStep: server.submitLoginStep.bind(server),
      cancelLoginSession: server.cancelLoginSession.bind(server),
    };
    const outcome = await runLogin({ api, prompter: new ScriptedPrompter({}), bridgeID: 'b', session: {}, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.error.message : '', /"captcha"/);
    assert.equal(server.open, 0);
  });

  it('a session that expires on the server ends as failed with the server message', async () => {
    const { server, sleep } = harness('qr');
    server.onPoll = (_s, n) => {
      if (n === 2) server.clock += 700_000;
    };
    const outcome = await runLogin({ api: server, prompter: new ScriptedPrompter({}), bridgeID: 'local-whatsapp', session: {}, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.error.code, 'LOGIN_SESSION_EXPIRED');
  });

  it('creating the session fails (bridge unavailable): an error outcome, nothing open', async () => {
    const { server, sleep } = harness('qr');
    server.createLoginSession = async () => {
      throw new BeeperApiError({ kind: 'http', status: 409, code: 'BRIDGE_UNAVAILABLE', message: 'LinkedIn is turned off.' });
    };
    const outcome = await runLogin({ api: server, prompter: new ScriptedPrompter({}), bridgeID: 'psdk-linkedin', session: {}, signal: new AbortController().signal, sleep });
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.status === 'error' && outcome.sessionLeftOpen, false);
  });
});
