// The sandbox's HTTP plumbing: routes with path parameters, typed API errors, and the query
// and cursor helpers every route family shares. Nothing here knows about chats or bridges.
import type * as http from 'node:http';

export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  body: unknown;
}

/** An API error: sent as `{ message, code }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Path parameters, in order; a route has at most three. */
export type Params = [string, string, string];
export type Handler = (ctx: Ctx, params: Params) => unknown;

export interface Route {
  method: string;
  regex: RegExp;
  pattern: string;
  handler: Handler;
}

/** A list of routes; `find` returns the route and its decoded parameters. */
export class Router {
  readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, pattern, handler, regex: new RegExp('^' + pattern.replace(/\{[^}]+\}/g, '([^/]+)') + '$') });
  }

  find(method: string, pathname: string): { route: Route; params: Params } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.regex.exec(pathname);
      if (found) return { route, params: found.slice(1).map(decodeURIComponent) as Params };
    }
    return undefined;
  }
}

export function notFound(code: string, message: string): never {
  throw new HttpError(404, code, message);
}

export function strip<T extends object>(value: T): T {
  for (const k of Object.keys(value) as (keyof T)[]) if (value[k] === undefined) delete value[k];
  return value;
}

export function formOf(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  if (body && typeof body === 'object') return new URLSearchParams(Object.entries(body as Record<string, string>));
  return new URLSearchParams();
}

export function send(res: http.ServerResponse, status: number, body: unknown) {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---- query parameters ---------------------------------------------------------------------

export function intParam(q: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, 'VALIDATION_ERROR', `${name} must be an integer from ${min} to ${max}.`);
  return n;
}

export function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const values = [...q.getAll(name), ...q.getAll(`${name}[]`)].flatMap((v) => v.split(',')).filter(Boolean);
  return values.length ? values : undefined;
}

export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  return v === null ? undefined : v === 'true';
}

// ---- cursor paging as the spec describes: newest first, `before` pages older -----------------

export interface Sortable {
  ts: number;
  id: string;
}

export function encodeCursor(c: Sortable): string {
  return Buffer.from(JSON.stringify([c.ts, c.id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new HttpError(400, 'INVALID_CURSOR', 'The cursor is not valid.');
}

/** Newest first; ties by ID. */
export function compareNewestFirst(a: Sortable, b: Sortable): number {
  return b.ts - a.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function pageOf<T extends Sortable>(sorted: T[], q: URLSearchParams, limit: number) {
  const cursor = q.get('cursor');
  const direction = q.get('direction') ?? 'before';
  if (direction !== 'before' && direction !== 'after') throw new HttpError(400, 'VALIDATION_ERROR', "direction must be 'before' or 'after'.");
  let items: T[];
  let hasMore: boolean;
  if (!cursor) {
    items = sorted.slice(0, limit);
    hasMore = sorted.length > limit;
  } else {
    const [ts, id] = decodeCursor(cursor);
    const pivot = { ts, id };
    if (direction === 'before') {
      const older = sorted.filter((c) => compareNewestFirst(c, pivot) > 0);
      items = older.slice(0, limit);
      hasMore = older.length > limit;
    } else {
      const newer = sorted.filter((c) => compareNewestFirst(c, pivot) < 0);
      items = newer.slice(Math.max(0, newer.length - limit));
      hasMore = newer.length > limit;
    }
  }
  return { items, hasMore };
}

/** A page body with its cursors. */
export function pageBody<T extends Sortable, U>(items: T[], hasMore: boolean, shape: (item: T) => U) {
  return {
    items: items.map(shape),
    hasMore,
    oldestCursor: items.length ? encodeCursor(items[items.length - 1]!) : null,
    newestCursor: items.length ? encodeCursor(items[0]!) : null,
  };
}
