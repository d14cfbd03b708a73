// Adding and repairing accounts, and the status-bar health item, against the sandbox in a real
// extension host. The QR panel, the progress notification, the tree and the status bar are the
// real ones; only the blocking input boxes and the cookies modal answer from a script
// (LoginService.dialogs), because a test cannot type into them from inside the host. The
// browser end-to-end test types into the real ones.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { InputRequest, LoginDialogs, LoginResult } from '../../src/login/loginService';
import { decodeQrSvg } from '../support/qrDecode';
import { activateExtension, children, resetSandbox, sandbox, waitFor } from './helpers';

type State = { openLoginSessions: number; loginSessions: { loginSessionID: string; bridgeID: string; status: string; accountID?: string }[] };

function scripted(answers: (string | undefined)[], seen: InputRequest[] = [], confirmWith?: string): LoginDialogs {
  return {
    input: async (request) => {
      seen.push(request);
      assert.ok(answers.length > 0, `unexpected input box: ${request.prompt}`);
      return answers.shift();
    },
    confirm: async () => confirmWith,
  };
}

async function openSession(bridgeID: string): Promise<State['loginSessions'][number]> {
  return waitFor(`a login session on ${bridgeID}`, async () => {
    const state = await sandbox<State>('GET', '/_sandbox/state');
    return state.loginSessions.find((s) => s.bridgeID === bridgeID && s.status.startsWith('waiting'));
  });
}

async function accountIDsOf(api: BeeperExtensionApi, bridgeID: string): Promise<string[]> {
  api.tree.refresh();
  await children(api);
  return api.tree.bridgeGroups.find((g) => g.id === bridgeID)?.accounts.map((a) => a.accountID) ?? [];
}

