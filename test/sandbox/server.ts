// The sandbox: a stateful fake Beeper Desktop API on 127.0.0.1, faithful to the official spec
// (stable routes) and the bridge documents (bridge and login routes). It is the tests' backend
// and the embedded default of `npm start`. Tests drive it through `/_sandbox/*` admin routes
// (state, faults, "the code was scanned") or, in-process, through the returned object.
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Account, Chat } from '../../src/api/types';
import { makeAccount, makeChats, makeWorld, participantsOf, type SandboxChat, type World, type WorldOptions } from './data';
import * as login from './login';

export const SANDBOX_VERSION = '4.2.900-sandbox';
export const DEFAULT_TOKEN = 'sandbox-token-3f9a1c';

export interface SandboxOptions extends WorldOptions, Partial<login.LoginOptions> {
  port?: number;
  token?: string;
  /** Log each request to stderr. */
  verbose?: boolean;
}

export interface FaultRule {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Path prefix to match (query string ignored), e.g. "/v1/bridges". */
  path: string;
  /** Answer with this status and an API error body. */
  status?: number;
  /** The error body's message (hostile text, say); a default one otherwise. */
  message?: string;
  /** Retry-After header (seconds) to send with the status. */
  retryAfter?: number;
  /** Answer 200 with a body that is: cut off mid-JSON, HTML, empty, or valid JSON of 20 MB streamed without a length. */
  body?: 'truncated' | 'html' | 'empty' | 'wrongShape' | 'huge';
  /** Destroy the connection without answering. */
  close?: boolean;
  /** Wait this long before answering (or forever, until the client gives up, with a large value). */
  stallMs?: number;
  /** Do the work (create the session, send the message), then wait this long before answering. */
  stallAfterMs?: number;
  /** Apply to this many requests, then stop matching; every request when omitted. */
  times?: number;
}

