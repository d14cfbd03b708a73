// Connecting: the welcome states, a pasted token, OAuth 2.0 with PKCE through the sandbox's
// authorize endpoint, and sign-out (which revokes an OAuth token). The environment token is
// set aside for these tests so that the stored token is what counts.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import { freePort } from '../host/codeServer';
import { activateExtension, children, resetSandbox, sandboxUrl } from './helpers';

suite('Connect and welcome states', () => {
  let api: BeeperExtensionApi;
  const envToken = process.env.BEEPER_ACCESS_TOKEN!;
  const envUrl = process.env.BEEPER_DESKTOP_BASE_URL!;

  suiteSetup(async () => {
    await resetSandbox();
    api = await activateExtension();
  });
  setup(async () => {
    delete process.env.BEEPER_ACCESS_TOKEN;
    await vscode.commands.executeCommand('beeper.signOut');
  });
  teardown(async () => {
    process.env.BEEPER_DESKTOP_BASE_URL = envUrl;
    await vscode.commands.executeCommand('beeper.signOut');
    process.env.BEEPER_ACCESS_TOKEN = envToken;
    api.tree.reset();
  });

  async function roots() {
    api.tree.reset();
    return children(api);
  }

  test('signed out: the tree is empty and the welcome view asks to connect', async () => {
    assert.deepStrictEqual(await roots(), []);
    assert.strictEqual(api.connection.state, 'signedOut');
  });

  test('Beeper Desktop not running: the welcome view says it is unreachable', async () => {
    process.env.BEEPER_ACCESS_TOKEN = envToken;
    process.env.BEEPER_DESKTOP_BASE_URL = `http://127.0.0.1:${await freePort()}`;
    assert.deepStrictEqual(await roots(), []);
    assert.strictEqual(api.connection.state, 'unreachable');
    process.env.BEEPER_DESKTOP_BASE_URL = envUrl;
    assert.ok((await roots()).length > 0, 'recovers when the server is back');
    assert.strictEqual(api.connection.state, 'connected');
  });

  test('a rejected token: the welcome view offers to reconnect', async () => {
    process.env.BEEPER_ACCESS_TOKEN = 'revoked-token';
    assert.deepStrictEqual(await roots(), []);
    assert.strictEqual(api.connection.state, 'unauthorized');
  });

  test('a pasted token is validated, stored, and shows the bridges', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('beeper.connect', { token: 'wrong-token' }), false, 'a wrong token is refused');
    assert.strictEqual(api.connection.token, undefined, 'nothing stored for a refused token');
    assert.strictEqual(await vscode.commands.executeCommand('beeper.connect', { token: envToken }), true);
    assert.strictEqual(api.connection.token, envToken);
    assert.ok((await roots()).length > 5);
    assert.strictEqual(api.connection.state, 'connected');
  });

  test('OAuth with PKCE: register, authorize, exchange; sign-out revokes the token', async () => {
    let authorizeUrl = '';
    const ok = await vscode.commands.executeCommand('beeper.connect', {
      method: 'oauth',
      // The sandbox approves at once and redirects to the extension's loopback listener.
      openExternal: async (url: string) => {
        authorizeUrl = url;
        const res = await fetch(url, { redirect: 'follow' });
        return res.ok;
      },
    });
    assert.strictEqual(ok, true);
    const u = new URL(authorizeUrl);
    assert.strictEqual(u.searchParams.get('code_challenge_method'), 'S256');
    assert.strictEqual(u.searchParams.get('scope'), 'read write');
    assert.match(u.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const token = api.connection.token;
    assert.ok(token && token !== envToken, 'an OAuth token is stored');
    assert.ok((await roots()).length > 5, 'the tree loads with the OAuth token');
    await vscode.commands.executeCommand('beeper.signOut');
    assert.strictEqual(api.connection.token, undefined);
    const after = await fetch(`${sandboxUrl()}/v1/accounts`, { headers: { authorization: `Bearer ${token}` } });
    assert.strictEqual(after.status, 401, 'the token was revoked on the server');
  });
});
