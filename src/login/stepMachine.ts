// A bridge login session, run to its end one step at a time as the server's `currentStep` says.
// Pure: no vscode import. The UI comes in through the LoginPrompter interface, the server through
// LoginApi, time through `sleep`, so tests can drive every path (wrong code, refreshed QR,
// failure, cancel at each point, network loss) without a window.
import { BeeperApiError } from '../api/errors';
import type {
  Account,
  ApiErrorBody,
  CookieField,
  CookiesStep,
  CreateLoginSessionParams,
  DisplayAndWaitStep,
  LoginInputField,
  LoginSession,
  LoginStep,
  SubmitLoginStepParams,
  UserInputStep,
} from '../api/types';

/** The part of the Beeper client a login needs. */
export interface LoginApi {
  createLoginSession(bridgeID: string, params: CreateLoginSessionParams, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<LoginSession>;
  getLoginSession(bridgeID: string, loginSessionID: string, opts?: { signal?: AbortSignal }): Promise<LoginSession>;
  submitLoginStep(bridgeID: string, loginSessionID: string, stepID: string, params: SubmitLoginStepParams, opts?: { signal?: AbortSignal }): Promise<unknown>;
  cancelLoginSession(bridgeID: string, loginSessionID: string, opts?: { signal?: AbortSignal }): Promise<unknown>;
}

export interface FieldRequest {
  step: UserInputStep;
  field: LoginInputField;
  /** 0-based position of the field in the step, and how many fields it has. */
  index: number;
  count: number;
  /** Why the server sent this step back (a wrong code, say), to show with the first field. */
  error?: string;
}

export interface CookieRequest {
  step: CookiesStep;
  field: CookieField;
  index: number;
  count: number;
  error?: string;
}

/**
 * The UI of a login. A prompt that resolves undefined means the user cancelled. Every prompt
 * gets the login's signal and must close itself when it fires (Cancel in the progress
 * notification, the window closing, the deadline); runLogin stops waiting for it then anyway.
 */
export interface LoginPrompter {
  askField(request: FieldRequest, signal: AbortSignal): Promise<string | undefined>;
  /** Shows a cookies step's instructions and its URL; false = cancelled. */
  beginCookies(step: CookiesStep, error: string | undefined, signal: AbortSignal): Promise<boolean>;
  askCookie(request: CookieRequest, signal: AbortSignal): Promise<string | undefined>;
  /** Shows a display step, or replaces what is shown (a refreshed QR code) in place. */
  showDisplay(step: DisplayAndWaitStep): Promise<void> | void;
  /** The display is no longer needed (the step moved on or the login ended). */
  closeDisplay(): void;
  /** Short status for the progress notification (worded, and translated, by the VS Code side). */
  progress(status: LoginProgress): void;
}

/** What the progress notification says while a login waits. */
export type LoginProgress = 'retryingCancel' | 'reconnecting' | 'waitingForScan' | 'waitingForPhone';

export type LoginOutcome =
  | { status: 'complete'; session: LoginSession; account?: Account }
  | { status: 'failed'; error: ApiErrorBody }
  | { status: 'cancelled' }
  /** The server could not be talked to (or answered nonsense); the session was cleaned up if it existed. */
  | { status: 'error'; error: unknown; sessionLeftOpen: boolean };

export interface PollPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/** Polling while a code is displayed: 0.5 s, then slower up to one request every 2 s. */
const DEFAULT_POLL: PollPolicy = { initialMs: 500, maxMs: 2_000, factor: 1.5 };

export interface RunLoginOptions {
  api: LoginApi;
  prompter: LoginPrompter;
  bridgeID: string;
  session: CreateLoginSessionParams;
  /** Aborted by the UI: progress Cancel, closing the QR panel. */
  signal: AbortSignal;
  poll?: PollPolicy;
  /** How long a lost connection is retried before the login gives up. */
  reconnectWindowMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /**
   * How long the create request may take before the login gives up on it (the client's request
   * timeout). The request itself is not aborted: its answer is awaited in the background for up
   * to `lateCreateMs`, and the session it names is cancelled.
   */
  createTimeoutMs?: number;
  lateCreateMs?: number;
  /** The whole login's limit (the session's lifetime on the server): 10 minutes by default. */
  deadlineMs?: number;
  /** Receives the background cleanup of a session whose create answered too late (the service waits for it on shutdown). */
  onLateCleanup?: (cleanup: Promise<void>) => void;
}

export const DEFAULT_LOGIN_DEADLINE_MS = 10 * 60_000;

const TRANSIENT = new Set(['unreachable', 'timeout', 'connectionClosed', 'server', 'rateLimited']);

function isTransient(e: unknown): boolean {
  return e instanceof BeeperApiError && TRANSIENT.has(e.kind);
}

class Cancelled extends Error {}
class Expired extends Error {}

/** Resolves with the promise's value, or undefined as soon as the signal fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Two display steps show the same thing (no need to redraw). */
function sameDisplay(a: DisplayAndWaitStep, b: DisplayAndWaitStep): boolean {
  return a.stepID === b.stepID && JSON.stringify(a.display) === JSON.stringify(b.display) && a.instructions === b.instructions;
}

/**
 * Runs a login session from creation to its end. Whatever happens — completion, failure, the
 * user cancelling, the network going away — the session is not left open on the server: it is
 * either finished by the server or cancelled with DELETE (retried while the connection is down,
 * within the reconnect window).
 */
export async function runLogin(options: RunLoginOptions): Promise<LoginOutcome> {
  const { api, prompter, bridgeID, signal } = options;
  const poll = options.poll ?? DEFAULT_POLL;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const reconnectWindowMs = options.reconnectWindowMs ?? 60_000;

  if (signal.aborted) return { status: 'cancelled' };
  const createTimeoutMs = options.createTimeoutMs ?? 15_000;
  const deadline = now() + (options.deadlineMs ?? DEFAULT_LOGIN_DEADLINE_MS);
  // Prompts close on the user's cancel and on the deadline alike.
  const expiry = new AbortController();
  const promptSignal = AbortSignal.any([signal, expiry.signal]);
  const expiryTimer = setTimeout(() => expiry.abort(), Math.max(0, deadline - now()));
  const expired = () => expiry.signal.aborted || now() >= deadline;

  /** DELETE, retried while Beeper Desktop is not answering (within the reconnect window). */
  const cancelSession = async (sessionID: string): Promise<boolean> => {
    const until = now() + reconnectWindowMs;
    let delay = poll.initialMs;
    for (;;) {
      try {
        await api.cancelLoginSession(bridgeID, sessionID);
        return true;
      } catch (e) {
        // Already finished or gone: nothing is left open.
        if (e instanceof BeeperApiError && (e.kind === 'notFound' || e.status === 409 || e.status === 410)) return true;
        if (!isTransient(e) || now() >= until) return false;
        prompter.progress('retryingCancel');
        await sleep(delay, new AbortController().signal);
        delay = Math.min(delay * poll.factor, poll.maxMs);
      }
    }
  };

  // The create is never aborted: once sent, the server may make the session whatever we do, so
  // its answer is always awaited and a session nobody wants any more is cancelled.
  const create = api.createLoginSession(bridgeID, options.session, { timeoutMs: options.lateCreateMs ?? Math.max(createTimeoutMs, 5 * 60_000) });
  const createTimeout = new AbortController();
  const createTimer = setTimeout(() => createTimeout.abort(), createTimeoutMs);
  let session: LoginSession | undefined;
  try {
    session = await untilAborted(create, AbortSignal.any([signal, createTimeout.signal]));
  } catch (e) {
    clearTimeout(expiryTimer);
    if (signal.aborted) return { status: 'cancelled' };
    return { status: 'error', error: e, sessionLeftOpen: false };
  } finally {
    clearTimeout(createTimer);
  }
  if (!session) {
    // Cancelled, or no answer in time: cancel the session once its ID is known.
    clearTimeout(expiryTimer);
    const late = create.then(
      async (s) => {
        await cancelSession(s.loginSessionID);
      },
      () => undefined,
    );
    options.onLateCleanup?.(late);
    if (signal.aborted) {
      // Wait for the create to finish (or fail) and the DELETE to go out, within the request timeout.
      await untilAborted(late, AbortSignal.timeout(createTimeoutMs));
      return { status: 'cancelled' };
    }
    return {
      status: 'error',
      error: new BeeperApiError({
        kind: 'timeout',
        message: `Beeper Desktop did not start the sign-in within ${Math.round(createTimeoutMs / 1000)} s.`,
        hint: 'If it starts later, it is cancelled at once. Try again in a moment.',
      }),
      sessionLeftOpen: false,
    };
  }
  if (signal.aborted) {
    clearTimeout(expiryTimer);
    const closed = await cancelSession(session.loginSessionID);
    return closed ? { status: 'cancelled' } : { status: 'error', error: new Error('The sign-in was cancelled, but Beeper Desktop could not be told.'), sessionLeftOpen: true };
  }
  const sessionID = session.loginSessionID;
  // Requests for the session use their own controller: a cancel must still reach the server.
  const requests = new AbortController();
  const onAbort = () => requests.abort();
  signal.addEventListener('abort', onAbort, { once: true });

  const cleanup = async (): Promise<boolean> => {
    prompter.closeDisplay();
    return cancelSession(sessionID);
  };

  /** Fetches the session again after a lost connection, for as long as the window allows. */
  const recover = async (cause: unknown): Promise<LoginSession> => {
    let delay = poll.initialMs;
    let lastError = cause;
    const until = Math.min(now() + reconnectWindowMs, deadline);
    while (now() < until) {
      prompter.progress('reconnecting');
      await sleep(delay, signal);
      if (signal.aborted) throw new Cancelled();
      try {
        return await api.getLoginSession(bridgeID, sessionID, { signal: requests.signal });
      } catch (e) {
        if (signal.aborted) throw new Cancelled();
        if (!isTransient(e)) throw e;
        lastError = e;
        delay = Math.min(delay * poll.factor, poll.maxMs);
      }
    }
    if (expired()) throw new Expired();
    throw lastError;
  };

  /** A server call with recovery: a transient failure re-reads the session instead. */
  const call = async (fn: () => Promise<unknown>): Promise<LoginSession> => {
    try {
      const result = await fn();
      if (signal.aborted) throw new Cancelled();
      return result as LoginSession;
    } catch (e) {
      if (signal.aborted || e instanceof Cancelled) throw new Cancelled();
      if (e instanceof Expired) throw e;
      if (isTransient(e)) return recover(e);
      throw e;
    }
  };

  let shown: DisplayAndWaitStep | undefined;
  try {
    for (;;) {
      if (signal.aborted) throw new Cancelled();
      if (expired()) throw new Expired();
      switch (session.status) {
        case 'complete':
          prompter.closeDisplay();
          return { status: 'complete', session, account: session.account ?? (session.currentStep?.type === 'complete' ? session.currentStep.account : undefined) };
        case 'failed':
          prompter.closeDisplay();
          return { status: 'failed', error: session.error ?? { code: 'LOGIN_FAILED', message: 'The sign-in failed.' } };
        case 'cancelled':
          prompter.closeDisplay();
          return { status: 'cancelled' };
        default:
          break;
      }
      const step: LoginStep | undefined = session.currentStep;
      const error = session.error?.message;
      if (!step) {
        // Waiting with nothing to show: ask again shortly.
        await sleep(poll.initialMs, signal);
        session = await call(() => api.getLoginSession(bridgeID, sessionID, { signal: requests.signal }));
        continue;
      }
      if (step.type !== 'display_and_wait' && shown) {
        prompter.closeDisplay();
        shown = undefined;
      }
      switch (step.type) {
        case 'complete':
          prompter.closeDisplay();
          return { status: 'complete', session, account: step.account ?? session.account };
        case 'user_input': {
          const fields: Record<string, string> = {};
          for (let i = 0; i < step.fields.length; i++) {
            const field = step.fields[i]!;
            const value = await untilAborted(prompter.askField({ step, field, index: i, count: step.fields.length, error: i === 0 ? error : undefined }, promptSignal), promptSignal);
            if (expired()) throw new Expired();
            if (value === undefined || signal.aborted) throw new Cancelled();
            fields[field.id] = value;
          }
          session = await call(() => api.submitLoginStep(bridgeID, sessionID, step.stepID, { type: 'user_input', fields }, { signal: requests.signal }));
          break;
        }
        case 'cookies': {
          const begun = await untilAborted(prompter.beginCookies(step, error, promptSignal), promptSignal);
          if (expired()) throw new Expired();
          if (!begun || signal.aborted) throw new Cancelled();
          const fields: Record<string, string> = {};
          for (let i = 0; i < step.fields.length; i++) {
            const field = step.fields[i]!;
            const value = await untilAborted(prompter.askCookie({ step, field, index: i, count: step.fields.length }, promptSignal), promptSignal);
            if (expired()) throw new Expired();
            if (value === undefined || signal.aborted) throw new Cancelled();
            fields[field.id] = value;
          }
          // extractJS is never run; the values come from the user.
          session = await call(() => api.submitLoginStep(bridgeID, sessionID, step.stepID, { type: 'cookies', fields }, { signal: requests.signal }));
          break;
        }
        case 'display_and_wait': {
          if (step.display.type === 'unknown') return await unsupported(step.display.originalType);
          if (!shown || !sameDisplay(shown, step)) {
            await prompter.showDisplay(step);
            shown = step;
          }
          prompter.progress(step.display.type === 'qr' ? 'waitingForScan' : 'waitingForPhone');
          // Poll with a bounded back-off until the step changes or the session ends.
          let delay = poll.initialMs;
          for (;;) {
            await sleep(Math.min(delay, Math.max(0, deadline - now())), signal);
            if (signal.aborted) throw new Cancelled();
            if (expired()) throw new Expired();
            session = await call(() => api.getLoginSession(bridgeID, sessionID, { signal: requests.signal }));
            const next = session.currentStep;
            if (session.status !== 'waiting_for_display' || next?.type !== 'display_and_wait' || !sameDisplay(step, next)) break;
            delay = Math.min(delay * poll.factor, poll.maxMs);
          }
          break;
        }
        case 'unknown':
          return await unsupported(step.originalType);
      }
    }
  } catch (e) {
    const cancelled = e instanceof Cancelled || signal.aborted;
    const closed = await cleanup();
    if (e instanceof Expired && !signal.aborted) {
      const minutes = Math.max(1, Math.round((options.deadlineMs ?? DEFAULT_LOGIN_DEADLINE_MS) / 60_000));
      return {
        status: 'failed',
        error: { code: 'LOGIN_TIMEOUT', message: `The sign-in did not finish within ${minutes} minute${minutes === 1 ? '' : 's'}${closed ? ' and was cancelled' : ''}. Start it again when you are ready.` },
      };
    }
    if (cancelled) return closed ? { status: 'cancelled' } : { status: 'error', error: new Error('The sign-in was cancelled, but Beeper Desktop could not be told.'), sessionLeftOpen: true };
    return { status: 'error', error: e, sessionLeftOpen: !closed };
  } finally {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(expiryTimer);
  }

  async function unsupported(type: string): Promise<LoginOutcome> {
    await cleanup();
    return {
      status: 'failed',
      error: { code: 'UNSUPPORTED_STEP', message: `This sign-in needs a step ("${type}") that this version of the extension cannot show. Finish it in Beeper Desktop.` },
    };
  }
}