export interface Faults {
  latencyMs?: number;
  rules?: FaultRule[];
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly world: World;
  openLoginSessions(): number;
  requestCount(): number;
  setFaults(faults: Faults): void;
  close(): Promise<void>;
}

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  body: unknown;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CHAT_LIST_PAGE = 25;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const token = options.token ?? DEFAULT_TOKEN;
  const loginOptions: login.LoginOptions = {
    qrRefreshMs: options.qrRefreshMs ?? 20_000,
    autoScanMs: options.autoScanMs ?? 0,
    sessionTtlMs: options.sessionTtlMs ?? 10 * 60_000,
  };
  let world = makeWorld(options);
  let sessions = new Map<string, login.SessionRecord>();
  let faults: Faults = {};
  let requests: Record<string, number> = {};
  let total = 0;
  let sessionCounter = 0;
  let lastFocus: unknown;
  const oauthClients = new Map<string, { redirectUris: string[]; name: string }>();
  const oauthCodes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scope: string; expires: number }>();
  const issuedTokens = new Map<string, { expires: number; scope: string }>();

  const accountById = (id: string) => world.accounts.find((a) => a.accountID === id);
  const bridgeById = (id: string) => world.bridges.find((b) => b.id === id);

  function tokenValid(value: string | undefined): { scope: string } | undefined {
    if (!value) return undefined;
    if (value === token) return { scope: 'read write' };
    const issued = issuedTokens.get(value);
    if (issued && issued.expires > Date.now()) return issued;
    return undefined;
  }

  // ---- shapes -------------------------------------------------------------------------------

  function bridgeJson(id: string) {
    const b = bridgeById(id)!;
    const accounts = world.accounts.filter((a) => a.bridge?.id === id);
    const { flows: _flows, ...rest } = b;
    return {
      ...rest,
      accounts,
      activeAccountCount: accounts.filter((a) => a.status !== 'disabled').length,
    };
  }

  function chatJson(c: SandboxChat, participantLimit: number): Chat {
    const { participantCount, ts: _ts, participantImgURL: _img, ...rest } = c;
    return {
      ...rest,
      participants: {
        items: participantsOf(c, accountById(c.accountID), participantLimit),
        hasMore: participantLimit >= 0 && participantCount > participantLimit,
        total: participantCount,
      },
    };
  }

  function sessionJson(s: login.SessionRecord) {
    const bridge = bridgeById(s.bridgeID)!;
    const account = s.resultAccountID ? accountById(s.resultAccountID) : undefined;
    return strip({
      bridgeID: s.bridgeID,
      loginSessionID: s.loginSessionID,
      status: login.statusOf(s),
      accountID: s.accountID,
      loginID: s.loginID,
      currentStep: login.currentStep(s, Date.now(), loginOptions, bridge.network ?? bridge.displayName),
      error: login.errorOf(s),
      account,
      login: account
        ? { bridgeID: s.bridgeID, loginID: account.loginID, removeScopes: ['current-device'], status: 'connected', accountIDs: [account.accountID], statusText: 'Connected', user: account.user }
        : undefined,
    });
  }

  function completeSession(s: login.SessionRecord) {
    const bridge = bridgeById(s.bridgeID)!;
    if (s.accountID) {
      const account = accountById(s.accountID)!;
      account.status = 'connected';
      account.statusText = 'Connected';
      s.resultAccountID = account.accountID;
      return;
    }
    const n = world.accounts.filter((a) => a.bridge?.id === bridge.id).length + 1;
    const account = makeAccount(bridge, `${bridge.id}_ba_new${n}_${s.loginSessionID.slice(-4)}`, 'connected', 'Connected', {
      fullName: `New ${bridge.network ?? bridge.displayName} account`,
      username: `sandbox.user${n}`,
    });
    world.accounts.push(account);
    world.chats.push(...makeChats(account, 5, Date.now(), 500 + sessionCounter));
    if (bridge.status === 'available') {
      bridge.status = 'connected';
      bridge.statusText = 'Connected';
    }
    s.resultAccountID = account.accountID;
  }

  function refresh(s: login.SessionRecord) {
    if (login.tick(s, Date.now(), loginOptions)) completeSession(s);
  }

  // ---- chats: filtering and cursor paging as the spec describes ------------------------------

  function encodeCursor(c: SandboxChat): string {
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
  function compareChats(a: { ts: number; id: string }, b: { ts: number; id: string }): number {
    return b.ts - a.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  function pageOf<T extends { ts: number; id: string }>(sorted: T[], q: URLSearchParams, limit: number) {
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
        const older = sorted.filter((c) => compareChats(c, pivot) > 0);
        items = older.slice(0, limit);
        hasMore = older.length > limit;
      } else {
        const newer = sorted.filter((c) => compareChats(c, pivot) < 0);
        items = newer.slice(Math.max(0, newer.length - limit));
        hasMore = newer.length > limit;
      }
    }
    return { items, hasMore };
  }

  function intParam(q: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
    const raw = q.get(name);
    if (raw === null || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, 'VALIDATION_ERROR', `${name} must be an integer from ${min} to ${max}.`);
    return n;
  }

  function listParam(q: URLSearchParams, name: string): string[] | undefined {
    const values = [...q.getAll(name), ...q.getAll(`${name}[]`)].flatMap((v) => v.split(',')).filter(Boolean);
    return values.length ? values : undefined;
  }

  function boolParam(q: URLSearchParams, name: string): boolean | undefined {
    const v = q.get(name);
    return v === null ? undefined : v === 'true';
  }

  function searchChats(q: URLSearchParams, paged: 'search' | 'list') {
    const accountIDs = listParam(q, 'accountIDs');
    let chats = world.chats;
    if (accountIDs) {
      const set = new Set(accountIDs);
      chats = chats.filter((c) => set.has(c.accountID));
    }
    let limit = CHAT_LIST_PAGE;
    if (paged === 'search') {
      limit = intParam(q, 'limit', 1, 200, 50);
      const words = (q.get('query') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length) chats = chats.filter((c) => words.every((w) => `${c.title} ${c.network}`.toLowerCase().includes(w)));
      const inbox = q.get('inbox');
      if (inbox === 'primary') chats = chats.filter((c) => !c.isArchived && !c.isLowPriority);
      else if (inbox === 'archive') chats = chats.filter((c) => c.isArchived);
      else if (inbox === 'low-priority') chats = chats.filter((c) => c.isLowPriority);
      if (boolParam(q, 'includeMuted') === false) chats = chats.filter((c) => !c.isMuted);
      if (boolParam(q, 'unreadOnly')) chats = chats.filter((c) => c.unreadCount > 0);
      const type = q.get('type');
      if (type === 'single' || type === 'group') chats = chats.filter((c) => c.type === type);
    }
    const sorted = [...chats].sort(compareChats);
    const { items, hasMore } = pageOf(sorted, q, limit);
    return {
      items: items.map((c) => chatJson(c, 20)),
      hasMore,
      oldestCursor: items.length ? encodeCursor(items[items.length - 1]!) : null,
      newestCursor: items.length ? encodeCursor(items[0]!) : null,
    };
  }

  function contactsOf(accountID: string) {
    if (!accountById(accountID)) throw new HttpError(404, 'ACCOUNT_NOT_FOUND', `No account ${accountID}.`);
    return world.chats
      .filter((c) => c.accountID === accountID && c.type === 'single')
      .map((c) => {
        const other = participantsOf(c, accountById(accountID), 2).find((u) => !u.isSelf)!;
        const { isAdmin: _a, isPending: _p, isNetworkBot: _b, ...user } = other;
        return { ...user, ts: c.ts };
      })
      .filter((u, i, all) => all.findIndex((x) => x.id === u.id) === i);
  }

  // ---- routes -------------------------------------------------------------------------------

  /** Path parameters, in order; a route has at most three. */
  type Params = [string, string, string];
  type Handler = (ctx: Ctx, params: Params) => unknown;
  const routes: [string, RegExp, string, Handler][] = [];
  const route = (method: string, pattern: string, handler: Handler) => {
    const regex = new RegExp('^' + pattern.replace(/\{[^}]+\}/g, '([^/]+)') + '$');
    routes.push([method, regex, pattern, handler]);
  };

  route('GET', '/v1/info', () => {
    const base = `http://127.0.0.1:${port}`;
    return {
      app: { name: 'Beeper Desktop (sandbox)', version: SANDBOX_VERSION, bundle_id: 'com.automattic.beeper.desktop.sandbox' },
      platform: { os: process.platform, arch: process.arch, release: process.release.name },
      server: { status: 'running', base_url: base, port, hostname: '127.0.0.1', remote_access: false, mcp_enabled: false },
      endpoints: {
        oauth: {
          authorization_endpoint: `${base}/oauth/authorize`,
          token_endpoint: `${base}/oauth/token`,
          introspection_endpoint: `${base}/oauth/introspect`,
          userinfo_endpoint: `${base}/oauth/userinfo`,
          revocation_endpoint: `${base}/oauth/revoke`,
          registration_endpoint: `${base}/oauth/register`,
        },
        spec: `${base}/v1/spec`,
        mcp: `${base}/v0/mcp`,
        ws_events: `ws://127.0.0.1:${port}/v1/ws`,
      },
    };
  });

  route('GET', '/v1/accounts', () => world.accounts);
  route('GET', '/v1/accounts/{accountID}', (_ctx, [id]) => accountById(id) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${id}.`));
  route('GET', '/v1/accounts/{accountID}/contacts', (ctx, [id]) => {
    const query = (ctx.url.searchParams.get('query') ?? '').toLowerCase();
    if (!query) throw new HttpError(400, 'VALIDATION_ERROR', 'query is required.');
    return { items: contactsOf(id).filter((u) => `${u.fullName} ${u.username ?? ''}`.toLowerCase().includes(query)).map(({ ts: _t, ...u }) => u) };
  });
  route('GET', '/v1/accounts/{accountID}/contacts/list', (ctx, [id]) => {
    const q = ctx.url.searchParams;
    const query = (q.get('query') ?? '').toLowerCase();
    const all = contactsOf(id)
      .filter((u) => !query || `${u.fullName} ${u.username ?? ''}`.toLowerCase().includes(query))
      .sort(compareChats);
    const { items, hasMore } = pageOf(all, q, intParam(q, 'limit', 1, 200, 50));
    return {
      items: items.map(({ ts: _t, ...u }) => u),
      hasMore,
      oldestCursor: items.length ? encodeCursor(items[items.length - 1] as unknown as SandboxChat) : null,
      newestCursor: items.length ? encodeCursor(items[0] as unknown as SandboxChat) : null,
    };
  });

  route('GET', '/v1/bridges', () => ({ items: world.bridges.map((b) => bridgeJson(b.id)) }));
  route('GET', '/v1/bridges/{bridgeID}', (_ctx, [id]) => (bridgeById(id) ? bridgeJson(id) : notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`)));
  route('GET', '/v1/bridges/{bridgeID}/capabilities', (_ctx, [id]) => {
    const b = bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    const group = b.type !== 'twitter';
    return {
      group_creation: group
        ? { group: { type_description: 'Group chat', name: { allowed: true, required: false, max_length: 100 }, participants: { allowed: true, required: true, min_length: 1 }, avatar: { allowed: true } } }
        : {},
      resolve_identifier: {
        any_phone: b.type === 'whatsapp' || b.type === 'signal',
        contact_list: true,
        create_dm: true,
        lookup_email: b.type === 'slackgo',
        lookup_phone: b.type === 'whatsapp' || b.type === 'signal' || b.type === 'telegram',
        lookup_username: b.type !== 'whatsapp',
        search: true,
      },
      image_pack_import: b.type === 'telegram',
    };
  });
  route('GET', '/v1/bridges/{bridgeID}/login-flows', (_ctx, [id]) => {
    const b = bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    return { items: b.flows };
  });
  route('POST', '/v1/bridges/{bridgeID}/login-sessions', (ctx, [id]) => {
    const b = bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    const body = (ctx.body ?? {}) as { flowID?: unknown; accountID?: unknown; loginID?: unknown };
    const flowID = typeof body.flowID === 'string' ? body.flowID : b.flows[0]!.id;
    if (!b.flows.some((f) => f.id === flowID)) throw new HttpError(400, 'LOGIN_FLOW_NOT_FOUND', `Bridge ${id} has no login flow ${flowID}.`);
    const accountID = typeof body.accountID === 'string' ? body.accountID : undefined;
    let loginID = typeof body.loginID === 'string' ? body.loginID : undefined;
    if (accountID) {
      const account = accountById(accountID);
      if (!account || account.bridge?.id !== id) throw new HttpError(404, 'ACCOUNT_NOT_FOUND', `Bridge ${id} has no account ${accountID}.`);
      loginID = loginID ?? account.loginID;
    } else if (b.status === 'limit_reached' || b.status === 'disabled' || b.status === 'temporarily_unavailable') {
      throw new HttpError(409, 'BRIDGE_UNAVAILABLE', b.statusText ?? `${b.displayName} cannot add accounts now (${b.status}).`);
    }
    sessionCounter++;
    const s: login.SessionRecord = {
      bridgeID: id,
      loginSessionID: `ls_${sessionCounter}_${randomBytes(4).toString('hex')}`,
      flowID,
      accountID,
      loginID,
      createdAt: Date.now(),
      phase: login.initialPhase(flowID, Date.now()),
      step: 1,
    };
    sessions.set(s.loginSessionID, s);
    ctx.res.statusCode = 201;
    return sessionJson(s);
  });
  const sessionOf = (bridgeID: string, sessionID: string) => {
    const s = sessions.get(sessionID);
    if (!s || s.bridgeID !== bridgeID) notFound('LOGIN_SESSION_NOT_FOUND', `No login session ${sessionID}.`);
    return s;
  };
  route('GET', '/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}', (_ctx, [b, id]) => {
    const s = sessionOf(b, id);
    refresh(s);
    return sessionJson(s);
  });
  route('DELETE', '/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}', (_ctx, [b, id]) => {
    const s = sessionOf(b, id);
    login.cancel(s);
    return { bridgeID: b, loginSessionID: id, status: 'cancelled' };
  });
  route('POST', '/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}/steps/{stepID}', (ctx, [b, id, stepID]) => {
    const s = sessionOf(b, id);
    refresh(s);
    try {
      if (login.submit(s, stepID, (ctx.body ?? {}), b)) completeSession(s);
    } catch (e) {
      if (e instanceof login.StepError) throw new HttpError(e.status, e.code, e.message);
      throw e;
    }
    return sessionJson(s);
  });

  route('GET', '/v1/chats/search', (ctx) => searchChats(ctx.url.searchParams, 'search'));
  route('GET', '/v1/chats', (ctx) => searchChats(ctx.url.searchParams, 'list'));
  route('GET', '/v1/chats/{chatID}', (ctx, [id]) => {
    const chat = world.chats.find((c) => c.id === id || c.localChatID === id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    const raw = ctx.url.searchParams.get('maxParticipantCount');
    const limit = raw === null ? 100 : Number(raw);
    if (!Number.isInteger(limit) || limit < -1 || limit > 500) throw new HttpError(400, 'VALIDATION_ERROR', 'maxParticipantCount must be -1 or 0–500.');
    return chatJson(chat, limit);
  });
  route('POST', '/v1/focus', (ctx) => {
    const body = (ctx.body ?? {}) as { chatID?: unknown };
    if (body.chatID !== undefined && !world.chats.some((c) => c.id === body.chatID || c.localChatID === body.chatID)) {
      throw new HttpError(404, 'CHAT_NOT_FOUND', `No chat ${JSON.stringify(body.chatID)}.`);
    }
    lastFocus = body;
    return { success: true };
  });

  // ---- OAuth 2.0 authorization code with PKCE (S256), as Beeper Desktop offers it -------------

  route('GET', '/.well-known/oauth-authorization-server', () => {
    const base = `http://127.0.0.1:${port}`;
    return {
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      registration_endpoint: `${base}/oauth/register`,
      revocation_endpoint: `${base}/oauth/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['read', 'write'],
    };
  });
  route('POST', '/oauth/register', (ctx) => {
    const body = (ctx.body ?? {}) as { redirect_uris?: unknown; client_name?: unknown };
    const uris = Array.isArray(body.redirect_uris) ? body.redirect_uris.filter((u): u is string => typeof u === 'string') : [];
    if (!uris.length) throw new HttpError(400, 'invalid_redirect_uri', 'redirect_uris is required.');
    const clientId = `client_${randomBytes(8).toString('hex')}`;
    oauthClients.set(clientId, { redirectUris: uris, name: typeof body.client_name === 'string' ? body.client_name : 'client' });
    ctx.res.statusCode = 201;
    return { client_id: clientId, redirect_uris: uris, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] };
  });
  route('GET', '/oauth/authorize', (ctx) => {
    const q = ctx.url.searchParams;
    const client = oauthClients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client) throw new HttpError(400, 'invalid_client', 'Unknown client_id.');
    if (!client.redirectUris.includes(redirectUri)) throw new HttpError(400, 'invalid_redirect_uri', 'redirect_uri is not registered for this client.');
    if (q.get('response_type') !== 'code') throw new HttpError(400, 'unsupported_response_type', 'response_type must be code.');
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) throw new HttpError(400, 'invalid_request', 'PKCE with S256 is required.');
    // Beeper Desktop shows an approval prompt here; the sandbox approves at once.
    const code = randomBytes(16).toString('hex');
    oauthCodes.set(code, { clientId: q.get('client_id')!, redirectUri, challenge: q.get('code_challenge')!, scope: q.get('scope') ?? 'read', expires: Date.now() + 60_000 });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (q.get('state') !== null) target.searchParams.set('state', q.get('state')!);
    ctx.res.writeHead(302, { location: target.toString() });
    ctx.res.end();
    return undefined;
  });
  route('POST', '/oauth/token', (ctx) => {
    const form = formOf(ctx.body);
    const entry = oauthCodes.get(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code') throw new HttpError(400, 'unsupported_grant_type', 'grant_type must be authorization_code.');
    if (!entry || entry.expires < Date.now()) throw new HttpError(400, 'invalid_grant', 'The code is unknown or expired.');
    oauthCodes.delete(form.get('code')!);
    if (entry.clientId !== form.get('client_id') || entry.redirectUri !== form.get('redirect_uri')) throw new HttpError(400, 'invalid_grant', 'client_id or redirect_uri does not match.');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== entry.challenge) throw new HttpError(400, 'invalid_grant', 'PKCE verification failed.');
    const accessToken = `oauth-${randomBytes(24).toString('base64url')}`;
    const expiresIn = 3600;
    issuedTokens.set(accessToken, { expires: Date.now() + expiresIn * 1000, scope: entry.scope });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: entry.scope };
  });
  route('POST', '/oauth/revoke', (ctx) => {
    issuedTokens.delete(formOf(ctx.body).get('token') ?? '');
    return {};
  });

  // ---- admin (tests and npm start): not part of the Beeper API -------------------------------

  const admin: [string, RegExp, Handler][] = [];
  const adminRoute = (method: string, pattern: string, handler: Handler) => {
    admin.push([method, new RegExp('^' + pattern.replace(/\{[^}]+\}/g, '([^/]+)') + '$'), handler]);
  };
  adminRoute('GET', '/_sandbox/state', () => ({
    openLoginSessions: [...sessions.values()].filter(login.isOpen).length,
    loginSessions: [...sessions.values()].map((s) => ({ loginSessionID: s.loginSessionID, bridgeID: s.bridgeID, status: login.statusOf(s), accountID: s.accountID })),
    requests: { total, byRoute: requests },
    lastFocus,
    accounts: world.accounts.length,
    chats: world.chats.length,
  }));
  adminRoute('POST', '/_sandbox/reset', () => {
    world = makeWorld(options);
    sessions = new Map();
    faults = {};
    requests = {};
    total = 0;
    lastFocus = undefined;
    return { ok: true };
  });
  adminRoute('POST', '/_sandbox/requests/reset', () => {
    requests = {};
    total = 0;
    return { ok: true };
  });
  adminRoute('PUT', '/_sandbox/faults', (ctx) => {
    faults = (ctx.body ?? {});
    return { ok: true };
  });
  adminRoute('DELETE', '/_sandbox/faults', () => {
    faults = {};
    return { ok: true };
  });
  adminRoute('POST', '/_sandbox/login-sessions/{id}/scan', (_ctx, [id]) => {
    const s = sessions.get(id) ?? notFound('LOGIN_SESSION_NOT_FOUND', `No login session ${id}.`);
    if (!login.scan(s)) throw new HttpError(409, 'NOT_SCANNABLE', 'This session is not showing a code.');
    refresh(s);
    return sessionJson(s);
  });
  adminRoute('PATCH', '/_sandbox/accounts/{id}', (ctx, [id]) => {
    const account = accountById(id) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${id}.`);
    Object.assign(account, ctx.body as Partial<Account>);
    return account;
  });
  adminRoute('PATCH', '/_sandbox/bridges/{id}', (ctx, [id]) => {
    const bridge = bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    Object.assign(bridge, ctx.body as object);
    return bridgeJson(id);
  });
  adminRoute('DELETE', '/_sandbox/accounts', () => {
    // Every account signed out: the "connected, no accounts" state.
    world.accounts.length = 0;
    for (const b of world.bridges) if (b.status === 'connected') b.status = 'available';
    return { accounts: 0 };
  });
  adminRoute('POST', '/_sandbox/chats', (ctx) => {
    const body = ctx.body as Partial<SandboxChat> & { accountID: string };
    const account = accountById(body.accountID) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${body.accountID}.`);
    const chat: SandboxChat = { ...makeChats(account, 1, Date.now(), 900 + world.chats.length)[0]!, ...body };
    chat.id = body.id ?? `!added${world.chats.length}:sandbox.localhost`;
    chat.ts = Date.parse(chat.lastActivity ?? new Date().toISOString());
    world.chats.push(chat);
    return chatJson(chat, 100);
  });
  adminRoute('PATCH', '/_sandbox/chats/{id}', (ctx, [id]) => {
    const chat = world.chats.find((c) => c.id === id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    Object.assign(chat, ctx.body as Partial<SandboxChat>);
    if (chat.lastActivity) chat.ts = Date.parse(chat.lastActivity);
    return chatJson(chat, 100);
  });

  // ---- the server ---------------------------------------------------------------------------

  function matchFault(method: string, path: string): FaultRule | undefined {
    const rule = faults.rules?.find((r) => (!r.method || r.method === method) && path.startsWith(r.path) && (r.times === undefined || r.times > 0));
    if (rule && rule.times !== undefined) rule.times--;
    return rule;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    res.setHeader('x-beeper-desktop-version', SANDBOX_VERSION);
    const raw = await readBody(req);
    const ctx: Ctx = { req, res, url, body: undefined };
    try {
      if (raw.length) {
        const type = String(req.headers['content-type'] ?? '');
        if (type.includes('application/x-www-form-urlencoded')) ctx.body = raw;
        else {
          try {
            ctx.body = JSON.parse(raw);
          } catch {
            throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
          }
        }
      }
      for (const [m, regex, handler] of admin) {
        const found = regex.exec(url.pathname);
        if (found && m === method) return send(res, 200, handler(ctx, found.slice(1).map(decodeURIComponent) as Params));
      }
      const matched = routes.find(([m, regex]) => m === method && regex.test(url.pathname));
      const key = matched ? `${method} ${matched[2]}` : `${method} ${url.pathname}`;
      requests[key] = (requests[key] ?? 0) + 1;
      total++;
      if (options.verbose) process.stderr.write(`sandbox: ${method} ${url.pathname}\n`);

      if (faults.latencyMs) await delay(faults.latencyMs);
      const fault = matchFault(method, url.pathname);
      if (fault?.stallMs) await delay(fault.stallMs);
      if (fault?.close) {
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
        throw new HttpError(fault.status, fault.status === 404 ? 'NOT_FOUND' : `SANDBOX_FAULT_${fault.status}`, fault.message ?? (fault.status === 404 ? `Cannot ${method} ${url.pathname}` : `Sandbox fault: HTTP ${fault.status}`));
      }
      if (fault?.body === 'huge') {
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
        return;
      }
      if (fault?.body) {
        res.writeHead(200, { 'content-type': fault.body === 'html' ? 'text/html' : 'application/json' });
        const bodies = { truncated: '{"items":[{"id":"tr', html: '<html><body>Hello</body></html>', empty: '', wrongShape: '{"items":"not a list","hasMore":"maybe"}' };
        res.end(bodies[fault.body]);
        return;
      }
      if (!matched) throw new HttpError(404, 'NOT_FOUND', `Cannot ${method} ${url.pathname}`);
      const isPublic = url.pathname === '/v1/info' || url.pathname.startsWith('/oauth/') || url.pathname.startsWith('/.well-known/');
      if (!isPublic) {
        const header = String(req.headers.authorization ?? '');
        const bearer = /^Bearer (.+)$/i.exec(header)?.[1];
        const granted = tokenValid(bearer);
        if (!granted) throw new HttpError(401, 'UNAUTHORIZED', 'Access token is missing or invalid.');
        if (method !== 'GET' && !granted.scope.split(' ').includes('write')) throw new HttpError(403, 'FORBIDDEN', 'This token does not have the write scope.');
      }
      const result = matched[3](ctx, matched[1].exec(url.pathname)!.slice(1).map(decodeURIComponent) as Params);
      if (fault?.stallAfterMs) await delay(fault.stallAfterMs);
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    get world() {
      return world;
    },
    openLoginSessions: () => [...sessions.values()].filter(login.isOpen).length,
    requestCount: () => total,
    setFaults: (f: Faults) => {
      faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function notFound(code: string, message: string): never {
  throw new HttpError(404, code, message);
}

function strip<T extends object>(value: T): T {
  for (const k of Object.keys(value) as (keyof T)[]) if (value[k] === undefined) delete value[k];
  return value;
}

function formOf(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  if (body && typeof body === 'object') return new URLSearchParams(Object.entries(body as Record<string, string>));
  return new URLSearchParams();
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
