// Conversations in the real extension host: the chat panel's host side against the sandbox —
// paging a 10,000-message history with bounded memory and no duplicate page request, sends that
// resolve from pending, an unclear failure retried without a duplicate, edits refused with a
// sentence, Send Selection and Send File from the editor, and Reply on a notification. The page's
// own DOM (sanitizing, Enter, scroll) is driven in the browser end-to-end test.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Message } from '../../src/api/types';
import type { BeeperExtensionApi } from '../../src/extension';
import type { ChatPageUpdate } from '../../src/webviews/protocol';
import type { ChatPageProbe } from '../../src/testing';
import { liveSuite, openChatPage, sandbox, waitFor } from './helpers';

const ACCOUNT = 'local-whatsapp_ba_sandbox1';
const chatOf = (n: number) => `!chat${n}_${ACCOUNT}:local-whatsapp.localhost`;
const HISTORY = chatOf(4);
const RICH = chatOf(0);
const DIRECT = chatOf(2);


suite('Conversations', () => {
  let api: BeeperExtensionApi;
  const live = liveSuite();
  const rejections = live.rejections;

  suiteSetup(async () => {
    await live.start();
    api = live.api();
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sandbox('DELETE', '/_sandbox/faults');
  });
  suiteTeardown(() => {
    live.stop();
    assert.deepStrictEqual(rejections, [], 'no unhandled rejections');
  });

  async function open(chatID: string): Promise<ChatPageProbe> {
    const panel = await openChatPage(api, chatID, 'messages');
    await waitFor('the first messages', () => panel.conversation.size > 0 || undefined);
    return panel;
  }
  const serverPage = (chatID: string) => sandbox<{ items: Message[] }>('GET', `/_sandbox/chats/${encodeURIComponent(chatID)}/messages`);
  const sends = async () => (await sandbox<{ requests: { byRoute: Record<string, number> } }>('GET', '/_sandbox/state')).requests.byRoute['POST /v1/chats/{chatID}/messages'] ?? 0;
  const windows = (panel: ChatPageProbe) => panel.posted.filter((u): u is Extract<ChatPageUpdate, { type: 'window' }> => u.type === 'window');

  test('10,000 messages page back to the first: one request per page, never two at once, at most 250 kept', async () => {
    const panel = await open(HISTORY);
    const first = panel.stats.olderPages;
    const seen = new Set(panel.conversation.messages().map((m) => m.id));
    let most = 0;
    while (!panel.conversation.atStart) {
      // The page scrolls fast and asks twice: the second ask waits for the first page.
      await Promise.all([panel.receive({ type: 'loadOlder' }), panel.receive({ type: 'loadOlder' })]);
      most = Math.max(most, panel.conversation.size);
      for (const m of panel.conversation.messages()) seen.add(m.id);
    }
    // The page may also ask for newer pages as the window moves under it: those are counted apart.
    assert.strictEqual(panel.stats.olderPages - first, 399, 'one request per older page');
    assert.ok(most <= 250, `${most} messages kept`);
    assert.strictEqual(panel.conversation.atEnd, false, 'the newest pages left the window');
    assert.strictEqual(seen.size, 10_000, 'every message passed through the window');
    await waitFor('the start of the chat on the page', () => windows(panel).some((w) => w.atStart) || undefined);
    // The page is sent window changes as fast as it draws them (the rest wait, merged): it catches
    // up with the window the host has (which its own loadNewer may have moved on since).
    const visible = () => panel.conversation.messages().filter((m) => !m.isHidden).map((m) => m.id).sort().join(',');
    await waitFor('the page to show the host\'s window', () => (panel.page.messages().map((m) => m.id).sort().join(',') === visible() && panel.page.window.atStart === panel.conversation.atStart) || undefined);
    // Jump to newest starts the window over at the bottom.
    await panel.receive({ type: 'jumpToNewest' });
    assert.strictEqual(panel.conversation.atEnd, true);
    assert.ok(panel.conversation.size <= 25);
  });

  test('a hidden panel comes back current: a message and a rename while hidden reach its retained page; a re-created page gets them by replay; at most one messages request', async () => {
    const panel = await open(DIRECT);
    const replays = panel.replays;
    // Hidden behind another editor in the same group (a plain text file on disk).
    const file = path.join(os.tmpdir(), 'beeper-other-editor.txt');
    fs.writeFileSync(file, 'Another editor in front of the chat panel.\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), { viewColumn: panel.panel.viewColumn, preview: false });
    await waitFor('the panel hidden', () => !panel.panel.visible || undefined);
    assert.ok(panel.ready, 'the page is retained while hidden: still ready for updates');
    const requests = panel.stats.pageRequests;
    const posted = panel.posted.length;
    const title = `Renamed while hidden ${Date.now()}`;
    await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(DIRECT)}/messages`, { text: 'While you were away' });
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(DIRECT)}`, { title });
    // Both reach the hidden page as they happen.
    await waitFor('the page to get both while hidden', () => (panel.page.messages().some((m) => m.html === 'While you were away') && panel.page.state?.title === title) || undefined);
    const whileHidden = panel.posted.slice(posted);
    assert.ok(whileHidden.some((u) => u.type === 'state' && u.title === title) && whileHidden.some((u) => u.type === 'window' && u.upserted.some((m) => m.html === 'While you were away')), 'posted to the page while hidden');
    panel.panel.reveal();
    await waitFor('the panel shown', () => panel.panel.visible || undefined);
    assert.strictEqual(panel.replays, replays, 'nothing to replay: the page was current when shown');
    assert.strictEqual(panel.panel.title, title);
    // A page VS Code re-creates (a move to another group, a reload) says ready again and gets the whole state from memory.
    await panel.receive({ type: 'ready' });
    const recent = panel.posted.slice(-20);
    assert.ok(recent.some((u) => u.type === 'state' && u.title === title), 'the new title was replayed');
    assert.ok(recent.some((u) => u.type === 'window' && u.reason === 'reset' && u.upserted.some((m) => m.html === 'While you were away')), 'the whole window was replayed, with the new message');
    assert.ok(panel.stats.pageRequests - requests <= 1, `${panel.stats.pageRequests - requests} message reads`);
  });

  test('a send shows at once as pending, then becomes the sent message by its pending ID, sent exactly once', async () => {
    const panel = await open(DIRECT);
    const before = await sends();
    await panel.receive({ type: 'send', requestID: 1, text: 'Hello **there**' });
    const pending = windows(panel).find((w) => w.upserted.some((m) => m.id.startsWith('local:') && m.send?.state === 'pending'));
    assert.ok(pending, 'the pending message was shown before the server answered');
    const sent = await waitFor('the confirmed message', () => panel.conversation.messages().find((m) => m.isSender && m.text === 'Hello **there**' && m.sendStatus?.status === 'SUCCESS'));
    assert.ok(!sent.id.startsWith('local:') && !sent.id.startsWith('m'), 'the final ID');
    assert.strictEqual(panel.conversation.messages().filter((m) => m.text === 'Hello **there**').length, 1, 'no duplicate in the window');
    assert.strictEqual((await sends()) - before, 1);
    const response = panel.posted.find((u) => u.type === 'response');
    assert.deepStrictEqual(response, { type: 'response', requestID: 1, ok: true, error: undefined });
  });

  test('an unclear failure (the server did the work, then answered 502) is retried without sending twice', async () => {
    const panel = await open(DIRECT);
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'POST', path: `/v1/chats/${encodeURIComponent(DIRECT)}/messages`, statusAfter: 502, times: 1 }] });
    const before = await sends();
    await panel.receive({ type: 'send', requestID: 2, text: 'Did this arrive?' });
    const failed = panel.conversation.messages().find((m) => m.id.startsWith('local:') && m.sendStatus?.status === 'FAIL_RETRIABLE');
    assert.ok(failed, 'the send shows as failed with its reason');
    assert.match(failed.sendStatus!.message ?? '', /internal error|502/i);
    await panel.receive({ type: 'retry', id: failed.id });
    await waitFor('the message, found rather than sent again', () => panel.conversation.messages().find((m) => !m.id.startsWith('local:') && m.isSender && m.text === 'Did this arrive?'));
    assert.strictEqual((await sends()) - before, 1, 'one POST in all');
    const onServer = (await serverPage(DIRECT)).items.filter((m) => m.text === 'Did this arrive?' && !m.isHidden);
    assert.strictEqual(onServer.length, 1);
  });

  test('a refused edit and delete say why in a sentence; an own message edits and deletes', async () => {
    const panel = await open(RICH);
    const theirs = panel.conversation.messages().find((m) => !m.isSender && !m.isDeleted && m.text)!;
    await panel.receive({ type: 'edit', requestID: 3, id: theirs.id, text: 'not mine' });
    const refused = panel.posted.filter((u) => u.type === 'response').pop() as { ok: boolean; error?: string };
    assert.strictEqual(refused.ok, false);
    assert.match(refused.error ?? '', /own messages/);
    await panel.receive({ type: 'send', requestID: 4, text: 'typo here' });
    const mine = await waitFor('my message', () => panel.conversation.messages().find((m) => m.text === 'typo here' && m.sendStatus?.status === 'SUCCESS'));
    await panel.receive({ type: 'edit', requestID: 5, id: mine.id, text: 'fixed' });
    await waitFor('the edit', () => panel.conversation.get(mine.id)?.editedTimestamp);
    assert.strictEqual(panel.conversation.get(mine.id)!.text, 'fixed');
    await panel.receive({ type: 'react', id: mine.id, key: '👍' });
    await waitFor('the reaction', () => panel.conversation.get(mine.id)?.reactions?.length);
    await panel.receive({ type: 'react', id: mine.id, key: '👍' });
    await waitFor('the reaction removed', () => panel.conversation.get(mine.id)?.reactions?.length === 0 || undefined);
  });

  test('Send Selection puts a fenced block with language and file:line in the chat composer; the page sends it', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const a = 1;\nexport function twice(x: number) {\n  return x * 2;\n}\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    await vscode.commands.executeCommand('beeper.sendSelection', undefined, { chatID: DIRECT });
    const panel = api.testing.chatPage(DIRECT)!;
    const insert = await waitFor('the composer text', () => panel.posted.map((u) => (u.type === 'composer' ? u.insert : undefined)).find((text) => text !== undefined));
    assert.match(insert, /^`Untitled-\d+:2-4`\n```typescript\nexport function twice/);
    assert.ok(insert.endsWith('}\n```'));
    await panel.receive({ type: 'send', requestID: 6, text: insert });
    await waitFor('the snippet in the chat', async () => (await serverPage(DIRECT)).items.find((m) => m.text === insert && m.sendStatus?.status === 'SUCCESS'));
  });

  test('Send File uploads the file and sends it; the image shows from the cache', async () => {
    const file = path.join(os.tmpdir(), `beeper-send-${Date.now()}.png`);
    // The sandbox's own PNG bytes: a real image.
    const res = await fetch(`${(await api.connection.client()).baseUrl}/v1/assets/serve?url=${encodeURIComponent('mxc://sandbox.localhost/img_3bb58f')}`, { headers: { authorization: `Bearer ${api.connection.token}` } });
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const pendingID = await vscode.commands.executeCommand<string>('beeper.sendFile', vscode.Uri.file(file), { chatID: DIRECT });
    assert.ok(pendingID, 'sent');
    const sent = await waitFor('the attachment in the chat', async () => (await serverPage(DIRECT)).items.find((m) => m.attachments?.[0]?.fileName === path.basename(file) && m.sendStatus?.status === 'SUCCESS'));
    assert.strictEqual(sent.type, 'IMAGE');
    const panel = api.testing.chatPage(DIRECT)!;
    await waitFor('the image ready in the page', () => panel.posted.find((u) => u.type === 'asset'));
    fs.rmSync(file, { force: true });
  });

  test('a notification offers Reply: an input box, then a send', async () => {
    let actions: string[] = [];
    api.testing.setNotificationUi({
      show: (_text, ...offered) => {
        actions = offered;
        return Promise.resolve('Reply');
      },
      ask: () => Promise.resolve('On my way!'),
    });
    try {
      await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(chatOf(7))}/messages`, { text: 'Are you coming?' });
      await waitFor('the reply', async () => (await serverPage(chatOf(7))).items.find((m) => m.isSender && m.text === 'On my way!'), 15_000);
      assert.deepStrictEqual(actions, ['Reply', 'Open', 'Mark as Read']);
    } finally {
      api.testing.setNotificationUi(undefined);
    }
  });
});
