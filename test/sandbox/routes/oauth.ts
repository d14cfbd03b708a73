// OAuth 2.0 authorization code with PKCE (S256), as Beeper Desktop offers it.
import { createHash, randomBytes } from 'node:crypto';
import { formOf, HttpError, type Router } from '../http';
import type { SandboxState } from '../state';

export function oauthRoutes(r: Router, s: SandboxState, port: () => number): void {
  r.add('GET', '/.well-known/oauth-authorization-server', () => {
    const base = `http://127.0.0.1:${port()}`;
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
  r.add('POST', '/oauth/register', (ctx) => {
    const body = (ctx.body ?? {}) as { redirect_uris?: unknown; client_name?: unknown };
    const uris = Array.isArray(body.redirect_uris) ? body.redirect_uris.filter((u): u is string => typeof u === 'string') : [];
    if (!uris.length) throw new HttpError(400, 'invalid_redirect_uri', 'redirect_uris is required.');
    const clientId = `client_${randomBytes(8).toString('hex')}`;
    s.oauthClients.set(clientId, { redirectUris: uris, name: typeof body.client_name === 'string' ? body.client_name : 'client' });
    ctx.res.statusCode = 201;
    return { client_id: clientId, redirect_uris: uris, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] };
  });
  r.add('GET', '/oauth/authorize', (ctx) => {
    const q = ctx.url.searchParams;
    const client = s.oauthClients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client) throw new HttpError(400, 'invalid_client', 'Unknown client_id.');
    if (!client.redirectUris.includes(redirectUri)) throw new HttpError(400, 'invalid_redirect_uri', 'redirect_uri is not registered for this client.');
    if (q.get('response_type') !== 'code') throw new HttpError(400, 'unsupported_response_type', 'response_type must be code.');
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) throw new HttpError(400, 'invalid_request', 'PKCE with S256 is required.');
    // Beeper Desktop shows an approval prompt here; the sandbox approves at once.
    const code = randomBytes(16).toString('hex');
    s.oauthCodes.set(code, { clientId: q.get('client_id')!, redirectUri, challenge: q.get('code_challenge')!, scope: q.get('scope') ?? 'read', expires: Date.now() + 60_000 });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (q.get('state') !== null) target.searchParams.set('state', q.get('state')!);
    ctx.res.writeHead(302, { location: target.toString() });
    ctx.res.end();
    return undefined;
  });
  r.add('POST', '/oauth/token', (ctx) => {
    const form = formOf(ctx.body);
    const entry = s.oauthCodes.get(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code') throw new HttpError(400, 'unsupported_grant_type', 'grant_type must be authorization_code.');
    if (!entry || entry.expires < Date.now()) throw new HttpError(400, 'invalid_grant', 'The code is unknown or expired.');
    s.oauthCodes.delete(form.get('code')!);
    if (entry.clientId !== form.get('client_id') || entry.redirectUri !== form.get('redirect_uri')) throw new HttpError(400, 'invalid_grant', 'client_id or redirect_uri does not match.');
    const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
    if (challenge !== entry.challenge) throw new HttpError(400, 'invalid_grant', 'PKCE verification failed.');
    const accessToken = `oauth-${randomBytes(24).toString('base64url')}`;
    const expiresIn = 3600;
    s.issuedTokens.set(accessToken, { expires: Date.now() + expiresIn * 1000, scope: entry.scope });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: entry.scope };
  });
  r.add('POST', '/oauth/revoke', (ctx) => {
    s.issuedTokens.delete(formOf(ctx.body).get('token') ?? '');
    return {};
  });
}
