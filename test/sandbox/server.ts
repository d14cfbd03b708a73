// The sandbox: a stateful fake Beeper Desktop API on 127.0.0.1, faithful to the official spec
// (stable routes and the WebSocket) and the bridge documents (bridge and login routes). It is the
// tests' backend and the embedded default of `npm start`. Tests drive it through `/_sandbox/*`
// admin routes (state, faults, "the code was scanned", "a message arrives") or, in-process,
// through the returned object.
//
// Layout: state.ts holds everything and emits the socket events; http.ts is the plumbing;
// routes/* are the route families (as src/api/client.ts groups them); ws.ts is /v1/ws.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { World, WorldOptions } from './data';
import { boolParam, delay, HttpError, readBody, Router, send, type Ctx } from './http';
import type * as login from './login';
import { accountRoutes } from './routes/accounts';
import { adminRoutes } from './routes/admin';
import { bridgeRoutes } from './routes/bridges';
import { chatRoutes } from './routes/chats';
import { triageRoutes } from './routes/triage';
import { messageRoutes } from './routes/messages';
import { infoRoutes, SANDBOX_VERSION } from './routes/info';
import { oauthRoutes } from './routes/oauth';
import { mcpRoutes } from './routes/mcp';
import { SandboxState, type FaultRule, type Faults, type NewMessage } from './state';
import { attachSocketServer } from './ws';

export { SANDBOX_VERSION };
export type { FaultRule, Faults };
export const DEFAULT_TOKEN = 'sandbox-token-3f9a1c';

export interface SandboxOptions extends WorldOptions, Partial<login.LoginOptions> {
  port?: number;
  token?: string;
  /** Log each request to stderr. */
  verbose?: boolean;
  /** Every this many ms, a message arrives in one of the newest chats (npm start: a living demo). */
  chatterMs?: number;
  /** The secret the `/_sandbox/*` control routes ask for (random when not given). */
  adminSecret?: string;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** For the `/_sandbox/*` control routes, in the `x-sandbox-admin` header (or send a valid token). */
  readonly adminSecret: string;
  readonly world: World;
  readonly state: SandboxState;
  openLoginSessions(): number;
  requestCount(): number;
  /** Open WebSocket connections. */
  socketCount(): number;
  setFaults(faults: Faults): void;
  /** A message arrives in a chat (with its socket events). */
  addMessage(chatID: string, message?: NewMessage): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const token = options.token ?? DEFAULT_TOKEN;
  const state = new SandboxState(token, options, {
    qrRefreshMs: options.qrRefreshMs ?? 20_000,
    autoScanMs: options.autoScanMs ?? 0,
    sessionTtlMs: options.sessionTtlMs ?? 10 * 60_000,
  });
  let port = 0;
  const api = new Router();
  infoRoutes(api, () => port, () => state.mcpEnabled);
  accountRoutes(api, state);
  bridgeRoutes(api, state);
  chatRoutes(api, state);
  triageRoutes(api, state);
  messageRoutes(api, state);
  oauthRoutes(api, state, () => port);
  mcpRoutes(api, state);
  const admin = new Router();

  function matchFault(method: string, path: string, query?: URLSearchParams): FaultRule | undefined {
    const queryMatches = (r: FaultRule) => !r.query || Object.entries(r.query).every(([k, v]) => query?.getAll(k).includes(v));
    const rule = state.faults.rules?.find((r) => (!r.method || r.method === method) && path.startsWith(r.path) && queryMatches(r) && (r.times === undefined || r.times > 0));
    if (rule && rule.times !== undefined) rule.times--;
    return rule;
  }