suite('Accounts: add, reconnect, cancel', () => {
  let api: BeeperExtensionApi;
  let realDialogs: LoginDialogs;
  suiteSetup(async () => {
    api = await activateExtension();
    realDialogs = api.logins.dialogs;
  });
  setup(async () => {
    await resetSandbox();
    api.tree.reset();
    await children(api);
  });
  teardown(async () => {
    api.logins.dialogs = realDialogs;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.openLoginSessions, 0, 'no login session is left open');
  });

  test('QR flow: the panel shows an SVG QR code that decodes to the session data, a refreshed code replaces it, the scan adds the account and reveals it', async () => {
    const before = await accountIDsOf(api, 'local-whatsapp');
    const run = vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-whatsapp' });
    const session = await openSession('local-whatsapp');
    const panel = await waitFor('the QR panel', () => (api.logins.activePanel?.model?.kind === 'qr' ? api.logins.activePanel : undefined));
    const first = panel.model!.imageSrc!;
    assert.match(first, /^data:image\/svg\+xml;base64,/);
    // The shell carries no image bytes; the code comes as a message once the page is ready.
    assert.match(panel.html, /<img id="code" class="qr" hidden/);
    assert.doesNotMatch(panel.html, /data:image/);
    assert.match(panel.html, /Linked devices/, 'the step instructions are shown');
    assert.match(panel.html, /Content-Security-Policy" content="default-src &#39;none&#39;/);
    const data = decodeQrSvg(first);
    assert.strictEqual(data, `https://sandbox.beeper.invalid/login/${session.loginSessionID}/qr/0`);
    assert.strictEqual(panel.webviewPanel?.title, 'Add WhatsApp account');

    // The sandbox rotates the code every 3 s: the same panel shows the new one.
    const webview = panel.webviewPanel;
    await waitFor('the refreshed code', () => panel.model?.imageSrc !== first || undefined, 8_000);
    assert.strictEqual(panel.webviewPanel, webview, 'replaced in place, same panel');
    assert.strictEqual(decodeQrSvg(panel.model!.imageSrc!), `https://sandbox.beeper.invalid/login/${session.loginSessionID}/qr/1`);

    await sandbox('POST', `/_sandbox/login-sessions/${session.loginSessionID}/scan`);
    const result = await run;
    assert.strictEqual(result.outcome.status, 'complete');
    assert.ok(result.qrShownMs !== undefined && result.qrShownMs < 1000, `QR shown in ${result.qrShownMs} ms`);
    assert.ok(result.polls > 0);
    const after = await accountIDsOf(api, 'local-whatsapp');
    assert.strictEqual(after.length, before.length + 1);
    const added = after.find((id) => !before.includes(id))!;
    await waitFor('the new account selected in the tree', () => api.treeView.selection.some((n) => n.kind === 'account' && n.account.accountID === added) || undefined);
    assert.strictEqual(api.logins.activePanel, undefined, 'the panel closed');
  });

  test('multi-step input: phone, a wrong code shown and asked again, code, 2FA password (masked), then the account is added', async () => {
    const seen: InputRequest[] = [];
    api.logins.dialogs = scripted(['+1 555 010 0199', '99999', '12345', 'hunter2', ''], seen);
    const before = await accountIDsOf(api, 'local-telegram');
    const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-telegram', flowID: 'phone' });
    assert.strictEqual(result.outcome.status, 'complete');
    assert.match(seen[0]!.prompt, /Phone number — Enter the phone number/);
    assert.strictEqual(seen[0]!.placeholder, '+1 555 010 0100');
    assert.strictEqual(seen[1]!.error, undefined);
    assert.match(seen[2]!.error ?? '', /login code is not right/);
    assert.strictEqual(seen[3]!.password, true);
    assert.strictEqual(seen[4]!.optional, true);
    assert.match(seen[3]!.title, /Add Telegram account \(1\/2\)/);
    assert.strictEqual((await accountIDsOf(api, 'local-telegram')).length, before.length + 1);
  });

  test('cookies flow: instructions first, then each value (masked), and extractJS is never run', async () => {
    const seen: InputRequest[] = [];
    api.logins.dialogs = scripted(['xoxd-abc', '{"teams":{}}'], seen, 'Enter Values');
    const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'slackgo' });
    assert.strictEqual(result.outcome.status, 'complete');
    assert.match(seen[0]!.prompt, /cookie “d”/);
    assert.match(seen[1]!.prompt, /local-storage value “localConfig_v2”/);
    assert.ok(seen.every((s) => s.password));
    assert.strictEqual((globalThis as Record<string, unknown>).__beeperSandboxExtractJSRan, undefined);
  });

  test('a network that rejects the sign-in reports failed with its code; the tree is unchanged', async () => {
    api.logins.dialogs = scripted(['sam', 'secret']);
    const before = await accountIDsOf(api, 'local-twitter');
    const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-twitter' });
    assert.strictEqual(result.outcome.status, 'failed');
    assert.strictEqual(result.outcome.status === 'failed' && result.outcome.error.code, 'NETWORK_LOGIN_REJECTED');
    assert.deepStrictEqual(await accountIDsOf(api, 'local-twitter'), before);
  });

  test('reconnect: a session with the account IDs, the same QR runner, and the row turns connected', async () => {
    const run = vscode.commands.executeCommand<LoginResult>('beeper.reconnectAccount', 'discordgo');
    const session = await openSession('discordgo');
    assert.strictEqual(session.accountID, 'discordgo', 'the session repairs the existing account');
    await waitFor('the QR panel', () => api.logins.activePanel?.model?.kind === 'qr' || undefined);
    assert.match(api.logins.activePanel!.webviewPanel!.title, /^Reconnect /);
    await sandbox('POST', `/_sandbox/login-sessions/${session.loginSessionID}/scan`);
    const result = await run;
    assert.strictEqual(result.outcome.status, 'complete');
    const node = await waitFor('the refreshed account', async () => {
      await children(api);
      const n = api.tree.accountNode('discordgo');
      return n?.account.status === 'connected' ? n : undefined;
    });
    assert.strictEqual(api.tree.getTreeItem(node).contextValue, 'account.ok.connected');
    assert.deepStrictEqual(await accountIDsOf(api, 'discordgo'), ['discordgo'], 'repaired, not added');
  });

  test('closing the QR panel cancels: the session is deleted on the server and nothing is added', async () => {
    const before = await accountIDsOf(api, 'local-signal');
    const run = vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-signal' });
    await openSession('local-signal');
    const panel = await waitFor('the QR panel', () => api.logins.activePanel?.webviewPanel);
    panel.dispose();
    const result = await run;
    assert.strictEqual(result.outcome.status, 'cancelled');
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.openLoginSessions, 0);
    assert.ok(state.loginSessions.some((s) => s.bridgeID === 'local-signal' && s.status === 'cancelled'));
    assert.deepStrictEqual(await accountIDsOf(api, 'local-signal'), before);
  });

  test('Escape in an input box cancels, and the server session is gone', async () => {
    api.logins.dialogs = scripted(['+1 555 010 0199', undefined]);
    const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-telegram', flowID: 'phone' });
    assert.strictEqual(result.outcome.status, 'cancelled');
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.ok(state.loginSessions.some((s) => s.bridgeID === 'local-telegram' && s.status === 'cancelled'));
  });

  test('a bridge that cannot take an account is refused before any session starts', async () => {
    const result = await vscode.commands.executeCommand<LoginResult | undefined>('beeper.addAccount', { bridgeID: 'psdk-linkedin' });
    assert.strictEqual(result, undefined);
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.loginSessions.length, 0);
  });

  test('Beeper Desktop dropping connections mid-login: the step is recovered from the server, and a cancel still reaches it', async () => {
    const seen: string[] = [];
    api.logins.dialogs = {
      input: async (request) => {
        seen.push(request.prompt);
        if (seen.length === 1) {
          // While the user types, Beeper Desktop drops the next three connections (the submit and two polls).
          await sandbox('PUT', '/_sandbox/faults', { rules: [{ path: '/v1/bridges/local-telegram/login-sessions/', close: true, times: 3 }] });
          return '+1 555 010 0199';
        }
        return undefined;
      },
      confirm: async () => undefined,
    };
    const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-telegram', flowID: 'phone' });
    // The dropped submit never reached the server: after reconnecting, the phone step is asked again.
    assert.strictEqual(seen.length, 2);
    assert.match(seen[1]!, /Phone number/);
    assert.strictEqual(result.outcome.status, 'cancelled');
    await sandbox('DELETE', '/_sandbox/faults');
  });
});

