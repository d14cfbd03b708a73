// OAuth answers and endpoints that are not what they should be are refused with a clear error.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BeeperApiError } from '../../../src/api/errors';
import * as oauth from '../../../src/connection/oauth';

describe('OAuth answers and endpoints', () => {
  const good = { authorization_endpoint: 'http://127.0.0.1:23373/oauth/authorize', token_endpoint: 'http://127.0.0.1:23373/oauth/token', registration_endpoint: 'http://127.0.0.1:23373/oauth/register' };
  it('keeps every endpoint on the base URL’s origin or this computer', () => {
    assert.deepEqual(oauth.checkEndpoints(good, 'http://127.0.0.1:23373'), good);
    assert.ok(oauth.checkEndpoints({ ...good, token_endpoint: 'https://beeper.example/oauth/token' }, 'https://beeper.example'));
    for (const bad of ['https://evil.example/token', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      assert.throws(() => oauth.checkEndpoints({ ...good, token_endpoint: bad }, 'https://beeper.example'), (e: unknown) => e instanceof BeeperApiError && e.kind === 'badResponse', bad);
    }
    assert.throws(() => oauth.checkEndpoints({ ...good, revocation_endpoint: 'https://evil.example/revoke' }, 'http://127.0.0.1:23373'));
  });
  it('opens only an http(s) authorization URL', () => {
    const pkce = oauth.createPkce();
    assert.match(oauth.authorizeUrl(good, 'c', 'http://127.0.0.1:1/callback', pkce, 's'), /^http:\/\/127\.0\.0\.1:23373\/oauth\/authorize\?/);
    assert.throws(() => oauth.authorizeUrl({ ...good, authorization_endpoint: 'javascript:alert(1)' }, 'c', 'r', pkce, 's'), BeeperApiError);
  });
  it('reads null, arrays and scalars as a typed error, not a TypeError', () => {
    for (const text of ['null', '[]', '42', '"token"', 'true', '{']) {
      assert.throws(() => oauth.readOAuthBody(200, text), (e: unknown) => e instanceof BeeperApiError && e.kind === 'badResponse', text);
    }
    assert.deepEqual(oauth.readOAuthBody(200, '{"client_id":"x"}'), { client_id: 'x' });
  });
  it('does not send a token for revocation outside its server', async () => {
    await assert.rejects(oauth.revokeToken({ revocation_endpoint: 'https://evil.example/revoke' }, 'secret', 'http://127.0.0.1:23373'), BeeperApiError);
  });
});
