// HTTP transport on undici: one keep-alive pool for the Beeper Desktop origin, connect and
// request timeouts, cancellation by AbortSignal, and the mapping of every failure to a typed
// BeeperApiError. The token is sent in the Authorization header and nowhere else.
import { nextTurn } from './nextTurn';
import { FormData, Pool, errors as undiciErrors } from 'undici';
import { BeeperApiError, redact } from './errors';
import { readErrorBody } from './decode';

export interface TransportOptions {
  baseUrl: string;
  /** Read on every request so that a new token applies without a new transport. */
  token: () => string | undefined;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** A 429 whose Retry-After is at most this long is waited out once, for idempotent calls. */
  maxRetryAfterWaitMs?: number;
  /** Called once per request sent (benchmarks and tests count requests per screen). */
  onRequest?: (method: string, path: string) => void;
  /**
   * Called once per finished call with what it tells about the connection: 'ok', or the typed
   * error. The connection state follows from this alone; callers do not report.
   */
  onOutcome?: (outcome: 'ok' | BeeperApiError) => void;
  /** Largest JSON body accepted; a larger one is cut off while streaming ('tooLarge'). */
  maxResponseBytes?: number;
}

/** 16 MB: far above any real page (a 200-chat page with participants is well under 1 MB). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export type QueryValue = string | number | boolean | string[] | undefined;

export interface RequestOptions<T> {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Send without the Authorization header (GET /v1/info). */
  anonymous?: boolean;
  decode: (json: unknown) => T;
  /** A 2xx with no body is a success (DELETE answers 204). */
  allowEmpty?: boolean;
  /** Maps a 404 on this route to another error (e.g. a feature the server does not have). */
  on404?: (body: { code?: string; message?: string } | undefined) => BeeperApiError | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RETRY_AFTER_WAIT_MS = 5_000;

