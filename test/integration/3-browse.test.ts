// Browsing: the tree at each level (and its fallback on an older Beeper Desktop), paging, error
// rows, the unread badge, and chat details panels, against the sandbox in a real extension host.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { Chat } from '../../src/api/types';
import type { BeeperExtensionApi } from '../../src/extension';
import type { AccountNode, TreeNode } from '../../src/tree/nodes';
import { activateExtension, children, label, openChatPage, resetSandbox, sandbox, sandboxUrl, waitFor } from './helpers';
import { chatListKey } from '../../src/model/model';
import { startSandbox } from '../sandbox/server';

const escapeForHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type State = { requests: { total: number; byRoute: Record<string, number>; unreadSearches: number }; lastFocus?: { chatID?: string }; openLoginSessions: number };

const WHATSAPP_ACCOUNT = 'local-whatsapp_ba_sandbox1';

async function api(): Promise<BeeperExtensionApi> {
  return activateExtension();
}

async function findAccount(a: BeeperExtensionApi, accountID: string): Promise<AccountNode> {
  for (const bridge of await children(a)) {
    for (const node of await children(a, bridge)) if (node.kind === 'account' && node.account.accountID === accountID) return node;
  }
  throw new Error(`account ${accountID} not in the tree`);
}

function chatsOf(nodes: TreeNode[]): Chat[] {
  return nodes.flatMap((n) => (n.kind === 'chat' ? [n.chat] : []));
}

