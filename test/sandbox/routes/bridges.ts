// Bridges, their capabilities and login flows, and login sessions (the bridge documents).
import { HttpError, notFound, type Router } from '../http';
import * as login from '../login';
import type { SandboxState } from '../state';

export function bridgeRoutes(r: Router, s: SandboxState): void {
  r.add('GET', '/v1/bridges', () => ({ items: s.world.bridges.map((b) => s.bridgeJson(b.id)) }));
  r.add('GET', '/v1/bridges/{bridgeID}', (_ctx, [id]) => (s.bridgeById(id) ? s.bridgeJson(id) : notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`)));
  r.add('GET', '/v1/bridges/{bridgeID}/capabilities', (_ctx, [id]) => {
    const b = s.bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    return capabilitiesOf(b.type);
  });
  r.add('GET', '/v1/bridges/{bridgeID}/login-flows', (_ctx, [id]) => {
    const b = s.bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    return { items: b.flows };
  });
  r.add('POST', '/v1/bridges/{bridgeID}/login-sessions', (ctx, [id]) => {
    const b = s.bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
    const body = (ctx.body ?? {}) as { flowID?: unknown; accountID?: unknown; loginID?: unknown };
    const flowID = typeof body.flowID === 'string' ? body.flowID : b.flows[0]!.id;
    if (!b.flows.some((f) => f.id === flowID)) throw new HttpError(400, 'LOGIN_FLOW_NOT_FOUND', `Bridge ${id} has no login flow ${flowID}.`);
    const accountID = typeof body.accountID === 'string' ? body.accountID : undefined;
    let loginID = typeof body.loginID === 'string' ? body.loginID : undefined;
    if (accountID) {
      const account = s.accountById(accountID);
      if (!account || account.bridge?.id !== id) throw new HttpError(404, 'ACCOUNT_NOT_FOUND', `Bridge ${id} has no account ${accountID}.`);
      loginID = loginID ?? account.loginID;
    } else if (b.status === 'limit_reached' || b.status === 'disabled' || b.status === 'temporarily_unavailable') {
      throw new HttpError(409, 'BRIDGE_UNAVAILABLE', b.statusText ?? `${b.displayName} cannot add accounts now (${b.status}).`);
    }
    const session: login.SessionRecord = {
      bridgeID: id,
      loginSessionID: s.newSessionID(),
      flowID,
      accountID,
      loginID,
      createdAt: Date.now(),
      phase: login.initialPhase(flowID, Date.now()),
      step: 1,
    };
    s.sessions.set(session.loginSessionID, session);
    ctx.res.statusCode = 201;
    return s.sessionJson(session);
  });
  const sessionOf = (bridgeID: string, sessionID: string) => {
    const session = s.sessions.get(sessionID);
    if (!session || session.bridgeID !== bridgeID) notFound('LOGIN_SESSION_NOT_FOUND', `No login session ${sessionID}.`);
    return session;
  };
  r.add('GET', '/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}', (_ctx, [b, id]) => {
    const session = sessionOf(b, id);
    s.refreshSession(session);
    return s.sessionJson(session);
  });
  r.add('DELETE', '/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}', (_ctx, [b, id]) => {
    login.cancel(sessionOf(b, id));
    return { bridgeID: b, loginSessionID: id, status: 'cancelled' };
  });
  r.add('POST', '/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}/steps/{stepID}', (ctx, [b, id, stepID]) => {
    const session = sessionOf(b, id);
    s.refreshSession(session);
    try {
      if (login.submit(session, stepID, ctx.body ?? {}, b)) s.completeSession(session);
    } catch (e) {
      if (e instanceof login.StepError) throw new HttpError(e.status, e.code, e.message);
      throw e;
    }
    return s.sessionJson(session);
  });
}

/** The seven booleans of ResolveIdentifierCapabilities, all required by the seed: false unless given. */
export const RESOLVE_KEYS = ['any_phone', 'contact_list', 'create_dm', 'lookup_email', 'lookup_phone', 'lookup_username', 'search'] as const;
function resolve(yes: Partial<Record<(typeof RESOLVE_KEYS)[number], boolean>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...Object.fromEntries(RESOLVE_KEYS.map((k) => [k, yes[k] ?? false])), ...extra };
}

/**
 * From nothing (Beeper/Matrix here) to rich (WhatsApp, with one key no client knows yet). Every
 * required field is present; what a client cannot know yet comes as extra keys, never as a gap.
 */
export function capabilitiesOf(type: string): Record<string, unknown> {
  const field = (extra: Record<string, unknown> = {}) => ({ allowed: true, ...extra });
  switch (type) {
    case 'matrix':
      return { group_creation: {}, resolve_identifier: resolve({}) };
    case 'whatsapp':
      return {
        group_creation: {
          group: {
            type_description: 'WhatsApp group',
            name: field({ required: true, max_length: 100 }),
            topic: field({ max_length: 512 }),
            avatar: field(),
            participants: field({ required: true, min_length: 1, max_length: 1023 }),
            disappear: field({ settings: { types: ['', 'after_send'], timers: [86400, 604800, 7776000] } }),
          },
          community: { type_description: 'Community', name: field({ required: true }), parent: field() },
        },
        resolve_identifier: resolve({ any_phone: true, contact_list: true, create_dm: true, lookup_phone: true }),
        image_pack_import: false,
        message_requests: { inbox: 'separate', expires_after_days: 30 },
      };
    case 'signal':
      return {
        group_creation: { group: { type_description: 'Signal group', name: field({ required: true, max_length: 32 }), avatar: field(), participants: field({ min_length: 1 }), disappear: field({ settings: { types: ['after_read'], timers: [30, 3600, 86400] } }) } },
        resolve_identifier: resolve({ any_phone: true, create_dm: true, lookup_phone: true, lookup_username: true, contact_list: true }),
      };
    case 'telegram':
      return {
        group_creation: { group: { type_description: 'Telegram group', name: field({ required: true, max_length: 128 }), participants: field() }, channel: { type_description: 'Channel', name: field({ required: true }), topic: field(), username: field({ min_length: 5 }) } },
        resolve_identifier: resolve({ lookup_phone: true, lookup_username: true, search: true, contact_list: true, create_dm: true }),
        image_pack_import: true,
      };
    case 'twitter':
      return { group_creation: {}, resolve_identifier: resolve({ lookup_username: true, search: true, create_dm: true }) };
    default:
      return {
        group_creation: { group: { type_description: 'Group chat', name: field({ required: false, max_length: 100 }), participants: field({ required: true, min_length: 1 }), avatar: field() } },
        resolve_identifier: resolve({ contact_list: true, create_dm: true, lookup_email: type === 'slackgo', lookup_username: true, search: true }),
      };
  }
}