export class HttpTransport {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly pool: Pool;
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    const url = parseBaseUrl(options.baseUrl);
    this.baseUrl = url.href.replace(/\/$/, '');
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/$/, '');
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.pool = new Pool(this.origin, {
      connections: 6,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      headersTimeout: requestTimeout,
      bodyTimeout: requestTimeout,
    });
  }

  async request<T>(method: string, path: string, opts: RequestOptions<T>): Promise<T> {
    try {
      const result = await this.withRetry(method, path, opts);
      this.options.onOutcome?.('ok');
      return result;
    } catch (e) {
      if (e instanceof BeeperApiError && e.kind !== 'cancelled') this.options.onOutcome?.(e);
      throw e;
    }
  }

  private async withRetry<T>(method: string, path: string, opts: RequestOptions<T>): Promise<T> {
    const route = `${method} ${path}`;
    let retried = false;
    for (;;) {
      try {
        return await this.once(method, path, route, opts);
      } catch (e) {
        const wait = e instanceof BeeperApiError && e.kind === 'rateLimited' ? e.retryAfterMs : undefined;
        const maxWait = this.options.maxRetryAfterWaitMs ?? DEFAULT_MAX_RETRY_AFTER_WAIT_MS;
        if (!retried && method === 'GET' && wait !== undefined && wait <= maxWait) {
          retried = true;
          await sleep(wait, opts.signal);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * A GET whose answer is bytes (an asset): resolves with the status, content type and the body
   * stream once the headers are in; a non-2xx answer becomes the same typed error as for JSON.
   * The caller must consume or destroy the body.
   */
  async stream(
    path: string,
    query: Record<string, QueryValue>,
    opts: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<{ status: number; contentType?: string; contentLength?: number; body: AsyncIterable<Buffer> & { destroy(e?: Error): unknown } }> {
    const route = `GET ${path}`;
    if (opts.signal?.aborted) throw cancelled(route);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const token = this.options.token();
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    this.options.onRequest?.('GET', path);
    let res;
    try {
      res = await this.pool.request({ method: 'GET', path: this.prefix + path + queryString(query), headers, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    } catch (e) {
      if (opts.signal?.aborted) throw cancelled(route);
      if (timeout.aborted) throw this.timeoutError(route, timeoutMs, e);
      throw this.networkError(route, e, token);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = await readCapped(res.body, res.headers['content-length'], 64 * 1024, route).catch(() => '');
      const err = this.statusError(route, res.statusCode, res.headers, parseJson(text), { decode: (v) => v }, token);
      this.options.onOutcome?.(err);
      throw err;
    }
    const type = res.headers['content-type'];
    const length = Number(res.headers['content-length']);
    return {
      status: res.statusCode,
      contentType: Array.isArray(type) ? type[0] : type,
      contentLength: Number.isFinite(length) ? length : undefined,
      body: res.body as unknown as AsyncIterable<Buffer> & { destroy(e?: Error): unknown },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Closing: an idle connection that fails to close changes nothing for anyone.
    await this.pool.close().catch(() => undefined);
  }

  private async once<T>(method: string, path: string, route: string, opts: RequestOptions<T>): Promise<T> {
    if (opts.signal?.aborted) throw cancelled(route);
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = opts.anonymous ? undefined : this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (opts.body instanceof FormData) {
      // multipart/form-data: undici sets the content type with its boundary.
      body = opts.body;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    this.options.onRequest?.(method, path);

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await this.pool.request({
        method: method,
        path: this.prefix + path + queryString(opts.query),
        headers,
        body,
        signal,
        // Per call: a call may allow itself longer than the pool's default (a login create).
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await readCapped(res.body, res.headers['content-length'], this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES, route);
    } catch (e) {
      if (e instanceof BeeperApiError) throw e;
      if (opts.signal?.aborted) throw cancelled(route);
      if (timeout.aborted) throw this.timeoutError(route, timeoutMs, e);
      throw this.networkError(route, e, token);
    }

    // A big answer (a page of 200 chats is about 1 MB) is parsed and decoded in turns of its own,
    // so the extension host, shared with every other extension, is not held for one long stretch.
    const big = text.length > BIG_ANSWER_CHARS;
    if (big) await nextTurn();
    const json = parseJson(text);
    if (big) await nextTurn();
    if (status >= 200 && status < 300) {
      // 204 No Content (a delete): nothing to read.
      if (status === 204 || (json === undefined && opts.allowEmpty)) return opts.decode(undefined);
      if (json === undefined) {
        throw new BeeperApiError({
          kind: looksLikeBeeper(responseHeaders) ? 'badResponse' : 'notBeeper',
          route,
          status,
          message: looksLikeBeeper(responseHeaders)
            ? `Beeper Desktop answered ${route} with a body that is not JSON${text.length === 0 ? ' (empty)' : ''}.`
            : `Something answered at ${this.baseUrl}, but it is not the Beeper Desktop API.`,
          hint: looksLikeBeeper(responseHeaders)
            ? 'Try again; if it persists, restart Beeper Desktop.'
            : 'Check the port in the beeper.baseUrl setting (Beeper Desktop uses 23373 by default).',
        });
      }
      return opts.decode(json);
    }
    throw this.statusError(route, status, responseHeaders, json, opts, token);
  }

  private statusError<T>(
    route: string,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    json: unknown,
    opts: RequestOptions<T>,
    token: string | undefined,
  ): BeeperApiError {
    const body = readErrorBody(json);
    const serverMessage = body ? redact(body.message, token) : undefined;
    const base = { route, status, code: body?.code };
    const said = serverMessage ? ` Beeper Desktop says: “${serverMessage}”` : '';
    if (!looksLikeBeeper(headers) && json === undefined) {
      return new BeeperApiError({
        ...base,
        kind: 'notBeeper',
        message: `Something answered at ${this.baseUrl} with HTTP ${status}, but it is not the Beeper Desktop API.`,
        hint: 'Check the port in the beeper.baseUrl setting (Beeper Desktop uses 23373 by default).',
      });
    }
    switch (status) {
      case 401:
        return new BeeperApiError({
          ...base,
          kind: 'unauthorized',
          message: `Beeper Desktop did not accept the access token.${said}`,
          hint: 'Connect again (Beeper: Connect to Beeper Desktop) to get a new token.',
        });
      case 403:
        return new BeeperApiError({
          ...base,
          kind: 'forbidden',
          message: `The access token is not allowed to do this (${route}).${said}`,
          hint: 'Connect again and grant the read and write scopes.',
        });
      case 404: {
        const mapped = opts.on404?.(body);
        if (mapped) return mapped;
        return new BeeperApiError({ ...base, kind: 'notFound', message: serverMessage ?? `Not found: ${route}.`, hint: 'Refresh and try again.' });
      }
      case 400:
      case 422:
        return new BeeperApiError({
          ...base,
          kind: 'badRequest',
          message: serverMessage ?? `Beeper Desktop rejected the request (${status}).`,
        });
      case 429: {
        const retryAfterMs = parseRetryAfter(headers['retry-after']);
        const when = retryAfterMs === undefined ? 'in a moment' : `in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`;
        return new BeeperApiError({
          ...base,
          kind: 'rateLimited',
          retryAfterMs,
          message: `Beeper Desktop is busy and asked to slow down.${said}`,
          hint: `Try again ${when}.`,
        });
      }
      default:
        if (status >= 500) {
          return new BeeperApiError({
            ...base,
            kind: 'server',
            message: `Beeper Desktop had an internal error (HTTP ${status}).${said}`,
            hint: 'Try again; if it persists, restart Beeper Desktop.',
          });
        }
        return new BeeperApiError({ ...base, kind: 'http', message: serverMessage ?? `Beeper Desktop answered HTTP ${status} to ${route}.` });
    }
  }

  private timeoutError(route: string, timeoutMs: number, cause: unknown): BeeperApiError {
    return new BeeperApiError({
      kind: 'timeout',
      route,
      cause,
      message: `Beeper Desktop did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      hint: 'It may be busy or stuck; try again, or restart Beeper Desktop.',
    });
  }

  private networkError(route: string, e: unknown, token: string | undefined): BeeperApiError {
    const code = (e as { code?: string } | undefined)?.code ?? '';
    if (e instanceof undiciErrors.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new BeeperApiError({
        kind: 'unreachable',
        route,
        cause: e,
        message: `Could not connect to Beeper Desktop at ${this.baseUrl} (connection timed out).`,
        hint: 'Check that the address in the beeper.baseUrl setting is right and reachable.',
      });
    }
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL') {
      return new BeeperApiError({
        kind: 'unreachable',
        route,
        cause: e,
        message: `Beeper Desktop is not answering at ${this.baseUrl}.`,
        hint: 'Start Beeper Desktop, enable its API (Settings → Developers → Beeper Desktop API), and check the port.',
      });
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return this.timeoutError(route, this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, e);
    }
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
      return new BeeperApiError({
        kind: 'connectionClosed',
        route,
        cause: e,
        message: 'Beeper Desktop closed the connection before answering.',
        hint: 'Try again; if Beeper Desktop is restarting, wait a moment.',
      });
    }
    const detail = e instanceof Error ? redact(e.message, token) : 'unknown error';
    return new BeeperApiError({
      kind: 'unreachable',
      route,
      cause: e,
      message: `Could not talk to Beeper Desktop at ${this.baseUrl} (${detail}).`,
      hint: 'Check that Beeper Desktop is running and the beeper.baseUrl setting is right.',
    });
  }
}

/**
 * Reads a body as text, refusing it as soon as it passes `max` bytes (by its Content-Length, or
 * while streaming when there is none), so a huge or endless answer cannot fill the memory.
 */
export async function readCapped(
  body: AsyncIterable<Buffer | Uint8Array> & { destroy?: (e?: Error) => unknown },
  contentLength: string | string[] | undefined,
  max: number,
  route: string,
): Promise<string> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  const tooLarge = () =>
    new BeeperApiError({
      kind: 'tooLarge',
      route,
      message: `Beeper Desktop sent more than ${Math.round(max / (1024 * 1024))} MB for ${route}; the answer was not read.`,
      hint: 'Ask for less at a time (a smaller page size), or restart Beeper Desktop if this keeps happening.',
    });
  if (Number.isFinite(declared) && declared > max) {
    body.destroy?.();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      body.destroy?.();
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new BeeperApiError({
      kind: 'misconfigured',
      message: `“${baseUrl}” is not a valid address for Beeper Desktop.`,
      hint: 'Set beeper.baseUrl to something like http://localhost:23373.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BeeperApiError({
      kind: 'misconfigured',
      message: `“${baseUrl}” is not an http(s) address${/^[a-z0-9.-]+:\d+/i.test(baseUrl) ? ' (it has no http:// in front)' : ''}.`,
      hint: 'Set beeper.baseUrl to something like http://localhost:23373.',
    });
  }
  if (url.username || url.password) {
    throw new BeeperApiError({ kind: 'misconfigured', message: 'The Beeper Desktop address must not contain a user name or password.', hint: 'Remove them from beeper.baseUrl.' });
  }
  return url;
}

/** True for loopback hosts, where plain http keeps the token on this machine. */
export function isLoopbackUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    // Not a URL: not this computer.
    return false;
  }
}

function looksLikeBeeper(headers: Record<string, string | string[] | undefined>): boolean {
  const type = String(headers['content-type'] ?? '');
  return headers['x-beeper-desktop-version'] !== undefined || type.includes('json');
}

/** Answers longer than this are parsed and decoded in turns of their own (see `once`). */
const BIG_ANSWER_CHARS = 256 * 1024;

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the caller reports a bad response with what the body looked like.
    return undefined;
  }
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function cancelled(route: string): BeeperApiError {
  return new BeeperApiError({ kind: 'cancelled', route, message: 'Cancelled.' });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled('wait'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled('wait'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
