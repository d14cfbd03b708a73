// Message search in the real extension host, against the sandbox: query words (from:, in:, a
// word) find exactly the sandbox's matches, Enter on a match 9,000 messages back opens the chat
// there with few reads and scrolling both ways, the results view keeps them, and a hostile
// snippet stays inert in the pick and the view.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { Chat, Message } from '../../src/api/types';
import type { BeeperExtensionApi } from '../../src/extension';
import { beeperGet, liveSuite, sandbox, waitFor } from './helpers';

const HISTORY = '!chat4_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';

suite('Message search', () => {
  let api: BeeperExtensionApi;
  const live = liveSuite();

  suiteSetup(async () => {
    await live.start();
    api = live.api();
    api.testing.setWindowFocused(false);
  });
  suiteTeardown(async () => {
    api.testing.setWindowFocused(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    live.stop();
  });

  /** Opens the pick with a query typed, waits for its answer, and returns the handle. */
  async function searchFor(query: string) {
    void vscode.commands.executeCommand('beeper.searchMessages');
    const handle = await waitFor('the search pick', () => api.searchPick());
    handle.type(query);
    await handle.idle();
    return handle;
  }
  const matchesOf = (items: readonly vscode.QuickPickItem[]) => items.filter((i): i is vscode.QuickPickItem & { message: Message } => !!(i as { message?: Message }).message);

  test('from: and in: plus a word find exactly the sandbox’s matches, grouped by chat, paged', async () => {
    const chat = await beeperGet<Chat>(`/v1/chats/${encodeURIComponent(HISTORY)}?maxParticipantCount=10`);
    const person = chat.participants.items.find((p) => !p.isSelf && p.fullName)!;
    const history = (await sandbox<{ items: Message[] }>('GET', `/_sandbox/chats/${encodeURIComponent(HISTORY)}/history?count=20000`)).items;
    const expected = history.filter((m) => !m.isHidden && !m.isDeleted && m.senderID === person.id && (m.text ?? '').toLowerCase().includes('late')).map((m) => m.id);
    assert.ok(expected.length > 20, `enough matches to page (${expected.length})`);

    const handle = await searchFor(`late from:"${person.fullName}" in:"Long History"`);
    assert.match(handle.pick.title ?? '', /in: 1 chat/);
    assert.ok((handle.pick.title ?? '').includes(person.fullName!), 'the pick says whom from: means');
    const separators = handle.pick.items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator);
    assert.strictEqual(separators.length, 1, 'one chat, one group');
    assert.match(separators[0]!.label, /Long History/);
    for (let pages = 0; ; pages++) {
      const more = handle.pick.items.find((i) => i.label.includes('Load more'));
      if (!more) break;
      assert.ok(pages < 60, 'paging ends');
      await handle.accept(more);
    }
    const found = matchesOf(handle.pick.items).map((i) => i.message.id);
    assert.deepStrictEqual([...found].sort(), [...expected].sort(), 'exactly the sandbox’s matches');
    assert.ok(matchesOf(handle.pick.items).every((i) => i.label === person.fullName && /late/i.test(i.detail ?? '')), 'sender and snippet on each row');
    handle.pick.hide();
  });

  test('Enter on a match 9,000 messages back opens the chat there (≤ 3 reads), highlighted, and scrolls both ways', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const tail = (await sandbox<{ items: Message[] }>('GET', `/_sandbox/chats/${encodeURIComponent(HISTORY)}/history?count=9001`)).items;
    const target = tail.find((m) => !m.isHidden && !m.isDeleted)!;
    // The minute after it, as a user would type it: the newest match before that is the target.
    const after = new Date(Date.parse(target.timestamp) + 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${after.getFullYear()}-${pad(after.getMonth() + 1)}-${pad(after.getDate())}T${pad(after.getHours())}:${pad(after.getMinutes())}`;
    const handle = await searchFor(`in:"Long History" before:${local}`);
    const row = matchesOf(handle.pick.items).find((i) => i.message.id === target.id) ?? matchesOf(handle.pick.items)[0]!;
    const wanted = row.message.id;
    await handle.accept(row);
    const probe = await waitFor('the panel', () => api.testing.chatPage(HISTORY));
    await waitFor('the message revealed', () => probe.posted.some((u) => u.type === 'reveal' && u.id === wanted && !u.notFound) || undefined, 15_000);
    assert.ok(probe.stats.pageRequests <= 3, `at most 3 reads of the chat's messages (${probe.stats.pageRequests})`);
    assert.ok(probe.conversation.get(wanted), 'the message is in the window, with the messages around it');
    assert.ok(!probe.conversation.atEnd, 'the 9,000 newer messages were not loaded first');
    const size = probe.conversation.size;
    await probe.receive({ type: 'loadOlder' });
    await probe.receive({ type: 'loadNewer' });
    assert.ok(probe.conversation.size > size, 'older and newer pages load as the user scrolls');
    await probe.receive({ type: 'jumpToNewest' });
    await waitFor('Jump to newest', () => probe.conversation.atEnd || undefined);
  });

  test('the results view keeps a search grouped by chat, with the query as its description', async () => {
    await api.searchResults.show('coffee');
    assert.strictEqual(api.searchView.description, 'coffee');
    const groups = api.searchResults.getChildren();
    assert.ok(groups.length >= 2 && groups.every((g) => g.kind === 'chat' || g.kind === 'more'), 'grouped by chat');
    const first = api.searchResults.getChildren(groups[0]);
    const item = api.searchResults.getTreeItem(first[0]!);
    assert.strictEqual(item.command?.command, 'beeper.searchResults.open');
    assert.match(typeof item.label === 'string' ? item.label : '', /coffee/i);
    const before = api.searchResults.shown.length;
    if (groups.some((g) => g.kind === 'more')) {
      await vscode.commands.executeCommand('beeper.searchResults.loadMore');
      assert.ok(api.searchResults.shown.length > before, 'Load more pages on');
    }
  });

  test('Open Chat… finds people too: typing a participant’s name lists the group they are in', async () => {
    const group = await beeperGet<Chat>(`/v1/chats/${encodeURIComponent('!chat1_matrix:matrix.localhost')}?maxParticipantCount=5`);
    const name = group.participants.items.find((p) => !p.isSelf && p.fullName)!.fullName!;
    const realCreate = vscode.window.createQuickPick;
    let pick: vscode.QuickPick<vscode.QuickPickItem & { chat?: Chat }> | undefined;
    vscode.window.createQuickPick = (() => (pick = realCreate())) as typeof vscode.window.createQuickPick;
    try {
      const run = vscode.commands.executeCommand('beeper.openChat');
      await waitFor('the Open Chat pick', () => pick && pick.items.length > 0);
      pick!.value = name;
      await waitFor('the group found by a person in it', () => pick!.items.some((i) => i.chat?.id === group.id) || undefined, 15_000);
      pick!.hide();
      await run;
    } finally {
      vscode.window.createQuickPick = realCreate;
    }
  });

  test('a hostile snippet (markup, bidi, codicons, links) is inert in the pick and the view', async () => {
    const chatID = '!chat7_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';
    await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(chatID)}/messages`, { text: 'zebrafish <b>$(bug)</b> [win](command:beeper.signOut) \u202Eevil\u200B <img src=x onerror=alert(1)>', senderName: '$(alert) [Mallory](command:x) \u202E' });
    const handle = await searchFor('zebrafish');
    const rows = matchesOf(handle.pick.items);
    assert.strictEqual(rows.length, 1);
    handle.pick.hide();
    await api.searchResults.show('zebrafish');
    const group = api.searchResults.getChildren()[0]!;
    const viewItem = api.searchResults.getTreeItem(api.searchResults.getChildren(group)[0]!);
    for (const text of [rows[0]!.label, rows[0]!.detail ?? '', typeof viewItem.label === 'string' ? viewItem.label : '', String(viewItem.description)]) {
      assert.ok(!text.includes('$(bug)') && !text.includes('$(alert)'), `no codicons: ${text}`);
      assert.ok(!/\]\s*\(/.test(text), `no links: ${text}`);
      assert.ok(!text.includes('\u202E') && !text.includes('\u200B'), `no bidi: ${text}`);
      assert.ok(!text.includes('<b>') && !text.includes('<img'), `markup is gone (text only): ${text}`);
    }
  });
});