/** Every chat the sandbox has, read straight from its API (not through the extension). */
async function allChats(): Promise<Chat[]> {
  const out: Chat[] = [];
  let cursor = '';
  for (;;) {
    const res = await fetch(`${sandboxUrl()}/v1/chats/search?limit=200${cursor ? `&direction=before&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${process.env.BEEPER_ACCESS_TOKEN}` },
    });
    const page = (await res.json()) as { items: Chat[]; hasMore: boolean; oldestCursor: string | null };
    out.push(...page.items);
    if (!page.hasMore || !page.oldestCursor) return out;
    cursor = page.oldestCursor;
  }
}

suite('Browse: the tree', () => {
  setup(async () => {
    await resetSandbox();
    await vscode.workspace.getConfiguration('beeper').update('chatPageSize', undefined, vscode.ConfigurationTarget.Global);
    (await api()).tree.reset();
  });
  teardown(async () => {
    await sandbox('DELETE', '/_sandbox/faults');
  });

  test('bridges show provider, status and account count; accounts show status and a contextValue that offers Reconnect', async () => {
    const a = await api();
    const roots = await children(a);
    const items = new Map(roots.map((n) => [label(a, n), a.tree.getTreeItem(n)]));
    assert.strictEqual(items.get('WhatsApp')?.description, '2 accounts');
    assert.strictEqual(items.get('WhatsApp')?.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(String(items.get('LinkedIn')?.description), /turned off/);
    assert.match(String(items.get('LinkedIn')?.contextValue), /^bridge\.api\.disabled$/);
    const unused = roots.find((n) => n.kind === 'bridge' && n.group.accounts.length === 0);
    if (unused) assert.strictEqual(a.tree.getTreeItem(unused).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'bridges without accounts start collapsed');

    const discord = await findAccount(a, 'discordgo');
    const item = a.tree.getTreeItem(discord);
    assert.strictEqual(item.contextValue, 'account.reconnectable.reconnect_required');
    assert.match(String(item.description), /Discord signed you out/);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'warning');
    const tooltip = await a.tree.resolveTreeItem(item, discord);
    assert.match((tooltip.tooltip as vscode.MarkdownString).value, /Reconnect/);
    const ok = a.tree.getTreeItem(await findAccount(a, 'matrix'));
    assert.strictEqual(ok.contextValue, 'account.ok.connected');
  });

  test('bridges + accounts take one request, and each expanded account one more for its first chat page', async () => {
    const a = await api();
    await sandbox('POST', '/_sandbox/requests/reset');
    a.tree.reset();
    const account = await findAccount(a, WHATSAPP_ACCOUNT);
    const rows = await children(a, account);
    await a.tree.unreadCount();
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.requests.byRoute['GET /v1/bridges'], 1, JSON.stringify(state.requests.byRoute));
    assert.strictEqual(state.requests.byRoute['GET /v1/accounts'] ?? 0, 0, 'accounts come with the bridges');
    // One page for the expanded account, plus the all-accounts unread snapshot for the badge (read
    // once here; a live event left over from an earlier test may read it once more, apart).
    const searches = state.requests.byRoute['GET /v1/chats/search'] ?? 0;
    assert.strictEqual(searches - state.requests.unreadSearches, 1, `one chat page: ${JSON.stringify(state.requests)}`);
    assert.ok(state.requests.unreadSearches >= 1 && state.requests.unreadSearches <= 2, `the unread snapshot: ${JSON.stringify(state.requests)}`);
    assert.strictEqual(chatsOf(rows).length, 50);
  });

  test('chats come newest first, 50 a page, with "Load more…" until the end, and archived chats in their own folder', async () => {
    const a = await api();
    const account = await findAccount(a, WHATSAPP_ACCOUNT);
    let rows = await children(a, account);
    const first = chatsOf(rows);
    assert.strictEqual(first.length, 50);
    const times = first.map((c) => Date.parse(c.lastActivity!));
    assert.deepStrictEqual([...times].sort((x, y) => y - x), times, 'newest activity first');
    assert.ok(first.every((c) => !c.isArchived), 'archived chats are not mixed in by default');
    const chatItem = a.tree.getTreeItem(rows[0]!);
    assert.strictEqual(chatItem.command?.command, 'beeper.openChat');
    const resolved = await a.tree.resolveTreeItem(chatItem, rows[0]!);
    assert.ok((resolved.tooltip as vscode.MarkdownString).value.includes(first[0]!.title.split(' ')[0]!));

    const expected = (await allChats()).filter((c) => c.accountID === WHATSAPP_ACCOUNT);
    const primary = expected.filter((c) => !c.isArchived && !c.isLowPriority);
    for (let pages = 1; ; pages++) {
      const more = rows.find((n) => n.kind === 'loadMore');
      if (!more) break;
      assert.ok(pages < 10, 'paging ends');
      await vscode.commands.executeCommand('beeper.loadMore', more);
      rows = await children(a, account);
    }
    assert.strictEqual(chatsOf(rows).length, primary.length, 'every primary chat, once');
    assert.strictEqual(new Set(chatsOf(rows).map((c) => c.id)).size, primary.length);

    const archiveFolder = rows.find((n) => n.kind === 'folder' && n.list === 'archive')!;
    assert.strictEqual(label(a, archiveFolder), 'Archived');
    const archived = chatsOf(await children(a, archiveFolder));
    assert.deepStrictEqual(archived.map((c) => c.id).sort(), expected.filter((c) => c.isArchived).map((c) => c.id).sort());
    const lowPriority = rows.find((n) => n.kind === 'folder' && n.list === 'low-priority')!;
    assert.strictEqual(label(a, (await children(a, lowPriority))[0]!), 'No low-priority chats');
  });

  test('with "show archived chats" on, archived chats are listed in place', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('beeper').update('showArchivedChats', true, vscode.ConfigurationTarget.Global);
    try {
      const rows = await children(a, await findAccount(a, 'matrix'));
      assert.ok(chatsOf(rows).some((c) => c.isArchived));
      assert.ok(!rows.some((n) => n.kind === 'folder'));
    } finally {
      await vscode.workspace.getConfiguration('beeper').update('showArchivedChats', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('an older Beeper Desktop (404 on /v1/bridges) still shows every account, grouped by network', async () => {
    const a = await api();
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'GET', path: '/v1/bridges', status: 404 }] });
    a.tree.reset();
    const roots = await children(a);
    assert.strictEqual(a.tree.bridgeApiAvailable, false);
    const accounts = (await Promise.all(roots.map((r) => children(a, r)))).flat();
    assert.strictEqual(accounts.filter((n) => n.kind === 'account').length, 9, 'all 9 accounts');
    assert.ok(roots.every((r) => r.kind === 'bridge' && r.group.fallback));
    assert.ok(roots.some((r) => label(a, r) === 'WhatsApp'));
    assert.ok(chatsOf(await children(a, await findAccount(a, 'matrix'))).length > 0, 'chats still load');
  });

  test('a failing chat page becomes an error row with a retry, and retry recovers', async () => {
    const a = await api();
    const account = await findAccount(a, 'matrix');
    // Only this account's page fails: the badge's and the Inbox's reads of /v1/chats/search go on.
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'GET', path: '/v1/chats/search', query: { accountIDs: 'matrix' }, status: 500, times: 1 }] });
    const rows = await children(a, account);
    assert.strictEqual(rows.length, 1);
    const item = a.tree.getTreeItem(rows[0]!);
    assert.strictEqual(item.contextValue, 'error');
    assert.strictEqual(item.command?.command, 'beeper.retry');
    assert.match(typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), /Beeper Desktop/);
    await vscode.commands.executeCommand('beeper.retry', rows[0]);
    assert.ok(chatsOf(await children(a, account)).length > 0, 'chats after retry');
    assert.strictEqual(a.connection.state, 'connected');
  });

  test('connected with no accounts: the tree is empty so the welcome view offers "Add a Chat Account"', async () => {
    const a = await api();
    await sandbox('DELETE', '/_sandbox/accounts');
    a.tree.reset();
    assert.deepStrictEqual(await children(a), []);
    assert.strictEqual(a.connection.state, 'connected');
    const manifest = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!.packageJSON as { contributes: { viewsWelcome: { when: string; contents: string }[] } };
    const welcome = manifest.contributes.viewsWelcome.find((w) => w.when === 'beeper.state == connected && !beeper.hasAccounts');
    assert.ok(welcome, 'a welcome view for this state');
    assert.match(welcome.contents, /command:beeper\.addAccount/);
    assert.ok(a.tree.bridgeGroups.length > 0 && a.tree.bridgeGroups.every((g) => g.accounts.length === 0), 'bridges known, no accounts');
  });

  test('the badge shows unread messages over every chat of every account, muted chats left out, and follows changes', async () => {
    const a = await api();
    await children(a);
    const expected = (await allChats()).filter((c) => !c.isMuted).reduce((n, c) => n + c.unreadCount, 0);
    assert.ok(expected > 0);
    await waitFor('the badge', () => a.inboxView.badge?.value === expected || undefined);
    const quiet = (await allChats()).find((c) => c.unreadCount === 0 && !c.isMuted)!;
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(quiet.id)}`, { unreadCount: 7 });
    await vscode.commands.executeCommand('beeper.refresh');
    await children(a);
    await waitFor('the badge after refresh', () => a.inboxView.badge?.value === expected + 7 || undefined);
    assert.match(a.inboxView.badge!.tooltip, /unread/);
  });

  test('a long list shows at most 1,000 rows: "Load more…" moves them on to older chats, "Show newer chats…" back, with no request', async () => {
    const a = await api();
    // A Beeper Desktop with 1,500 chats in one account (and the Inbox across all).
    const big = await startSandbox({ bigAccountChats: 1500 });
    const goodUrl = process.env.BEEPER_DESKTOP_BASE_URL!;
    process.env.BEEPER_DESKTOP_BASE_URL = big.url;
    await vscode.workspace.getConfiguration('beeper').update('chatPageSize', 200, vscode.ConfigurationTarget.Global);
    try {
      a.tree.reset();
      const account = await findAccount(a, WHATSAPP_ACCOUNT);
      let rows = await children(a, account);
      const loaded = () => a.model.list(chatListKey(WHATSAPP_ACCOUNT, 'primary'))!.ids;
      const shown = () => chatsOf(rows).map((c) => c.id);
      // Six pages of 200: the newest 200 go behind "Show newer chats…".
      for (let page = 1; page < 6; page++) {
        await vscode.commands.executeCommand('beeper.loadMore', rows.find((n) => n.kind === 'loadMore'));
        rows = await children(a, account);
      }
      assert.strictEqual(loaded().length, 1200);
      assert.strictEqual(rows[0]!.kind, 'newer');
      assert.strictEqual(label(a, rows[0]!), 'Show newer chats…');
      assert.strictEqual(a.tree.getTreeItem(rows[0]!).command?.command, 'beeper.showNewer');
      assert.deepStrictEqual(shown(), loaded().slice(200, 1200), 'rows 201–1,200, in order');
      // On to the end of the list.
      for (let page = 0; rows.some((n) => n.kind === 'loadMore'); page++) {
        assert.ok(page < 10, 'paging ends');
        await vscode.commands.executeCommand('beeper.loadMore', rows.find((n) => n.kind === 'loadMore'));
        rows = await children(a, account);
      }
      const all = loaded();
      assert.ok(all.length > 1200 && all.length <= 1500, `${all.length} primary chats`);
      assert.deepStrictEqual(shown(), all.slice(-1000), 'the oldest 1,000');
      assert.ok(rows.some((n) => n.kind === 'folder'), 'the folders stay below');
      // Back up a page: the rows are loaded, so nothing is read.
      const requests = a.connection.requestCount;
      await vscode.commands.executeCommand('beeper.showNewer', rows[0]);
      rows = await children(a, account);
      assert.deepStrictEqual(shown(), all.slice(all.length - 1200, all.length - 200));
      assert.ok(rows.some((n) => n.kind === 'loadMore'), '"Load more…" comes back below');
      assert.strictEqual(a.connection.requestCount, requests, 'no request');

      // The Inbox keeps to the same window.
      await vscode.commands.executeCommand('beeper.inbox.clearFilter');
      let inboxRows = (await a.inbox.getChildren()) ?? [];
      while (!inboxRows.some((n) => n.kind === 'newer')) {
        assert.ok(inboxRows.some((n) => n.kind === 'loadMore'), 'the Inbox pages on');
        await vscode.commands.executeCommand('beeper.inbox.loadMore');
        inboxRows = (await a.inbox.getChildren()) ?? [];
      }
      assert.strictEqual(inboxRows.filter((n) => n.kind === 'chat').length, 1000);
      assert.strictEqual(a.inbox.chatIDs.length, 1000);
      await vscode.commands.executeCommand('beeper.inbox.showNewer');
      inboxRows = (await a.inbox.getChildren()) ?? [];
      assert.ok(!inboxRows.some((n) => n.kind === 'newer'), 'back at the newest');
      assert.strictEqual(inboxRows[0]!.kind, 'chat');
    } finally {
      process.env.BEEPER_DESKTOP_BASE_URL = goodUrl;
      await vscode.workspace.getConfiguration('beeper').update('chatPageSize', undefined, vscode.ConfigurationTarget.Global);
      a.tree.reset();
      await big.close();
    }
  });
});

