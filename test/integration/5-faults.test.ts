// Faults and hostile input, through the sandbox's fault switches, in the real host. For each:
// no unhandled rejection, a clear message or error row, recovery once the fault clears, and
// nothing lost (open panels, the stored token). Then the security checks: the token appears in no
// log, error, webview HTML or tooltip; every webview has a strict CSP; nothing remote loads.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Chat } from '../../src/api/types';
import type { BeeperExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';
import { activateExtension, children, label, openChatPage, resetSandbox, sandbox, waitFor } from './helpers';

const TOKEN = process.env.BEEPER_ACCESS_TOKEN!;
const MATRIX = 'matrix';

type Rule = { method?: string; path: string; status?: number; retryAfter?: number; body?: string; close?: boolean; stallMs?: number; times?: number };

async function faults(...rules: Rule[]): Promise<void> {
  await sandbox('PUT', '/_sandbox/faults', { rules });
}

async function chatRows(api: BeeperExtensionApi, accountID = MATRIX): Promise<TreeNode[]> {
  await children(api);
  const node = api.tree.accountNode(accountID);
  assert.ok(node, `account ${accountID} in the tree`);
  return children(api, node);
}

function labelText(label: string | vscode.TreeItemLabel | undefined): string {
  return typeof label === 'string' ? label : (label?.label ?? '');
}

function errorRow(api: BeeperExtensionApi, rows: TreeNode[]): { text: string; hint: string } {
  assert.strictEqual(rows.length, 1, `one row, got ${rows.map((r) => r.kind).join(',')}`);
  const item = api.tree.getTreeItem(rows[0]!);
  assert.strictEqual(item.contextValue, 'error');
  return { text: labelText(item.label), hint: typeof item.description === 'string' ? item.description : '' };
}

/** Everything a user could see, as text: tree rows and tooltips, panels' HTML, the status bar. */
async function everythingShown(api: BeeperExtensionApi): Promise<string> {
  const parts: string[] = [];
  const walk = async (node?: TreeNode, depth = 0) => {
    for (const child of await children(api, node)) {
      const item = api.tree.getTreeItem(child);
      const resolved = await api.tree.resolveTreeItem(item, child);
      parts.push(labelText(item.label), typeof item.description === 'string' ? item.description : '', typeof resolved.tooltip === 'string' ? resolved.tooltip : (resolved.tooltip?.value ?? ''));
      if (depth < 1 || (child.kind === 'account' && child.account.accountID === MATRIX)) await walk(child, depth + 1);
    }
  };
  await walk();
  for (const id of api.chatPanels.openChatIDs) parts.push(api.testing.chatPage(id)!.html, JSON.stringify(api.testing.chatPage(id)!.posted));
  const tooltip = api.health.item.tooltip;
  parts.push(api.health.item.text, typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''));
  return parts.join('\n');
}

