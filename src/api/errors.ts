// Errors a user can act on. Every failure of the API client ends as a BeeperApiError whose
// `message` says what happened and whose `hint` says what to do. Neither ever holds the token.

export type BeeperErrorKind =
  /** Nothing answered: Beeper Desktop not running, its API disabled, or the wrong host/port. */
  | 'unreachable'
  /** Something answered at the address, but it is not the Beeper Desktop API (wrong port). */
  | 'notBeeper'
  /** 401: the token is missing, expired or revoked. */
  | 'unauthorized'
  /** 403: the token lacks a scope this call needs. */
  | 'forbidden'
  /** 404 on a route this Beeper Desktop does not have (older than the bridge API). */
  | 'featureUnavailable'
  /** 404 for a resource that does not exist (any more). */
  | 'notFound'
  /** 400/422: the server rejected what was sent. */
  | 'badRequest'
  /** 429, after honouring Retry-After where it was short. */
  | 'rateLimited'
  /** 5xx. */
  | 'server'
  /** No answer in time. */
  | 'timeout'
  /** The connection was closed before a full answer arrived. */
  | 'connectionClosed'
  /** The body was not JSON, or not of the expected shape. */
  | 'badResponse'
  /** The caller cancelled. */
  | 'cancelled'
  /** The answer was larger than the client accepts (16 MB of JSON). */
  | 'tooLarge'
  /** The base URL is not a usable http(s) address (a setting to fix, not a server problem). */
  | 'misconfigured'
  /** The stored token belongs to another address and the user has not agreed to send it here. */
  | 'originNotApproved'
  /** Any other HTTP status. */
  | 'http';

export interface BeeperApiErrorInit {
  kind: BeeperErrorKind;
  message: string;
  hint?: string;
  status?: number;
  code?: string;
  route?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class BeeperApiError extends Error {
  readonly kind: BeeperErrorKind;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** `METHOD /path` of the failed call, without query string (queries may hold user text). */
  readonly route: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: BeeperApiErrorInit) {
    super(init.message);
    this.name = 'BeeperApiError';
    this.kind = init.kind;
    this.hint = init.hint;
    this.status = init.status;
    this.code = init.code;
    this.route = init.route;
    this.retryAfterMs = init.retryAfterMs;
    if (init.cause !== undefined) {
      // Kept out of the enumerable properties so that logging the error does not dump sockets.
      Object.defineProperty(this, 'cause', { value: init.cause, enumerable: false });
    }
  }

  /** One line for a notification or an error row: what happened, then what to do. */
  get userMessage(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }

  /** True when asking the user to sign in again is the way out. */
  get needsSignIn(): boolean {
    return this.kind === 'unauthorized';
  }
}

/** Any thrown value as a message for the user. */
export function describeError(value: unknown): string {
  if (value instanceof BeeperApiError) return value.userMessage;
  if (value instanceof Error) return value.message;
  return String(value);
}

/** Removes every occurrence of a secret from a text that may reach a user or a log. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('«token»');
}
