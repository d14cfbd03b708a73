// No login session is left open: cancelled or timed out while the create request is in flight.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BeeperApiError } from '../../../src/api/errors';
import type { LoginSession } from '../../../src/api/types';
import { runLogin, type LoginApi, type LoginPrompter } from '../../../src/login/stepMachine';

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
