// Login sessions as real state machines, one flow per bridge kind:
//   qr        display_and_wait(qr), the code changing every refresh period, until scanned
//   phone     user_input phone → code (a wrong code: same step again with an error) → 2FA password
//   cookies   a browser step asking for a cookie and a local-storage value
//   emoji     display_and_wait(emoji) until approved, then display_and_wait(nothing) briefly
//   password  user_input username + password; on X (Twitter) the network rejects it: failed
// A session created with accountID/loginID reconnects that account instead of adding one.
import type { ApiErrorBody, LoginSession, LoginStep } from '../../src/api/types';

export const SANDBOX_LOGIN_CODE = '12345';
export const SANDBOX_2FA_PASSWORD = 'hunter2';

export interface LoginOptions {
  /** A QR code is replaced by a new one this often (ms). */
  qrRefreshMs: number;
  /** Display steps complete by themselves after this long (ms); 0 = only when told "scanned". */
  autoScanMs: number;
  /** Open sessions expire after this long (ms). */
  sessionTtlMs: number;
}

type Phase =
  | { kind: 'qr'; shownAt: number; scanned: boolean }
  | { kind: 'phone' }
  | { kind: 'code'; phone: string; attempts: number }
  | { kind: 'password2fa' }
  | { kind: 'cookies' }
  | { kind: 'emoji'; shownAt: number; scanned: boolean }
  | { kind: 'finishing'; since: number }
  | { kind: 'credentials' }
  | { kind: 'done'; status: 'complete' | 'failed' | 'cancelled'; error?: ApiErrorBody };

export interface SessionRecord {
  bridgeID: string;
  loginSessionID: string;
  flowID: string;
  accountID?: string;
  loginID?: string;
  createdAt: number;
  phase: Phase;
  step: number;
  error?: ApiErrorBody;
  /** Set when the session completed: the account it added or repaired. */
  resultAccountID?: string;
}

export interface SubmitBody {
  type?: string;
  fields?: Record<string, unknown>;
  lastURL?: string;
}

export class StepError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where a flow starts. */
export function initialPhase(flowID: string, now: number): Phase {
  switch (flowID) {
    case 'qr':
      return { kind: 'qr', shownAt: now, scanned: false };
    case 'phone':
      return { kind: 'phone' };
    case 'cookies':
      return { kind: 'cookies' };
    case 'emoji':
      return { kind: 'emoji', shownAt: now, scanned: false };
    default:
      return { kind: 'credentials' };
  }
}

export function isOpen(s: SessionRecord): boolean {
  return s.phase.kind !== 'done';
}

/** Advances time-driven phases (auto scan, finishing, expiry). Returns true when it completed. */
export function tick(s: SessionRecord, now: number, opts: LoginOptions): boolean {
  const p = s.phase;
  if (p.kind === 'done') return false;
  if (now - s.createdAt > opts.sessionTtlMs) {
    s.phase = { kind: 'done', status: 'failed', error: { code: 'LOGIN_SESSION_EXPIRED', message: 'The sign-in took too long and expired. Start again.' } };
    return false;
  }
  if ((p.kind === 'qr' || p.kind === 'emoji') && !p.scanned && opts.autoScanMs > 0 && now - p.shownAt >= opts.autoScanMs) {
    p.scanned = true;
  }
  if (p.kind === 'qr' && p.scanned) {
    s.phase = { kind: 'done', status: 'complete' };
    return true;
  }
  if (p.kind === 'emoji' && p.scanned) {
    s.phase = { kind: 'finishing', since: now };
    s.step++;
    return false;
  }
  if (p.kind === 'finishing' && now - p.since >= 1500) {
    s.phase = { kind: 'done', status: 'complete' };
    return true;
  }
  return false;
}

/** The user scanned the code / approved on the phone. */
export function scan(s: SessionRecord): boolean {
  const p = s.phase;
  if (p.kind !== 'qr' && p.kind !== 'emoji') return false;
  p.scanned = true;
  return true;
}

export function stepID(s: SessionRecord): string {
  return `${s.loginSessionID}.step${s.step}`;
}

