// Bridges, their capabilities and login flows, and login sessions (the bridge documents).
import { HttpError, notFound, type Router } from '../http';
import * as login from '../login';
import type { SandboxState } from '../state';

export function bridgeRoutes(r: Router, s: SandboxState): void {
  r.add('GET', '/v1/bridges', () => ({ items: s.world.bridges.map((b) => s.bridgeJson(b.id)) }));
  r.add('GET', '/v1/bridges/{bridgeID}', (_ctx, [id]) => (s.bridgeById(id) ? s.bridgeJson(id) : notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`)));
  r.add('GET', '/v1/bridges/{bridgeID}/capabilities', (_ctx, [id]) => {
    const b = s.bridgeById(id) ?? notFound('BRIDGE_NOT_FOUND', `No bridge ${id}.`);
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