suite('Browse: chat details panels', () => {
  suiteSetup(resetSandbox);
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sandbox('DELETE', '/_sandbox/faults');
  });

  async function firstChatNode(a: BeeperExtensionApi, accountID = WHATSAPP_ACCOUNT) {
    const rows = await children(a, await findAccount(a, accountID));
    return rows.filter((n): n is TreeNode & { kind: 'chat' } => n.kind === 'chat');
  }

  test('opening a chat from the tree shows its details; opening it again reveals the same panel', async () => {
    const a = await api();
    const [node] = await firstChatNode(a);
    const probe = await openChatPage(a, node);
    const state = probe.page.state!;
    assert.strictEqual(state.title, node!.chat.title);
    assert.strictEqual(probe.panel.title, node!.chat.title);
    assert.match(state.unread, /^\d+$/);
    assert.ok(state.ids.some((id) => id.value === node!.chat.id), 'the chat ID can be copied');
    await waitFor('the participants', () => probe.page.participants);
    assert.match(probe.page.participants!.count, /^\d+/);
    // The shell: the layout, the CSP with a nonce, and the one script; no chat data in the HTML.
    assert.match(probe.html, /Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-/);
    assert.ok(probe.html.includes('id="chat-title"') && !probe.html.includes(escapeForHtml(node!.chat.title)), 'the title comes by message');
    const root = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!.extensionUri.path;
    const roots = probe.panel.webview.options.localResourceRoots?.map((u) => u.path) ?? [];
    assert.deepStrictEqual(roots.slice(0, 2), [`${root}/media`, `${root}/dist/webview`], 'media/ and the page bundles');
    assert.strictEqual(roots.length, 3, 'and the attachment cache, nothing else');
    assert.match(roots[2]!, /\/assets$/);
    const again = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('beeper.openChat', { chatID: node!.chat.id });
    assert.strictEqual(again.panel, probe.panel);
    assert.deepStrictEqual(a.chatPanels.openChatIDs, [node!.chat.id]);
  });

  test('a title made of HTML and script is text on the page, and nothing but the nonced page script runs', async () => {
    const title = '<script>alert(1)</script><img src=x onerror=alert(2)> \u202eevil';
    const created = await sandbox<Chat>('POST', '/_sandbox/chats', { accountID: 'matrix', title, id: '!hostile:sandbox.localhost' });
    const probe = await openChatPage(await api(), created.id);
    const scripts = probe.html.match(/<script\b[^>]*>/g) ?? [];
    assert.strictEqual(scripts.length, 1);
    assert.match(scripts[0], /nonce="[A-Za-z0-9]+" src="[^"]+\/dist\/webview\/chat\.js"/);
    // The page sets it as textContent: markup stays text; the bidi override is gone.
    assert.strictEqual(probe.page.state!.title, '<script>alert(1)</script><img src=x onerror=alert(2)> evil');
    assert.ok(!probe.html.includes('<img src=x'));
    assert.ok(!JSON.stringify(probe.posted).includes('\u202e'));
  });

  test('a big group pages its participants: 100 first, then 200 more per "Show more"; IDs copy; "Open in Beeper" focuses the chat', async () => {
    const a = await api();
    const big = (await firstChatNode(a)).find((n) => n.chat.participants.total >= 1000) ?? (await firstChatNode(a))[1]!;
    const probe = await openChatPage(a, big);
    await waitFor('the participants', () => probe.page.participants);
    const html = probe.html;
    assert.strictEqual(probe.page.participants!.items.length, 100);
    assert.strictEqual(probe.page.participants!.more, 'Show 200 more');
    // "Show more" updates the list by message; the page is not drawn again.
    for (const expected of [300, 500, 700, 900, 1000]) {
      await probe.receive({ type: 'showMoreParticipants' });
      assert.strictEqual(probe.page.participants!.items.length, expected);
    }
    assert.strictEqual(probe.page.participants!.more, undefined, 'no more to show');
    assert.ok(probe.page.participants!.items.some((p) => p.self));
    assert.strictEqual(probe.html, html, 'the HTML was not reset');

    await probe.receive({ type: 'copy', value: big.chat.id });
    assert.strictEqual(await vscode.env.clipboard.readText(), big.chat.id);
    await probe.receive({ type: 'copy', value: 'not-an-id-of-this-chat' });
    assert.strictEqual(await vscode.env.clipboard.readText(), big.chat.id, 'the page cannot put arbitrary text on the clipboard');

    await probe.receive({ type: 'openInBeeper' });
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.lastFocus?.chatID, big.chat.id);
  });

  test('a chat that fails to load shows what happened and recovers with "Try again"', async () => {
    const a = await api();
    const [node] = await firstChatNode(a, 'matrix');
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'GET', path: '/v1/chats/!', status: 503 }] });
    const probe = await openChatPage(a, node);
    assert.ok(probe.html.includes('role="alert"'), 'an error page');
    assert.match(probe.html, /Could not load this chat/);
    await sandbox('DELETE', '/_sandbox/faults');
    await probe.receive({ type: 'refresh' });
    assert.ok(!probe.html.includes('role="alert"'), 'the shell again');
    await waitFor('the chat after "Try again"', () => probe.page.state?.ids.some((id) => id.value === node!.chat.id) || undefined);
    const missing = await openChatPage(a, '!nope:sandbox.localhost');
    assert.match(missing.html, /Chat not found/);
  });
});
