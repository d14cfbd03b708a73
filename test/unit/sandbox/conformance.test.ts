// The sandbox answers like Beeper Desktop: stable routes match the official OpenAPI spec 5.0.0
// (vendored in test/fixtures), bridge and login routes match the bridge documents' fields,
// field names and types exactly. Also: its login flows behave as real state machines.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { check, type Schema } from '../../support/schema';
import { ADMIN_HEADER, control } from '../../sandbox/control';
import { request } from 'undici';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { SANDBOX_2FA_PASSWORD, SANDBOX_LOGIN_CODE } from '../../sandbox/login';

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../test/fixtures/beeper-desktop-api-5.0.0.openapi.json'), 'utf8')) as Schema;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
// The bridge documents add these to the official Account.
const extensions = { Account: ['status', 'statusText', 'loginID', 'capabilities'] };

// Bridge-document schemas, written from ../shared/seeds (fields and types as documented).
const str = { type: 'string' };
const optionalStr = { type: 'string' };
const userSchema = ref('User');
const accountSchema = ref('Account');
const seedSchemas: Record<'Bridge' | 'LoginFlows' | 'Step' | 'Login', Schema> & { LoginSession?: Schema } = {
  Bridge: {
    type: 'object',
    required: ['id', 'accounts', 'activeAccountCount', 'displayName', 'provider', 'status', 'supportsMultipleAccounts', 'type'],
    properties: {
      id: str, accounts: { type: 'array', items: accountSchema }, activeAccountCount: { type: 'number' }, displayName: str,
      provider: { type: 'string', enum: ['cloud', 'self-hosted', 'local', 'platform-sdk'] },
      status: { type: 'string', enum: ['available', 'connected', 'limit_reached', 'temporarily_unavailable', 'disabled'] },
      supportsMultipleAccounts: { type: 'boolean' }, type: str, network: optionalStr, statusText: optionalStr,
    },
  },
  LoginFlows: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: str, name: str, description: str } } } } },
  Step: {
    anyOf: [
      { type: 'object', required: ['fields', 'stepID', 'type'], properties: { type: { type: 'string', enum: ['user_input'] }, stepID: str, instructions: str, attachments: { type: 'array' }, fields: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: str, label: str, placeholder: str, initialValue: str, optional: { type: 'boolean' }, type: str } } } } },
      { type: 'object', required: ['fields', 'stepID', 'type', 'url'], properties: { type: { type: 'string', enum: ['cookies'] }, stepID: str, url: str, instructions: str, expectedFinalURLRegex: str, extractJS: str, userAgent: str, fields: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: str, name: str, type: { type: 'string', enum: ['cookie', 'header', 'local_storage'] } } } } } },
      { type: 'object', required: ['display', 'stepID', 'type'], properties: { type: { type: 'string', enum: ['display_and_wait'] }, stepID: str, instructions: str, display: { anyOf: [
        { type: 'object', required: ['data', 'type'], properties: { type: { type: 'string', enum: ['qr'] }, data: str } },
        { type: 'object', required: ['imageURL', 'type'], properties: { type: { type: 'string', enum: ['emoji'] }, imageURL: str } },
        { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['nothing'] } } },
      ] } } },
    ],
  },
  Login: { type: 'object', required: ['bridgeID', 'loginID', 'removeScopes', 'status'], properties: { bridgeID: str, loginID: str, removeScopes: { type: 'array', items: { type: 'string', enum: ['current-device', 'all-devices'] } }, status: { type: 'string', enum: ['connected', 'connecting', 'needs_login', 'logged_out', 'unknown'] }, accountIDs: { type: 'array', items: str }, statusText: str, user: userSchema } },
};
seedSchemas.LoginSession = {
  type: 'object',
  required: ['bridgeID', 'loginSessionID', 'status'],
  properties: {
    bridgeID: str, loginSessionID: str,
    status: { type: 'string', enum: ['waiting_for_input', 'waiting_for_cookies', 'waiting_for_display', 'complete', 'cancelled', 'failed'] },
    account: accountSchema, accountID: str, loginID: str, currentStep: seedSchemas.Step,
    error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str, details: {} } },
    login: seedSchemas.Login,
  },
};