  const adminSecret = options.adminSecret ?? randomBytes(16).toString('hex');
  /**
   * The control routes are not for web pages on this machine: they need the admin secret (or a
   * valid token), a Host header naming this server (no DNS rebinding), and JSON sent as
   * `application/json` (which a page cannot send across origins without asking first).
   */
  function checkAdmin(req: http.IncomingMessage, hasBody: boolean): void {
    const host = String(req.headers.host ?? '').toLowerCase();
    if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host)) throw new HttpError(403, 'FORBIDDEN_HOST', 'The sandbox control routes answer only to 127.0.0.1 and localhost.');
    const secret = req.headers['x-sandbox-admin'];
    const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (secret !== adminSecret && !state.tokenValid(bearer)) throw new HttpError(401, 'UNAUTHORIZED', 'The sandbox control routes need the x-sandbox-admin header or a valid access token.');
    if (hasBody && !/^application\/json(?:\s*;|$)/i.test(String(req.headers['content-type'] ?? ''))) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The sandbox control routes accept JSON only, as application/json.');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    res.setHeader('x-beeper-desktop-version', SANDBOX_VERSION);
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const ctx: Ctx = { req, res, url, body: undefined };
    try {
      const isControl = url.pathname.startsWith('/_sandbox/');
      if (isControl) checkAdmin(req, raw.length > 0);
      if (raw.length) {
        const type = String(req.headers['content-type'] ?? '');
        if (type.includes('application/x-www-form-urlencoded')) ctx.body = raw;
        else if (type.includes('multipart/form-data')) ctx.body = await readMultipart(type, bytes);
        else {
          try {
            ctx.body = JSON.parse(raw);
          } catch {
            throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
          }
        }
      }
      const adminMatch = admin.find(method, url.pathname);
      if (adminMatch || isControl) {
        if (!adminMatch) throw new HttpError(404, 'NOT_FOUND', `Cannot ${method} ${url.pathname}`);
        return send(res, 200, adminMatch.route.handler(ctx, adminMatch.params));
      }
      const matched = api.find(method, url.pathname);
      const key = matched ? `${method} ${matched.route.pattern}` : `${method} ${url.pathname}`;
      state.requests[key] = (state.requests[key] ?? 0) + 1;
      state.total++;
      if (key === 'GET /v1/chats/search' && boolParam(url.searchParams, 'unreadOnly')) state.unreadSearches++;
      if (method !== 'GET') state.logWrite(key, url.pathname, ctx.body);
      if (options.verbose) process.stderr.write(`sandbox: ${method} ${url.pathname}\n`);

      if (state.faults.latencyMs) await delay(state.faults.latencyMs);
      const fault = matchFault(method, url.pathname, url.searchParams);
      if (fault?.stallMs) await delay(fault.stallMs);
      if (fault?.close) {
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
        throw new HttpError(fault.status, fault.status === 404 ? 'NOT_FOUND' : `SANDBOX_FAULT_${fault.status}`, fault.message ?? (fault.status === 404 ? `Cannot ${method} ${url.pathname}` : `Sandbox fault: HTTP ${fault.status}`));
      }
      if (fault?.body === 'huge') return streamHuge(res);
      if (fault?.body) {
        res.writeHead(200, { 'content-type': fault.body === 'html' ? 'text/html' : 'application/json' });
        const bodies = { truncated: '{"items":[{"id":"tr', html: '<html><body>Hello</body></html>', empty: '', wrongShape: '{"items":"not a list","hasMore":"maybe"}' };
        res.end(bodies[fault.body]);
        return;
      }
      if (!matched) throw new HttpError(404, 'NOT_FOUND', `Cannot ${method} ${url.pathname}`);
      const isPublic = url.pathname === '/v1/info' || url.pathname.startsWith('/oauth/') || url.pathname.startsWith('/.well-known/');
      if (!isPublic) {
        const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
        const granted = state.tokenValid(bearer);
        if (!granted) throw new HttpError(401, 'UNAUTHORIZED', 'Access token is missing or invalid.');
        if (method !== 'GET' && !granted.scope.split(' ').includes('write')) throw new HttpError(403, 'FORBIDDEN', 'This token does not have the write scope.');
      }
      const result: unknown = await matched.route.handler(ctx, matched.params);
      if (fault?.stallAfterMs) await delay(fault.stallAfterMs);
      if (fault?.statusAfter) throw new HttpError(fault.statusAfter, `SANDBOX_FAULT_${fault.statusAfter}`, `Sandbox fault after the work was done: HTTP ${fault.statusAfter}`);
      if (!res.headersSent) send(res, res.statusCode === 200 ? 200 : res.statusCode, result);
    } catch (e) {
      if (e instanceof HttpError) send(res, e.status, { message: e.message, code: e.code });
      else send(res, 500, { message: e instanceof Error ? e.message : String(e), code: 'INTERNAL_ERROR' });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 60_000;
  const hub = attachSocketServer(server, state, matchFault);
  adminRoutes(admin, state, hub);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A client that resets the connection (ECONNRESET) loses it, and nothing else: Node's own
    // handler leaves a socket that is upgraded or refused an upgrade, and an unhandled socket error
    // ends the process the sandbox runs in (a test runner, `npm start`).
    s.on('error', () => s.destroy());
  });

  // A living demo: now and then someone writes in one of the newest chats.
  let chatter: ReturnType<typeof setInterval> | undefined;
  if (options.chatterMs && options.chatterMs > 0) {
    const lines = ['Are we still on for Friday?', 'Sent you the slides 📎', 'Can you review my PR when you get a chance?', 'lol 😂', 'Running 10 minutes late', 'Did you see the release notes?'];
    let n = 0;
    chatter = setInterval(() => {
      const pool = [...state.world.chats].filter((c) => !c.isArchived).sort((a, b) => b.ts - a.ts).slice(0, 8);
      const chat = pool[(n * 5) % Math.max(1, pool.length)];
      if (chat) state.addMessage(chat, { text: lines[n % lines.length] });
      n++;
    }, options.chatterMs);
    chatter.unref();
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    adminSecret,
    state,
    get world() {
      return state.world;
    },
    openLoginSessions: () => state.openLoginSessions(),
    requestCount: () => state.total,
    socketCount: () => hub.count(),
    setFaults: (f: Faults) => {
      state.faults = f;
    },
    addMessage: (chatID, message = {}) => {
      const chat = state.chatById(chatID);
      if (!chat) throw new Error(`No chat ${chatID}`);
      state.addMessage(chat, message);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(chatter);
        hub.close();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** 20 MB of valid JSON, streamed without a length (the client must stop at its cap). */
function streamHuge(res: http.ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = `${JSON.stringify({ id: 'x'.repeat(1000) })},`.repeat(1000);
  res.write('{"items":[');
  let sent = 0;
  const pump = () => {
    while (sent < 20 && !res.destroyed) {
      sent++;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end('{}],"hasMore":false}');
  };
  res.on('error', () => undefined);
  pump();
}

/** A multipart/form-data body as fields (strings) and files ({ bytes, name, type }). */
async function readMultipart(type: string, bytes: Buffer): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new HttpError(400, 'INVALID_MULTIPART', 'The multipart body could not be read.');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') out[key] = value;
    else out[key] = { bytes: Buffer.from(await value.arrayBuffer()), name: value.name, type: value.type };
  }
  return out;
}