suite('Faults and hostile input', () => {
  let api: BeeperExtensionApi;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  suiteSetup(async () => {
    api = await activateExtension();
    process.on('unhandledRejection', onUnhandled);
  });
  suiteTeardown(async () => {
    process.off('unhandledRejection', onUnhandled);
    await vscode.workspace.getConfiguration('beeper').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('beeper').update('localMediaRoots', undefined, vscode.ConfigurationTarget.Global);
  });
  setup(async () => {
    await resetSandbox();
    api.tree.reset();
  });
  teardown(async () => {
    await sandbox('DELETE', '/_sandbox/faults');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepStrictEqual(unhandled.map(String), [], 'no unhandled rejection in the extension host');
    assert.strictEqual(api.connection.token, TOKEN, 'the token is kept');
  });

  test('Beeper Desktop going away and coming back: the view says so, then recovers; an open panel survives', async () => {
    const [first] = (await chatRows(api)).filter((r) => r.kind === 'chat');
    const panel = await openChatPage(api, first);
    const goodUrl = process.env.BEEPER_DESKTOP_BASE_URL!;
    process.env.BEEPER_DESKTOP_BASE_URL = 'http://127.0.0.1:9';
    try {
      api.tree.refresh();
      assert.deepStrictEqual(await children(api), [], 'the welcome view takes over');
      assert.strictEqual(api.connection.state, 'unreachable');
      await panel.receive({ type: 'refresh' });
      assert.match(panel.html, /not answering/);
    } finally {
      process.env.BEEPER_DESKTOP_BASE_URL = goodUrl;
    }
    await vscode.commands.executeCommand('beeper.refresh');
    assert.ok((await children(api)).length > 0);
    assert.strictEqual(api.connection.state, 'connected');
    await panel.receive({ type: 'refresh' });
    assert.ok(panel.html.includes('id="chat-title"'), 'the panel shows its chat again');
    await waitFor('the chat on the page again', () => panel.page.state?.title || undefined);
  });

  test('a dropped connection, 403, 500, truncated, HTML and wrong-shape bodies: each an error row that says what happened, and retry recovers', async () => {
    const cases: [Rule, RegExp][] = [
      [{ path: '/v1/chats/search', close: true }, /closed the connection/],
      [{ path: '/v1/chats/search', status: 403 }, /not allowed/],
      [{ path: '/v1/chats/search', status: 500 }, /internal error \(HTTP 500\)/],
      [{ path: '/v1/chats/search', body: 'truncated' }, /body that is not JSON/],
      [{ path: '/v1/chats/search', body: 'html' }, /not JSON|not the Beeper Desktop API/],
      [{ path: '/v1/chats/search', body: 'wrongShape' }, /items|unexpected|could not be read/i],
    ];
    for (const [rule, expected] of cases) {
      api.tree.reset();
      await faults(rule);
      const row = errorRow(api, await chatRows(api));
      assert.match(`${row.text} ${row.hint}`, expected, `${JSON.stringify(rule)}: ${row.text} ${row.hint}`);
      await sandbox('DELETE', '/_sandbox/faults');
      await vscode.commands.executeCommand('beeper.retry', (await chatRows(api))[0]);
      assert.ok((await chatRows(api)).some((r) => r.kind === 'chat'), `recovers after ${JSON.stringify(rule)}`);
    }
  });

  test('429 with a short Retry-After is waited out; a long one becomes an error row with the wait', async () => {
    await faults({ path: '/v1/chats/search', status: 429, retryAfter: 1, times: 1 });
    assert.ok((await chatRows(api)).some((r) => r.kind === 'chat'), 'one short wait, then the page');
    api.tree.reset();
    await faults({ path: '/v1/chats/search', status: 429, retryAfter: 120 });
    const row = errorRow(api, await chatRows(api));
    assert.match(`${row.text} ${row.hint}`, /slow down/);
  });

  test('a stalled request times out and the row says so', async () => {
    await vscode.workspace.getConfiguration('beeper').update('requestTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    // The client is rebuilt for the new timeout when the address changes; force it.
    api.tree.reset();
    await faults({ path: '/v1/chats/search', stallMs: 30_000 });
    const started = Date.now();
    const row = errorRow(api, await chatRows(api));
    assert.match(row.text, /did not answer within \d+ s/);
    assert.ok(Date.now() - started < 20_000, 'gave up well before the 30-second stall ended');
  });

  test('401 after connecting (token revoked): the view asks to reconnect; the stored token is not thrown away', async () => {
    await children(api);
    await faults({ path: '/v1/', status: 401 });
    api.tree.refresh();
    assert.deepStrictEqual(await children(api), []);
    assert.strictEqual(api.connection.state, 'unauthorized');
    await sandbox('DELETE', '/_sandbox/faults');
    await vscode.commands.executeCommand('beeper.refresh');
    assert.ok((await children(api)).length > 0);
    assert.strictEqual(api.connection.state, 'connected');
  });

  test('unknown enum values and missing optional fields are shown as they are, not guessed at', async () => {
    await sandbox('PATCH', `/_sandbox/accounts/${MATRIX}`, { status: 'quantum_entangled', statusText: null });
    const chat = await sandbox<Chat>('POST', '/_sandbox/chats', { accountID: MATRIX, id: '!bare:sandbox.localhost', type: 'channel', lastActivity: undefined, network: undefined });
    api.tree.reset();
    await children(api);
    const node = api.tree.accountNode(MATRIX)!;
    const item = api.tree.getTreeItem(node);
    assert.match(String(item.description), /Quantum entangled/);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'question');
    assert.strictEqual(item.contextValue, 'account.ok.quantum_entangled');
    const panel = await openChatPage(api, chat.id);
    assert.ok(panel.html.includes('id="chat-title"'));
    assert.ok(panel.page.state!.subtitle.includes('channel'), 'the unknown chat type is shown as it is');
  });

  test('10,000-character titles, HTML, script, javascript: URLs and bidi controls in names stay inert text', async () => {
    const long = 'L'.repeat(10_000);
    const nasty = '<img src=x onerror=alert(1)>javascript:alert(2)\u202e\u2066evil';
    await sandbox('POST', '/_sandbox/chats', { accountID: MATRIX, id: '!long:sandbox.localhost', title: long, lastActivity: new Date().toISOString() });
    await sandbox('POST', '/_sandbox/chats', { accountID: MATRIX, id: '!nasty:sandbox.localhost', title: nasty, imgURL: 'javascript:alert(3)', lastActivity: new Date().toISOString() });
    await sandbox('PATCH', `/_sandbox/accounts/${MATRIX}`, { user: { id: '@sam:beeper.com', fullName: nasty } });
    api.tree.reset();
    const rows = await chatRows(api);
    const labels = rows.map((r) => label(api, r));
    const longLabel = labels.find((l) => l.startsWith('LLL'))!;
    assert.ok(longLabel.length <= 200, `tree label cut to ${longLabel.length}`);
    const nastyLabel = labels.find((l) => l.includes('onerror'))!;
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(nastyLabel), 'bidi controls removed from the tree');
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(label(api, api.tree.accountNode(MATRIX)!)));

    const longPanel = await openChatPage(api, '!long:sandbox.localhost');
    assert.ok(longPanel.page.state!.title.length <= 500, 'the panel cuts very long text');
    assert.ok(!JSON.stringify(longPanel.posted).includes('L'.repeat(600)));
    const panel = await openChatPage(api, '!nasty:sandbox.localhost');
    const posted = JSON.stringify(panel.posted);
    assert.ok(!panel.html.includes('<img src=x'), 'nothing of the chat is in the HTML');
    assert.ok(panel.page.state!.title.startsWith('<img src=x onerror=alert(1)>'), 'the title is text (the page sets textContent)');
    assert.ok(!posted.includes('javascript:alert(3)'), 'the javascript: avatar never reaches the page');
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(posted + panel.html));
    assert.strictEqual(panel.page.state!.avatar, undefined, 'the javascript: avatar became initials');
  });

  test('file: avatars show only from allowed folders; anything else becomes initials', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-allowed-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-outside-'));
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    fs.writeFileSync(path.join(root, 'a.png'), png);
    fs.writeFileSync(path.join(outside, 'b.png'), png);
    await vscode.workspace.getConfiguration('beeper').update('localMediaRoots', [root], vscode.ConfigurationTarget.Global);
    await sandbox('POST', '/_sandbox/chats', { accountID: MATRIX, id: '!inside:sandbox.localhost', imgURL: vscode.Uri.file(path.join(root, 'a.png')).toString() });
    await sandbox('POST', '/_sandbox/chats', { accountID: MATRIX, id: '!outside:sandbox.localhost', imgURL: vscode.Uri.file(path.join(outside, 'b.png')).toString() });
    await sandbox('POST', '/_sandbox/chats', { accountID: MATRIX, id: '!sneaky:sandbox.localhost', imgURL: vscode.Uri.file(path.join(root, '..', path.basename(outside), 'b.png')).toString() });
    const inside = await openChatPage(api, '!inside:sandbox.localhost');
    const src = inside.page.image(inside.page.state!.avatar);
    assert.ok(src, 'the allowed avatar is shown');
    // A copy in the extension's storage, shown as a webview resource: no bytes in a message, no original path.
    assert.ok(!src.startsWith('data:') && !src.includes(root.replace(/\\/g, '/')), src);
    assert.match(src, /vscode-resource|vscode-cdn|\/images\/avatars\//);
    for (const id of ['!outside:sandbox.localhost', '!sneaky:sandbox.localhost']) {
      const p = await openChatPage(api, id);
      assert.strictEqual(p.page.state!.avatar, undefined, `${id}: initials`);
      assert.ok(!JSON.stringify(p.posted).includes('file:'), 'no file: URL reaches the webview');
    }
  });

  test('security: the token is in no log, error, tree tooltip, webview HTML or status bar text', async () => {
    // Produce errors, panels and logs first.
    await faults({ path: '/v1/chats/search', status: 500, times: 1 });
    await chatRows(api);
    await sandbox('DELETE', '/_sandbox/faults');
    api.tree.reset();
    const [first] = (await chatRows(api)).filter((r) => r.kind === 'chat');
    await vscode.commands.executeCommand('beeper.openChat', first);
    const shown = await everythingShown(api);
    assert.ok(shown.length > 1000);
    assert.ok(!shown.includes(TOKEN), 'the token is not shown anywhere');
    // Every log file of this window (the extension's output channel included).
    const logsRoot = path.resolve(api.logUri.fsPath, '..', '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(logsRoot);
    assert.ok(files.length > 0, `log files under ${logsRoot}`);
    for (const f of files) assert.ok(!fs.readFileSync(f, 'utf8').includes(TOKEN), `the token is in ${f}`);
  });

  test('security: every webview has a default-src none CSP, nonced scripts only, and loads nothing remote', async () => {
    const [first] = (await chatRows(api)).filter((r) => r.kind === 'chat');
    const chat = await openChatPage(api, first);
    const run = vscode.commands.executeCommand('beeper.addAccount', { bridgeID: 'local-whatsapp' });
    const login = await waitFor('the QR panel', () => (api.logins.activePanel?.model?.kind === 'qr' ? api.logins.activePanel : undefined));
    for (const [name, html, webview] of [
      ['chat', chat.html, chat.panel.webview],
      ['login', login.html, login.webviewPanel!.webview],
    ] as const) {
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
      assert.ok(csp, `${name} has a CSP`);
      assert.match(csp, /^default-src 'none';/);
      const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)?.[1];
      assert.ok(nonce, `${name} scripts need a nonce`);
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      assert.ok(scripts.length > 0 && scripts.every((attrs) => attrs.includes(`nonce="${nonce}"`) && /src="[^"]+\/dist\/webview\/\w+\.js"/.test(attrs)), `${name} scripts`);
      assert.doesNotMatch(html, /\son\w+=/i, `${name} has no inline handlers`);
      assert.match(csp, /img-src [^;]* https: data:/, 'remote images on by default (beeper.loadRemoteImages)');
      // Every resource is the extension's own (the webview resource origin) or inline data.
      for (const [, url] of html.matchAll(/\s(?:src|href)="([^"]+)"/g)) {
        assert.ok(url!.startsWith('data:') || url!.startsWith(webview.cspSource.split(' ')[0]!.replace(/\*\./, '')) || url!.includes('vscode-resource') || url!.includes('vscode-cdn'), `${name} loads ${url!.slice(0, 80)}`);
      }
    }
    login.webviewPanel!.dispose();
    await run;
    const state = await sandbox<{ openLoginSessions: number }>('GET', '/_sandbox/state');
    assert.strictEqual(state.openLoginSessions, 0);
  });
});