export function currentStep(s: SessionRecord, now: number, opts: LoginOptions, networkName: string): LoginStep | undefined {
  const p = s.phase;
  const id = stepID(s);
  switch (p.kind) {
    case 'qr': {
      // The code rotates like real networks' codes do; the stepID stays the same.
      const version = Math.floor((now - p.shownAt) / opts.qrRefreshMs);
      return {
        type: 'display_and_wait',
        stepID: id,
        display: { type: 'qr', data: `https://sandbox.beeper.invalid/login/${s.loginSessionID}/qr/${version}` },
        instructions: `Open ${networkName} on your phone, go to Linked devices, and scan this code.`,
      };
    }
    case 'phone':
      return {
        type: 'user_input',
        stepID: id,
        instructions: `Enter the phone number of your ${networkName} account, with the country code.`,
        fields: [{ id: 'phone_number', label: 'Phone number', placeholder: '+1 555 010 0100', type: 'tel' }],
      };
    case 'code':
      return {
        type: 'user_input',
        stepID: id,
        instructions: `${networkName} sent a login code to ${p.phone}. (In the sandbox the code is ${SANDBOX_LOGIN_CODE}.)`,
        fields: [{ id: 'code', label: 'Login code', placeholder: '12345', type: 'text' }],
      };
    case 'password2fa':
      return {
        type: 'user_input',
        stepID: id,
        instructions: `Your account has two-step verification. (In the sandbox the password is ${SANDBOX_2FA_PASSWORD}.)`,
        fields: [
          { id: 'password', label: 'Two-step verification password', type: 'password' },
          { id: 'hint_ack', label: 'Password hint (optional)', type: 'text', optional: true, initialValue: '' },
        ],
      };
    case 'cookies':
      return {
        type: 'cookies',
        stepID: id,
        url: 'https://app.slack.com/signin',
        instructions: 'Sign in to Slack in your browser, then copy the “d” cookie and the “localConfig_v2” local-storage value from the developer tools.',
        expectedFinalURLRegex: '^https://app\\.slack\\.com/client/.*',
        // Opaque helper for browser extensions. Clients must never run it; the tests check that.
        extractJS: 'globalThis.__beeperSandboxExtractJSRan = true; document.title = "extractJS ran";',
        userAgent: 'Mozilla/5.0 (Sandbox)',
        fields: [
          { id: 'd_cookie', name: 'd', type: 'cookie' },
          { id: 'local_config', name: 'localConfig_v2', type: 'local_storage' },
        ],
      };
    case 'emoji':
      return {
        type: 'display_and_wait',
        stepID: id,
        display: { type: 'emoji', imageURL: `data:image/svg+xml;base64,${Buffer.from(EMOJI_SVG).toString('base64')}` },
        instructions: `Open ${networkName} on your phone and tap the 🦊 fox when it asks which emoji you see here.`,
      };
    case 'finishing':
      return { type: 'display_and_wait', stepID: id, display: { type: 'nothing' }, instructions: 'Finishing sign-in on your phone…' };
    case 'credentials':
      return {
        type: 'user_input',
        stepID: id,
        instructions: `Sign in to ${networkName}.`,
        fields: [
          { id: 'username', label: 'Username or email', type: 'text' },
          { id: 'password', label: 'Password', type: 'password' },
        ],
      };
    case 'done':
      return undefined;
  }
}

const EMOJI_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><text x="48" y="70" font-size="64" text-anchor="middle">🦊</text></svg>';

export function statusOf(s: SessionRecord): LoginSession['status'] {
  switch (s.phase.kind) {
    case 'qr':
    case 'emoji':
    case 'finishing':
      return 'waiting_for_display';
    case 'cookies':
      return 'waiting_for_cookies';
    case 'done':
      return s.phase.status;
    default:
      return 'waiting_for_input';
  }
}

function field(body: SubmitBody, id: string): string {
  const v = body.fields?.[id];
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * Applies a submitted step. Returns true when the session completed. Throws StepError for a
 * request that does not fit the step (the server answers 4xx); a wrong value is not an error
 * of the request: the same step comes back with `error` set.
 */
export function submit(s: SessionRecord, submittedStepID: string, body: SubmitBody, bridgeID: string): boolean {
  const p = s.phase;
  if (p.kind === 'done') throw new StepError(409, 'LOGIN_SESSION_FINISHED', `This sign-in has already ${p.status === 'complete' ? 'completed' : p.status}.`);
  if (submittedStepID !== stepID(s)) throw new StepError(409, 'LOGIN_STEP_MISMATCH', `Step ${submittedStepID} is not the current step.`);
  const expected = p.kind === 'cookies' ? 'cookies' : p.kind === 'qr' || p.kind === 'emoji' || p.kind === 'finishing' ? 'display_and_wait' : 'user_input';
  if (body.type !== expected) throw new StepError(400, 'LOGIN_STEP_TYPE_MISMATCH', `Expected a ${expected} submission, got ${String(body.type)}.`);
  s.error = undefined;
  switch (p.kind) {
    case 'phone': {
      const phone = field(body, 'phone_number');
      if (!/^\+?[0-9 ()-]{6,}$/.test(phone)) {
        s.error = { code: 'INVALID_PHONE_NUMBER', message: 'That does not look like a phone number. Include the country code, like +1 555 010 0100.' };
        return false;
      }
      s.phase = { kind: 'code', phone, attempts: 0 };
      s.step++;
      return false;
    }
    case 'code':
      if (field(body, 'code') !== SANDBOX_LOGIN_CODE) {
        p.attempts++;
        s.error = { code: 'INVALID_LOGIN_CODE', message: 'That login code is not right. Check the code and try again.' };
        return false;
      }
      s.phase = { kind: 'password2fa' };
      s.step++;
      return false;
    case 'password2fa':
      if (field(body, 'password') !== SANDBOX_2FA_PASSWORD) {
        s.error = { code: 'INVALID_2FA_PASSWORD', message: 'That password is not right.' };
        return false;
      }
      s.phase = { kind: 'done', status: 'complete' };
      return true;
    case 'cookies':
      if (!field(body, 'd_cookie') || !field(body, 'local_config')) {
        s.error = { code: 'MISSING_COOKIES', message: 'Both the “d” cookie and the “localConfig_v2” value are needed.' };
        return false;
      }
      s.phase = { kind: 'done', status: 'complete' };
      return true;
    case 'credentials':
      if (!field(body, 'username') || !field(body, 'password')) {
        s.error = { code: 'MISSING_CREDENTIALS', message: 'Enter both a username and a password.' };
        return false;
      }
      if (bridgeID === 'local-twitter') {
        s.phase = {
          kind: 'done',
          status: 'failed',
          error: { code: 'NETWORK_LOGIN_REJECTED', message: 'X rejected the sign-in: it flagged the attempt as suspicious. Sign in on x.com first, then try again.' },
        };
        return false;
      }
      s.phase = { kind: 'done', status: 'complete' };
      return true;
    default:
      // A display step submitted by the client changes nothing: the phone has to act.
      return false;
  }
}

export function cancel(s: SessionRecord): void {
  if (s.phase.kind !== 'done') s.phase = { kind: 'done', status: 'cancelled' };
}

export function errorOf(s: SessionRecord): ApiErrorBody | undefined {
  return s.phase.kind === 'done' ? s.phase.error : s.error;
}
