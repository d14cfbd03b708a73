// OAuth 2.0 + PKCE pieces against the sandbox's authorization server (which verifies PKCE).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BeeperApiError } from '../../../src/api/errors';
import * as oauth from '../../../src/connection/oauth';
import { startSandbox, type Sandbox } from '../../sandbox/server';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

describe('oauth', () => {
  it('makes an S256 challenge from a high-entropy verifier', () => {
    const pkce = oauth.createPkce();
    assert.ok(pkce.verifier.length >= 43);
    assert.equal(pkce.challenge, createHash('sha256').update(pkce.verifier).digest('base64url'));
    assert.notEqual(oauth.createPkce().verifier, pkce.verifier);
  });

  it('completes the flow, and the server refuses a wrong verifier', async () => {
    const endpoints = await oauth.discoverEndpoints(sandbox.url, undefined);
    const run = async (tamper: boolean) => {
      const state = oauth.randomState();
      const receiver = await oauth.startLoopbackReceiver(state);
      const clientId = await oauth.registerClient(endpoints, receiver.redirectUri);
      const pkce = oauth.createPkce();
      // A forged redirect with another state is ignored; the real one is awaited.
      await fetch(`${receiver.redirectUri}?code=forged&state=not-ours`);
      await fetch(oauth.authorizeUrl(endpoints, clientId, receiver.redirectUri, pkce, state), { redirect: 'follow' });
      const code = await receiver.code;
      assert.notEqual(code, 'forged');
      return oauth.exchangeCode(endpoints, clientId, receiver.redirectUri, code, tamper ? { ...pkce, verifier: `${pkce.verifier}x` } : pkce);
    };
    const token = await run(false);
    assert.match(token.accessToken, /^oauth-/);
    assert.ok(token.expiresAt && token.expiresAt > Date.now());
    const ok = await fetch(`${sandbox.url}/v1/accounts`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    assert.equal(ok.status, 200);
    await assert.rejects(run(true), (e: unknown) => e instanceof BeeperApiError && /PKCE verification failed/.test(e.message));
    await oauth.revokeToken(endpoints, token.accessToken, sandbox.url);
    const revoked = await fetch(`${sandbox.url}/v1/accounts`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    assert.equal(revoked.status, 401);
  });

  it('the authorization server rejects a redirect URI that was not registered', async () => {
    const endpoints = await oauth.discoverEndpoints(sandbox.url, undefined);
    const receiver = await oauth.startLoopbackReceiver('s');
    const clientId = await oauth.registerClient(endpoints, receiver.redirectUri);
    const res = await fetch(oauth.authorizeUrl(endpoints, clientId, 'http://127.0.0.1:1/elsewhere', oauth.createPkce(), 's'), { redirect: 'manual' });
    assert.equal(res.status, 400);
    receiver.close();
  });
});