suite('Status bar: account health', () => {
  let api: BeeperExtensionApi;
  const envToken = process.env.BEEPER_ACCESS_TOKEN!;
  const envUrl = process.env.BEEPER_DESKTOP_BASE_URL!;
  suiteSetup(async () => {
    api = await activateExtension();
    await resetSandbox();
  });
  teardown(async () => {
    process.env.BEEPER_ACCESS_TOKEN = envToken;
    process.env.BEEPER_DESKTOP_BASE_URL = envUrl;
    await resetSandbox();
    api.tree.reset();
    await children(api);
  });

  const text = () => api.health.item.text;
  const tooltip = () => {
    const t = api.health.item.tooltip;
    // appendText escapes spaces and punctuation for Markdown: read it back as text.
    return (typeof t === 'string' ? t : (t?.value ?? '')).replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
  };

  test('accounts needing action: a warning icon with how many, the warning background, and each account in the tooltip', async () => {
    await api.health.refreshNow();
    await waitFor('the health item', () => text() === '$(warning) 4' || undefined);
    assert.ok(api.health.item.backgroundColor instanceof vscode.ThemeColor);
    assert.strictEqual(api.health.item.name, 'Beeper Account Health');
    assert.strictEqual(api.health.item.command, 'beeper.showAccountHealth');
    assert.match(tooltip(), /4 accounts need you/);
    assert.match(tooltip(), /Discord signed you out/);
    assert.match(tooltip(), /Sam Sandbox \(Acme\) · Slack · Attention required/);
    // Those needing action come first.
    assert.ok(tooltip().indexOf('Discord') < tooltip().indexOf('Beeper · Connected'));
  });

  test('syncing: a spinning icon; all connected: a calm icon and the count; no warning colour', async () => {
    for (const id of ['discordgo', 'local-signal_ba_sandbox1', 'slackgo.T0SANDBOX-U0SAM', 'local-instagram_ba_sandbox1']) {
      await sandbox('PATCH', `/_sandbox/accounts/${encodeURIComponent(id)}`, { status: 'connected', statusText: 'Connected' });
    }
    await api.health.refreshNow();
    await waitFor('syncing', () => text() === '$(sync~spin) 6/8' || undefined);
    assert.strictEqual(api.health.item.backgroundColor, undefined);
    for (const id of ['local-whatsapp_ba_sandbox2', 'local-telegram_ba_sandbox1']) {
      await sandbox('PATCH', `/_sandbox/accounts/${encodeURIComponent(id)}`, { status: 'connected', statusText: 'Connected' });
    }
    await api.health.refreshNow();
    await waitFor('all connected', () => text() === '$(check) 8' || undefined);
    assert.match(tooltip(), /all 8 accounts connected/);
    assert.strictEqual(api.health.item.backgroundColor, undefined);
  });

  test('Beeper Desktop not reachable, then not signed in: a disconnected icon that says so', async () => {
    process.env.BEEPER_DESKTOP_BASE_URL = 'http://127.0.0.1:9';
    await api.health.refreshNow();
    await waitFor('unreachable', () => (text() === '$(debug-disconnect) Beeper' && /not reachable/.test(tooltip())) || undefined);
    assert.strictEqual(api.health.item.backgroundColor, undefined);
    process.env.BEEPER_DESKTOP_BASE_URL = envUrl;
    delete process.env.BEEPER_ACCESS_TOKEN;
    await vscode.commands.executeCommand('beeper.signOut');
    api.tree.reset();
    await children(api);
    await waitFor('signed out', () => (text() === '$(debug-disconnect) Beeper' && /not signed in/.test(tooltip())) || undefined);
  });
});