let sandbox: Sandbox;
async function call(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${sandbox.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(res.headers.get('x-beeper-desktop-version') !== null, true, 'every answer names the app version');
  return { status: res.status, json: await res.json() };
}
function conforms(schema: Schema, value: unknown, what: string) {
  const errors = check(schema, value, what, { root: spec, extensions });
  assert.deepEqual(errors.slice(0, 10), [], `${what} conforms`);
}

before(async () => {
  sandbox = await startSandbox({ qrRefreshMs: 200 });
});
after(() => sandbox.close());

describe('sandbox: control routes are not for web pages', () => {
  const raw = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => request(`${sandbox.url}${path}`, { method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body });
  it('need the admin secret or a token, a Host naming this server, and JSON as application/json', async () => {
    assert.equal((await raw('/_sandbox/state')).statusCode, 401, 'no secret');
    assert.equal((await raw('/_sandbox/state', { headers: { [ADMIN_HEADER]: 'guess' } })).statusCode, 401, 'a wrong secret');
    assert.equal((await raw('/_sandbox/nothing-here', { headers: {} })).statusCode, 401, 'unknown control routes answer nothing either');
    assert.equal((await raw('/_sandbox/state', { headers: { [ADMIN_HEADER]: sandbox.adminSecret } })).statusCode, 200, 'the secret');
    assert.equal((await raw('/_sandbox/state', { headers: { authorization: `Bearer ${sandbox.token}` } })).statusCode, 200, 'a valid token');
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    assert.equal((await raw('/_sandbox/state', { headers: { [ADMIN_HEADER]: sandbox.adminSecret, host: 'evil.example' } })).statusCode, 403, 'a foreign Host');
    assert.equal((await raw('/_sandbox/state', { headers: { [ADMIN_HEADER]: sandbox.adminSecret, host: `localhost:${sandbox.port}` } })).statusCode, 200, 'localhost');
    // A page's "simple" cross-origin POST (text/plain or a form) never reaches a handler.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await raw('/_sandbox/reset', { method: 'POST', headers: { [ADMIN_HEADER]: sandbox.adminSecret, 'content-type': type }, body: '{}' });
      assert.equal(res.statusCode, 415, type);
      await res.body.text();
    }
    const before = sandbox.world.accounts.length;
    assert.equal((await raw('/_sandbox/accounts', { method: 'DELETE' })).statusCode, 401);
    assert.equal(sandbox.world.accounts.length, before, 'a refused call changed nothing');
  });
});

describe('sandbox: a client that resets its connection', () => {
  it('loses only that connection: refused socket upgrades reset at once leave the sandbox answering', async () => {
    // Node's own error handler leaves an upgrade socket; a reset on one used to end the process
    // the sandbox runs in (a CI run's integration stage died of it).
    for (let i = 0; i < 100; i++) {
      await new Promise<void>((resolve) => {
        const c = net.connect(sandbox.port, '127.0.0.1', () => {
          c.write(`GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:${sandbox.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer wrong\r\n\r\n`);
          setTimeout(() => {
            c.resetAndDestroy();
            resolve();
          }, i % 3);
        });
        c.on('error', () => resolve());
      });
    }
    const info = await fetch(`${sandbox.url}/v1/info`);
    assert.equal(info.status, 200);
    await info.body?.cancel();
  });
});

