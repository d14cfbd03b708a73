// Live updates in the real extension host: the sandbox's /v1/ws drives the tree rows, the badge,
// open panels and notifications; a dropped socket recovers; a refused one falls back to polling;
// signing out leaves no socket open. Nothing here clicks Refresh.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { AccountNode, ChatNode, TreeNode } from '../../src/tree/nodes';
import { children, liveSuite, sandbox, waitFor } from './helpers';

const WHATSAPP_ACCOUNT = 'local-whatsapp_ba_sandbox1';

suite('Live updates', () => {
  let api: BeeperExtensionApi;
  const live = liveSuite();
  const rejections = live.rejections;
  const config = () => vscode.workspace.getConfiguration('beeper');

  suiteSetup(async () => {
    await live.start();
    api = live.api();
  });
  suiteTeardown(async () => {
    live.stop();
    await config().update('notifications', undefined, vscode.ConfigurationTarget.Global);
    await config().update('pollSeconds', undefined, vscode.ConfigurationTarget.Global);
    await sandbox('DELETE', '/_sandbox/faults');
  });

  async function account(): Promise<AccountNode> {
    for (const bridge of await children(api)) {
      for (const node of await children(api, bridge)) if (node.kind === 'account' && node.account.accountID === WHATSAPP_ACCOUNT) return node;
    }
    throw new Error('no WhatsApp account row');
  }
  const chatRows = async (node: TreeNode): Promise<ChatNode[]> => (await children(api, node)).filter((n): n is ChatNode => n.kind === 'chat');
  /** Waits for the tree to ask for a node's children again, as VS Code does on a refresh event. */
  function nextRefresh(node: TreeNode): Promise<void> {
    return new Promise((resolve) => {
      const sub = api.tree.onDidChangeTreeData((changed) => {
        if (changed === undefined || changed === node || (Array.isArray(changed) && changed.includes(node))) {
          sub.dispose();
          resolve();
        }
      });
    });
  }

  test('a new message moves its chat to the top with its unread count, and the badge follows', async () => {
    const acc = await account();
    await api.tree.unreadCount();
    const rows = await chatRows(acc);
    const target = rows.find((r) => !r.chat.isMuted && r !== rows[0])!;
    const badgeBefore = api.inboxView.badge?.value ?? 0;
    const unreadBefore = target.chat.unreadCount;
    let told = false;
    const sub = api.tree.onDidChangeTreeData((changed) => {
      if (changed === acc) told = true;
    });
    await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(target.chat.id)}/messages`, { text: 'Live ping' });
    await waitFor('the row to move to the top', async () => told && (await chatRows(acc))[0]?.chat.id === target.chat.id);
    sub.dispose();
    const after = await chatRows(acc);
    assert.match(String(api.tree.getTreeItem(after[0]!).description), new RegExp(`${unreadBefore + 1} unread`));
    await waitFor('the badge', () => (api.inboxView.badge?.value ?? 0) === badgeBefore + 1);
  });

  test('a chat deleted in Beeper disappears from the tree, and its open panel says so', async () => {
    const acc = await account();
    const rows = await chatRows(acc);
    const victim = rows[3]!;
    const opened = await api.chatPanels.open(victim.chat.id, victim.chat.title);
    const panel = api.testing.chatPage(opened.chatID)!;
    const refreshed = nextRefresh(acc);
    await sandbox('DELETE', `/_sandbox/chats/${encodeURIComponent(victim.chat.id)}`);
    await refreshed;
    assert.ok(!(await chatRows(acc)).some((r) => r.chat.id === victim.chat.id));
    await waitFor('the panel notice', () => panel.page.deleted);
    opened.panel.dispose();
  });

  test('an open panel redraws its state in place when its chat changes', async () => {
    const acc = await account();
    const target = (await chatRows(acc))[5]!;
    const opened = await api.chatPanels.open(target.chat.id, target.chat.title);
    const panel = api.testing.chatPage(opened.chatID)!;
    const html = panel.html;
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(target.chat.id)}`, { unreadCount: 42, isPinned: true });
    await waitFor('the update message', () => panel.page.state?.unread === '42' && panel.page.state.flags.includes('Pinned'));
    assert.strictEqual(panel.html, html, 'no HTML reset: the page is updated by message');
    opened.panel.dispose();
  });

  test('a dropped socket reconnects by itself and re-reads what is on screen', async () => {
    const acc = await account();
    const rows = await chatRows(acc);
    const old = rows[rows.length - 1]!;
    const resyncs = api.live.stats.resyncs;
    await sandbox('POST', '/_sandbox/ws/drop');
    // Changed while the socket is down, without an event: only the re-read can find it.
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(old.chat.id)}`, { silent: true, lastActivity: new Date().toISOString(), unreadCount: 9 });
    await waitFor('reconnected', () => api.live.stats.resyncs > resyncs && api.live.mode === 'live', 15_000);
    await waitFor('the changed chat on top', async () => (await chatRows(acc))[0]?.chat.id === old.chat.id);
  });

  test('when /v1/ws answers 404, what is on screen is polled instead', async () => {
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ path: '/v1/ws', status: 404 }] });
    await config().update('pollSeconds', 1, vscode.ConfigurationTarget.Global);
    await waitFor('polling', () => api.live.mode === 'polling', 10_000);
    assert.deepEqual(api.live.status(), { kind: 'polling', seconds: 1 });
    const acc = await account();
    const rows = await chatRows(acc);
    const old = rows[rows.length - 2]!;
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(old.chat.id)}`, { silent: true, lastActivity: new Date().toISOString() });
    // Polls wait for window focus: unfocused, a poll is put off and nothing is read.
    api.testing.setWindowFocused(false);
    const polls = api.live.stats.polls;
    await api.live.poll();
    assert.strictEqual(api.live.stats.polls, polls, 'no poll while the window is unfocused');
    assert.notStrictEqual((await chatRows(acc))[0]?.chat.id, old.chat.id);
    // Focus comes back: the put-off poll runs at once and finds the change.
    api.testing.setWindowFocused(true);
    api.live.onFocusChanged(true);
    await waitFor('a poll to find it', async () => (await chatRows(acc))[0]?.chat.id === old.chat.id, 10_000);
    assert.ok(api.live.stats.polls > polls);
    api.testing.setWindowFocused(undefined);
    await sandbox('DELETE', '/_sandbox/faults');
    await config().update('pollSeconds', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('live again', () => api.live.mode === 'live', 15_000);
  });

  test('notifications follow the setting, skip muted chats, and fold a burst per chat', async () => {
    const shown: string[] = [];
    api.testing.setNotificationUi(
      {
        show: (text) => {
          shown.push(text);
          return Promise.resolve(undefined);
        },
        ask: () => Promise.resolve(undefined),
      },
      1500,
    );
    try {
      const acc = await account();
      const rows = await chatRows(acc);
      const direct = rows.find((r) => r.chat.type === 'single' && !r.chat.isMuted)!;
      const group = rows.find((r) => r.chat.type === 'group' && !r.chat.isMuted)!;
      const muted = (await chatRows(acc)).find((r) => r.chat.isMuted) ?? rows[0]!;
      await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(muted.chat.id)}`, { isMuted: true });
      const say = (id: string, body: object) => sandbox('POST', `/_sandbox/chats/${encodeURIComponent(id)}/messages`, body);

      await say(direct.chat.id, { text: '<p>Lunch? [click](command:workbench.action.quit) $(zap)</p>', senderName: 'Ada [x](command:evil)' });
      await waitFor('a notification for a direct message', () => shown.length === 1);
      assert.doesNotMatch(shown[0]!, /\]\(command:/, 'no command link can form');
      assert.doesNotMatch(shown[0]!, /\$\(zap\)/, 'no codicon from the network');
      assert.match(shown[0]!, /Lunch\?/);

      await say(group.chat.id, { text: 'no mention here' });
      await say(muted.chat.id, { text: 'muted' });
      await say(group.chat.id, { text: 'hey you', mentions: ['@local-whatsapp_ba_sandbox1:local-whatsapp.localhost'] });
      await waitFor('the mention', () => shown.length === 2);
      assert.match(shown[1]!, /hey you/);

      // A burst in one chat: one now, the rest folded when the window ends.
      for (let i = 0; i < 4; i++) await say(direct.chat.id, { text: `burst ${i}`, senderName: 'Ada' });
      await waitFor('the folded notice', () => shown.some((s) => /4 new messages from/.test(s)), 5000);
      assert.strictEqual(shown.filter((s) => /burst/.test(s)).length, 0, 'the burst fell inside the open window');

      await config().update('notifications', 'off', vscode.ConfigurationTarget.Global);
      const count = shown.length;
      await say(direct.chat.id, { text: 'quiet' });
      await new Promise((r) => setTimeout(r, 600));
      assert.strictEqual(shown.length, count, 'off means off');
      await config().update('notifications', 'all', vscode.ConfigurationTarget.Global);
      await new Promise((r) => setTimeout(r, 1600));
      await say(group.chat.id, { text: 'everything' });
      await waitFor('all messages', () => shown.some((s) => /everything/.test(s)));
    } finally {
      api.testing.setNotificationUi(undefined);
      await config().update('notifications', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('signing out closes the socket: 0 connections on the server; no unhandled rejections', async () => {
    const token = process.env.BEEPER_ACCESS_TOKEN!;
    delete process.env.BEEPER_ACCESS_TOKEN;
    try {
      await vscode.commands.executeCommand('beeper.signOut');
      await waitFor('the socket to close', async () => (await sandbox<{ sockets: number }>('GET', '/_sandbox/state')).sockets === 0);
      assert.strictEqual(api.live.mode, 'off');
    } finally {
      process.env.BEEPER_ACCESS_TOKEN = token;
      api.tree.reset();
      await children(api);
    }
    await waitFor('live again after signing back in', () => api.live.mode === 'live', 15_000);
    assert.deepStrictEqual(rejections, []);
  });
});
