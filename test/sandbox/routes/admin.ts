// Admin routes for tests and `npm start` (not part of the Beeper API): state, faults, "the code
// was scanned", and the live hooks (a message arrives, a chat is deleted, the socket drops).
import type { Account } from '../../../src/api/types';
import { makeChats, type SandboxChat } from '../data';
import { HttpError, notFound, type Router } from '../http';
import * as login from '../login';
import type { SandboxState } from '../state';

export interface SocketControl {
  /** Open WebSocket connections. */
  count(): number;
  /** Close every socket (code 1012, "service restart"), as when Beeper Desktop restarts. */
  dropAll(): number;
  /** Send raw text to every socket (malformed and unknown frames). */
  sendRaw(text: string): number;
}

export function adminRoutes(r: Router, s: SandboxState, sockets: SocketControl): void {
  r.add('GET', '/_sandbox/state', () => ({
    openLoginSessions: s.openLoginSessions(),
    loginSessions: [...s.sessions.values()].map((x) => ({ loginSessionID: x.loginSessionID, bridgeID: x.bridgeID, status: login.statusOf(x), accountID: x.accountID })),
    requests: { total: s.total, byRoute: s.requests, unreadSearches: s.unreadSearches },
    lastFocus: s.lastFocus,
    accounts: s.world.accounts.length,
    chats: s.world.chats.length,
    sockets: sockets.count(),
  }));
  // The last writes with their bodies (tests check that a verb made exactly one, and what it sent).
  r.add('GET', '/_sandbox/writes', () => ({ writes: s.writes }));
  r.add('POST', '/_sandbox/reset', () => {
    s.reset();
    return { ok: true };
  });
  r.add('POST', '/_sandbox/requests/reset', () => {
    s.resetRequests();
    return { ok: true };
  });
  r.add('PUT', '/_sandbox/faults', (ctx) => {
    s.faults = (ctx.body ?? {});
    return { ok: true };
  });
  // Beeper Desktop's "MCP server" switch (Settings → Developers).
  r.add('PUT', '/_sandbox/mcp', (ctx) => {
    s.mcpEnabled = (ctx.body as { enabled?: unknown } | undefined)?.enabled !== false;
    if (!s.mcpEnabled) s.mcpSessions.clear();
    return { enabled: s.mcpEnabled };
  });
  r.add('DELETE', '/_sandbox/faults', () => {
    s.faults = {};
    return { ok: true };
  });
  r.add('POST', '/_sandbox/login-sessions/{id}/scan', (_ctx, [id]) => {
    const session = s.sessions.get(id) ?? notFound('LOGIN_SESSION_NOT_FOUND', `No login session ${id}.`);
    if (!login.scan(session)) throw new HttpError(409, 'NOT_SCANNABLE', 'This session is not showing a code.');
    s.refreshSession(session);
    return s.sessionJson(session);
  });
  r.add('PATCH', '/_sandbox/accounts/{id}', (ctx, [id]) => {
    const account = s.accountById(id) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${id}.`);
    Object.assign(account, ctx.body as Partial<Account>);
    return account;
  });
  r.add('PATCH', '/_sandbox/bridges/{id}', (ctx, [id]) => {
    const bridge = s.bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    Object.assign(bridge, ctx.body as object);
    return s.bridgeJson(id);
  });
  r.add('DELETE', '/_sandbox/accounts', () => {
    // Every account signed out: the "connected, no accounts" state.
    s.world.accounts.length = 0;
    for (const b of s.world.bridges) if (b.status === 'connected') b.status = 'available';
    return { accounts: 0 };
  });
  r.add('POST', '/_sandbox/chats', (ctx) => {
    const body = ctx.body as Partial<SandboxChat> & { accountID: string };
    const account = s.accountById(body.accountID) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${body.accountID}.`);
    const chat: SandboxChat = { ...makeChats(account, 1, Date.now(), 900 + s.world.chats.length)[0]!, ...body };
    chat.id = body.id ?? `!added${s.world.chats.length}:sandbox.localhost`;
    chat.ts = Date.parse(chat.lastActivity ?? new Date().toISOString());
    s.addChat(chat);
    return s.chatJson(chat, 100);
  });
  r.add('PATCH', '/_sandbox/chats/{id}', (ctx, [id]) => {
    const chat = s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    // `{ "silent": true }` changes the chat without a socket event (a network that sends none).
    const { silent, ...patch } = (ctx.body ?? {}) as Partial<SandboxChat> & { silent?: boolean };
    if (silent) {
      Object.assign(chat, patch);
      if (chat.lastActivity) chat.ts = Date.parse(chat.lastActivity);
    } else s.updateChat(chat, patch);
    return s.chatJson(chat, 100);
  });
  r.add('DELETE', '/_sandbox/chats/{id}', (_ctx, [id]) => {
    const chat = s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    s.deleteChat(chat);
    return { deleted: chat.id };
  });
  r.add('POST', '/_sandbox/chats/{id}/messages', (ctx, [id]) => {
    const chat = s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    return s.addMessage(chat, ctx.body ?? {});
  });
  r.add('POST', '/_sandbox/send-failures', (ctx) => {
    // `{ count: 1, reason: "..." }`: the next sends are refused by the "network" (FAIL_RETRIABLE).
    const body = (ctx.body ?? {}) as { count?: number; reason?: string };
    s.failNextSends = { count: Math.max(0, Math.min(100, body.count ?? 1)), reason: typeof body.reason === 'string' ? body.reason : 'the network timed out' };
    return { ok: true };
  });
  r.add('GET', '/_sandbox/chats/{id}/messages', (_ctx, [id]) => {
    // The chat's newest 25 as the API would list them (tests count what arrived).
    const chat = s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    return s.listMessages(chat, null, 'before');
  });
  r.add('GET', '/_sandbox/chats/{id}/history', (ctx, [id]) => {
    // `?count=N`: the newest N, oldest first, hidden ones included.
    const chat = s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
    const count = Math.max(1, Math.min(20_000, Number(ctx.url.searchParams.get('count') ?? '100') || 100));
    return { items: s.historyTail(chat, count) };
  });
  r.add('POST', '/_sandbox/burst', (ctx) => {
    // `{ messages: 1000, chats: 50 }`: that many messages, round-robin over the newest chats.
    const body = (ctx.body ?? {}) as { messages?: number; chats?: number; accountID?: string };
    const pool = s.world.chats.filter((c) => !body.accountID || c.accountID === body.accountID).sort((a, b) => b.ts - a.ts).slice(0, Math.max(1, body.chats ?? 50));
    const n = Math.max(0, Math.min(100_000, body.messages ?? 1000));
    const now = Date.now();
    for (let i = 0; i < n; i++) s.addMessage(pool[i % pool.length]!, { text: `Burst message ${i + 1}` }, now + i);
    return { messages: n, chats: pool.length };
  });
  let traffic: { timers: ReturnType<typeof setInterval>[]; messages: number; drops: number } | undefined;
  r.add('POST', '/_sandbox/traffic', (ctx) => {
    // A steady load for soak benchmarks: `perSecond` messages over the newest `chats`, the socket
    // dropped every `dropEveryMs`, for `durationMs`. Runs in the sandbox's process, not the client's.
    const body = (ctx.body ?? {}) as { perSecond?: number; chats?: number; dropEveryMs?: number; durationMs?: number };
    for (const t of traffic?.timers ?? []) clearInterval(t);
    const perSecond = Math.max(0.1, Math.min(1000, body.perSecond ?? 5));
    const pool = [...s.world.chats].sort((a, b) => b.ts - a.ts).slice(0, Math.max(1, body.chats ?? 50));
    const run = { timers: [] as ReturnType<typeof setInterval>[], messages: 0, drops: 0 };
    run.timers.push(setInterval(() => s.addMessage(pool[run.messages++ % pool.length]!, { text: `Soak message ${run.messages}` }), 1000 / perSecond));
    if (body.dropEveryMs) run.timers.push(setInterval(() => (run.drops++, sockets.dropAll()), body.dropEveryMs));
    const stop = setTimeout(() => run.timers.forEach((t) => clearInterval(t)), body.durationMs ?? 60_000);
    run.timers.push(stop);
    traffic = run;
    return { ok: true };
  });
  r.add('GET', '/_sandbox/traffic', () => ({ messages: traffic?.messages ?? 0, drops: traffic?.drops ?? 0 }));
  r.add('POST', '/_sandbox/ws/drop', () => ({ dropped: sockets.dropAll() }));
  // `{ raw }`: one frame as given; `{ frames: [...] }`: many at once (a flood).
  r.add('POST', '/_sandbox/ws/send', (ctx) => {
    const body = ctx.body as { raw?: unknown; frames?: unknown } | undefined;
    if (Array.isArray(body?.frames)) return { sent: body.frames.reduce((n: number, f: unknown) => n + sockets.sendRaw(typeof f === 'string' ? f : JSON.stringify(f)), 0) };
    const raw = body?.raw;
    return { sent: sockets.sendRaw(typeof raw === 'string' ? raw : JSON.stringify(raw ?? '')) };
  });
}