describe('sandbox: stable routes conform to the official spec', () => {
  it('GET /v1/info', async () => conforms(ref('ConnectInfoOutput'), await fetch(`${sandbox.url}/v1/info`).then((r) => r.json()), 'info'));
  it('GET /v1/accounts', async () => conforms(ref('GetAccountsOutput'), (await call('GET', '/v1/accounts')).json, 'accounts'));
  it('GET /v1/chats/search and /v1/chats', async () => {
    conforms(ref('SearchChatsOutput'), (await call('GET', '/v1/chats/search?limit=200')).json, 'search');
    conforms(ref('ListChatsOutput'), (await call('GET', '/v1/chats')).json, 'list');
  });
  it('GET /v1/chats/search scope=participants finds the chats a person is in', async () => {
    const chat = (await call('GET', `/v1/chats/${encodeURIComponent('!chat1_matrix:matrix.localhost')}?maxParticipantCount=5`)).json as { participants: { items: { fullName?: string; isSelf?: boolean }[] } };
    const name = chat.participants.items.find((p) => !p.isSelf && p.fullName)!.fullName!;
    const found = (await call('GET', `/v1/chats/search?query=${encodeURIComponent(name)}&scope=participants&limit=200`)).json as { items: { id: string; title: string }[] };
    conforms(ref('SearchChatsOutput'), found, 'participants search');
    assert.ok(found.items.some((c) => c.id === '!chat1_matrix:matrix.localhost'), `a group ${name} is in`);
    assert.equal((await call('GET', '/v1/chats/search?query=x&scope=nope')).status, 400);
  });
  it('GET /v1/chats/{chatID} with 1,000 participants', async () => {
    const big = sandbox.world.chats.find((c) => c.participantCount === 1000)!;
    conforms(ref('Chat'), (await call('GET', `/v1/chats/${encodeURIComponent(big.id)}?maxParticipantCount=-1`)).json, 'chat');
  });
  it('contacts search and list', async () => {
    conforms(ref('SearchContactsOutput'), (await call('GET', '/v1/accounts/matrix/contacts?query=a')).json, 'contacts');
    conforms(ref('ListContactsOutput'), (await call('GET', '/v1/accounts/matrix/contacts/list')).json, 'contacts list');
  });
  it('GET /v1/messages/search: words, filters, cursor pages and the chats map', async () => {
    const first = (await call('GET', '/v1/messages/search?query=coffee&limit=5')).json as { items: { id: string; chatID: string; text?: string; sortKey: string }[]; hasMore: boolean; oldestCursor: string; chats: Record<string, unknown> };
    conforms(ref('SearchMessagesOutput'), first, 'message search');
    assert.equal(first.items.length, 5);
    assert.equal(first.hasMore, true);
    for (const m of first.items) {
      assert.match(m.text ?? '', /coffee/i);
      assert.ok(first.chats[m.chatID], 'every match has its chat in the map');
    }
    const keys = first.items.map((m) => BigInt(m.sortKey));
    assert.deepEqual([...keys].sort((a, b) => (b > a ? 1 : b < a ? -1 : 0)), keys, 'newest first');
    const next = (await call('GET', `/v1/messages/search?query=coffee&limit=5&cursor=${encodeURIComponent(first.oldestCursor)}&direction=before`)).json as typeof first;
    assert.ok(next.items.every((m) => BigInt(m.sortKey) < keys[keys.length - 1]!), 'the next page is older');
    const chatID = first.items[0]!.chatID;
    const inChat = (await call('GET', `/v1/messages/search?chatIDs=${encodeURIComponent(chatID)}&sender=me&limit=20`)).json as typeof first;
    assert.ok(inChat.items.length > 0 && inChat.items.every((m) => m.chatID === chatID));
    const future = (await call('GET', `/v1/messages/search?query=coffee&dateAfter=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`)).json as typeof first;
    assert.deepEqual([future.items.length, future.hasMore], [0, false]);
    assert.equal((await call('GET', '/v1/messages/search?limit=21')).status, 400, 'the spec caps limit at 20');
  });
  it('/v0/mcp: the streamable-HTTP handshake behind the token, off when Desktop turns it off', async () => {
    const info = (await fetch(`${sandbox.url}/v1/info`).then((r) => r.json())) as { endpoints: { mcp: string }; server: { mcp_enabled: boolean } };
    assert.equal(info.server.mcp_enabled, true);
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(info.endpoints.mcp, { method: 'POST', headers: { authorization: `Bearer ${sandbox.token}`, accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    assert.equal((await fetch(info.endpoints.mcp, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status, 401, 'no token, no MCP');
    const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } });
    const session = init.headers.get('mcp-session-id');
    assert.ok(session);
    assert.equal(((await init.json()) as { result: { protocolVersion: string } }).result.protocolVersion, '2025-06-18');
    assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': session })).status, 202);
    const list = (await (await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': session })).json()) as { result: { tools: { name: string }[] } };
    assert.deepEqual(list.result.tools.map((t) => t.name), ['get_accounts']);
    assert.equal((await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' })).status, 400, 'no session');
    await control(sandbox, 'PUT', '/_sandbox/mcp', { enabled: false });
    try {
      assert.equal(((await fetch(`${sandbox.url}/v1/info`).then((r) => r.json())) as typeof info).server.mcp_enabled, false);
      assert.equal((await post({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, { 'mcp-session-id': session })).status, 404);
    } finally {
      await control(sandbox, 'PUT', '/_sandbox/mcp', { enabled: true });
    }
  });
  it('POST /v1/focus and the error body', async () => {
    conforms(ref('FocusAppOutput'), (await call('POST', '/v1/focus', {})).json, 'focus');
    const denied = await fetch(`${sandbox.url}/v1/accounts`);
    assert.equal(denied.status, 401);
    conforms(ref('Error'), await denied.json(), 'error');
  });
});

describe('sandbox: bridge routes conform to the bridge documents', () => {
  it('every bridge\'s capabilities carry all seven resolve_identifier booleans (unknowns as extra keys, never gaps)', async () => {
    const bridges = ((await call('GET', '/v1/bridges')).json as { items: { id: string }[] }).items;
    assert.ok(bridges.length >= 6);
    for (const b of bridges) {
      const caps = (await call('GET', `/v1/bridges/${encodeURIComponent(b.id)}/capabilities`)).json as { resolve_identifier?: Record<string, unknown>; group_creation?: unknown };
      assert.equal(typeof caps.group_creation, 'object', b.id);
      for (const key of ['any_phone', 'contact_list', 'create_dm', 'lookup_email', 'lookup_phone', 'lookup_username', 'search']) assert.equal(typeof caps.resolve_identifier?.[key], 'boolean', `${b.id}: resolve_identifier.${key}`);
    }
  });

  it('bridges, one bridge, flows', async () => {
    const list = (await call('GET', '/v1/bridges')).json as { items: unknown[] };
    conforms({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: seedSchemas.Bridge } } }, list, 'bridges');
    conforms(seedSchemas.Bridge, (await call('GET', '/v1/bridges/local-whatsapp')).json, 'bridge');
    conforms(seedSchemas.LoginFlows, (await call('GET', '/v1/bridges/local-telegram/login-flows')).json, 'flows');
  });

  it('every flow, through every step, to its end', async () => {
    const run = async (bridge: string, flowID: string, inputs: Record<string, string>[], scan = false) => {
      let s = (await call('POST', `/v1/bridges/${bridge}/login-sessions`, { flowID })).json as { loginSessionID: string; status: string; currentStep?: { stepID: string; type: string } };
      conforms(seedSchemas.LoginSession!, s, `${flowID} session`);
      for (const fields of inputs) {
        s = (await call('POST', `/v1/bridges/${bridge}/login-sessions/${s.loginSessionID}/steps/${s.currentStep!.stepID}`, { type: s.currentStep!.type, fields })).json as typeof s;
        conforms(seedSchemas.LoginSession!, s, `${flowID} step`);
      }
      if (scan) {
        await control(sandbox, 'POST', `/_sandbox/login-sessions/${s.loginSessionID}/scan`);
        s = (await call('GET', `/v1/bridges/${bridge}/login-sessions/${s.loginSessionID}`)).json as typeof s;
      }
      return s as typeof s & { account?: { accountID: string }; error?: { code: string } };
    };
    const phone = await run('local-telegram', 'phone', [{ phone_number: '+15550100999' }, { code: SANDBOX_LOGIN_CODE }, { password: SANDBOX_2FA_PASSWORD }]);
    assert.equal(phone.status, 'complete');
    assert.ok(phone.account?.accountID, 'a completed session names the new account');
    const cookies = await run('slackgo', 'cookies', [{ d_cookie: 'xoxd-1', local_config: '{"teams":{}}' }]);
    assert.equal(cookies.status, 'complete');
    const qr = await run('local-whatsapp', 'qr', [], true);
    assert.equal(qr.status, 'complete');
    const failed = await run('local-twitter', 'password', [{ username: 'sam', password: 'pw' }]);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'NETWORK_LOGIN_REJECTED');
    const accounts = (await call('GET', '/v1/accounts')).json as { accountID: string }[];
    for (const s of [phone, cookies, qr]) assert.ok(accounts.some((a) => a.accountID === s.account!.accountID), 'completing adds the account');
  });

  it('a wrong code answers the same step again with an error', async () => {
    const s = (await call('POST', '/v1/bridges/local-telegram/login-sessions', { flowID: 'phone' })).json as { loginSessionID: string; currentStep: { stepID: string } };
    const base = `/v1/bridges/local-telegram/login-sessions/${s.loginSessionID}`;
    const codeStep = (await call('POST', `${base}/steps/${s.currentStep.stepID}`, { type: 'user_input', fields: { phone_number: '+15550100999' } })).json as { currentStep: { stepID: string } };
    const wrong = (await call('POST', `${base}/steps/${codeStep.currentStep.stepID}`, { type: 'user_input', fields: { code: '00000' } })).json as { currentStep: { stepID: string }; error: { code: string } };
    assert.equal(wrong.currentStep.stepID, codeStep.currentStep.stepID);
    assert.equal(wrong.error.code, 'INVALID_LOGIN_CODE');
    assert.equal((await call('DELETE', base)).status, 200);
  });

  it('a QR code changes on refresh; the emoji flow passes through a "nothing" display', async () => {
    const s = (await call('POST', '/v1/bridges/local-whatsapp/login-sessions', {})).json as { loginSessionID: string; currentStep: { display: { data: string } } };
    await new Promise((r) => setTimeout(r, 250));
    const later = (await call('GET', `/v1/bridges/local-whatsapp/login-sessions/${s.loginSessionID}`)).json as typeof s;
    assert.notEqual(later.currentStep.display.data, s.currentStep.display.data);
    await call('DELETE', `/v1/bridges/local-whatsapp/login-sessions/${s.loginSessionID}`);
    const e = (await call('POST', '/v1/bridges/local-instagram/login-sessions', {})).json as { loginSessionID: string; currentStep: { display: { type: string } } };
    assert.equal(e.currentStep.display.type, 'emoji');
    await control(sandbox, 'POST', `/_sandbox/login-sessions/${e.loginSessionID}/scan`);
    const finishing = (await call('GET', `/v1/bridges/local-instagram/login-sessions/${e.loginSessionID}`)).json as typeof e;
    assert.equal(finishing.currentStep.display.type, 'nothing');
    await call('DELETE', `/v1/bridges/local-instagram/login-sessions/${e.loginSessionID}`);
  });

  it('reconnecting repairs the existing account; unavailable bridges refuse new accounts; open sessions are counted', async () => {
    const s = (await call('POST', '/v1/bridges/discordgo/login-sessions', { accountID: 'discordgo' })).json as { loginSessionID: string; accountID: string; loginID: string };
    assert.equal(s.accountID, 'discordgo');
    assert.equal(s.loginID, 'login_discordgo');
    assert.equal(sandbox.openLoginSessions(), 1);
    await control(sandbox, 'POST', `/_sandbox/login-sessions/${s.loginSessionID}/scan`);
    assert.equal(sandbox.openLoginSessions(), 0);
    const account = (await call('GET', '/v1/accounts/discordgo')).json as { status: string };
    assert.equal(account.status, 'connected');
    for (const bridge of ['matrix', 'psdk-linkedin', 'sh-gmessages']) assert.equal((await call('POST', `/v1/bridges/${bridge}/login-sessions`, {})).status, 409);
  });
});

describe('sandbox: triage, reminders, drafts and new groups, as the spec has them', () => {
  const send = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${route}`, { method, headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const chatID = '!chat5_matrix:matrix.localhost';
  const inbox = async (list: string) => ((await call('GET', `/v1/chats/search?limit=200&accountIDs=matrix&inbox=${list}`)).json as { items: { id: string }[] }).items.map((c) => c.id);

  it('PATCH changes pin, mute and low priority, answers the Chat, and moves it between the inbox lists', async () => {
    const res = await send('PATCH', `/v1/chats/${encodeURIComponent(chatID)}`, { isPinned: true, isMuted: true, isLowPriority: true });
    assert.equal(res.status, 200);
    conforms(ref('Chat'), res.json, 'patched chat');
    assert.deepEqual([(res.json as { isPinned: boolean }).isPinned, (res.json as { isMuted: boolean }).isMuted], [true, true]);
    assert.ok((await inbox('low-priority')).includes(chatID));
    assert.ok(!(await inbox('primary')).includes(chatID));
    await send('PATCH', `/v1/chats/${encodeURIComponent(chatID)}`, { isLowPriority: false, isPinned: false, isMuted: false });
    assert.equal((await send('PATCH', `/v1/chats/${encodeURIComponent(chatID)}`, { isPinned: 'yes' })).status, 400);
  });

  it('archive answers 204 and moves the chat to the archive; false moves it back', async () => {
    assert.equal((await send('POST', `/v1/chats/${encodeURIComponent(chatID)}/archive`, {})).status, 204);
    assert.ok((await inbox('archive')).includes(chatID));
    assert.equal((await send('POST', `/v1/chats/${encodeURIComponent(chatID)}/archive`, { archived: false })).status, 204);
    assert.ok((await inbox('primary')).includes(chatID));
  });

  it('the draft rule: a non-empty draft only onto an empty one (409), null clears', async () => {
    const route = `/v1/chats/${encodeURIComponent(chatID)}`;
    await send('PATCH', route, { draft: null });
    const set = await send('PATCH', route, { draft: { text: 'a <b>draft</b>\nline two' } });
    assert.equal(set.status, 200);
    conforms(ref('Chat'), set.json, 'chat with draft');
    assert.equal((set.json as { draft: { text: string } }).draft.text, 'a &lt;b&gt;draft&lt;/b&gt;<br>line two', 'Markdown/plain text becomes Matrix HTML');
    const refused = await send('PATCH', route, { draft: { text: 'another' } });
    assert.equal(refused.status, 409);
    conforms(ref('Error'), refused.json, '409 body');
    assert.equal(((await send('PATCH', route, { draft: null })).json as { draft: unknown }).draft, null);
  });

  it('reminders: POST 204 sets one (in the Chat), it comes due with chat.upserted, DELETE clears it', async () => {
    const route = `/v1/chats/${encodeURIComponent(chatID)}/reminders`;
    const remindAt = new Date(Date.now() + 150).toISOString();
    const events: string[] = [];
    const off = sandbox.state.onEvent((e) => e.chatID === chatID && events.push(e.type));
    assert.equal((await send('POST', route, { reminder: { remindAt, dismissOnIncomingMessage: true } })).status, 204);
    const chat = (await call('GET', `/v1/chats/${encodeURIComponent(chatID)}`)).json as { reminder: { remindAt: string; dismissOnIncomingMessage: boolean } };
    conforms(ref('Chat'), chat, 'chat with reminder');
    assert.deepEqual(chat.reminder, { remindAt, dismissOnIncomingMessage: true });
    const setAt = events.length;
    // Coming due tells the sockets: wait for that event (bounded), not for a fixed time.
    const deadline = Date.now() + 10_000;
    while (!events.slice(setAt).includes('chat.upserted') && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    off();
    assert.ok(events.slice(setAt).includes('chat.upserted'), 'coming due tells the sockets');
    assert.equal((await send('POST', route, { reminder: { remindAt: 'tomorrow' } })).status, 400);
    assert.equal((await send('DELETE', route)).status, 204);
    assert.equal(((await call('GET', `/v1/chats/${encodeURIComponent(chatID)}`)).json as { reminder: unknown }).reminder, null);
  });

  it('mark unread answers the Chat; rename and disappearing timers follow the chat capabilities', async () => {
    const unread = await send('POST', `/v1/chats/${encodeURIComponent(chatID)}/unread`, {});
    conforms(ref('Chat'), unread.json, 'unread chat');
    assert.equal((unread.json as { isMarkedUnread: boolean }).isMarkedUnread, true);
    const direct = '!chat2_matrix:matrix.localhost';
    assert.equal((await send('PATCH', `/v1/chats/${encodeURIComponent(direct)}`, { title: 'x' })).status, 422, 'a direct chat has no title of its own');
    const signal = '!chat0_local-signal_ba_sandbox1:local-signal.localhost';
    assert.equal((await send('PATCH', `/v1/chats/${encodeURIComponent(signal)}`, { messageExpirySeconds: 300 })).status, 200);
    assert.equal((await send('PATCH', `/v1/chats/${encodeURIComponent(signal)}`, { messageExpirySeconds: 301 })).status, 422, 'only the listed timers');
    assert.equal((await send('PATCH', `/v1/chats/${encodeURIComponent(direct)}`, { messageExpirySeconds: 86400 })).status, 422, 'Beeper (Matrix) lists none here');
  });

  it('POST /v1/chats creates a group from contacts with a title (CreateChatOutput)', async () => {
    const contacts = ((await call('GET', '/v1/accounts/matrix/contacts/list?limit=10')).json as { items: { id: string; cannotMessage?: boolean }[] }).items.filter((c) => !c.cannotMessage);
    const res = await send('POST', '/v1/chats', { accountID: 'matrix', type: 'group', participantIDs: [contacts[0]!.id, contacts[1]!.id], title: 'Launch' });
    assert.equal(res.status, 200);
    conforms(ref('CreateChatOutput'), res.json, 'created');
    const created = res.json as { id: string; title: string; participants: { total: number; items: { id: string }[] } };
    assert.equal(created.title, 'Launch');
    assert.equal(created.participants.total, 3);
    assert.ok(created.participants.items.some((p) => p.id === contacts[1]!.id));
    assert.equal((await send('POST', '/v1/chats', { accountID: 'matrix', type: 'single', participantIDs: [contacts[0]!.id, contacts[1]!.id] })).status, 400);
  });
});
