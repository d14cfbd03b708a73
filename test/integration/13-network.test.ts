// A composer and message actions that know the network, in the real host against the sandbox's
// varied capabilities: actions a network does not allow are hidden before the click (edit,
// delete, reactions), the composer takes the network's length limit, and your own messages show
// sent → delivered → read as the server reports it, within one socket event.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { ChatPageUpdate } from '../../src/webviews/protocol';
import { liveSuite, openChatPage, sandbox, waitFor } from './helpers';

const LINKEDIN_CHAT = '!chat0_psdk-linkedin_ba_sandbox1:psdk-linkedin.localhost';
const INSTAGRAM_CHAT = '!chat0_local-instagram_ba_sandbox1:local-instagram.localhost';
const WHATSAPP_DIRECT = '!chat2_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';
const TELEGRAM_CHAT = '!chat0_local-telegram_ba_sandbox1:local-telegram.localhost';

suite('Network-aware composer and actions', () => {
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

  const stateOf = (posted: readonly ChatPageUpdate[]) => [...posted].reverse().find((u): u is Extract<ChatPageUpdate, { type: 'state' }> => u.type === 'state');
  const composerOf = (posted: readonly ChatPageUpdate[]) => [...posted].reverse().find((u): u is Extract<ChatPageUpdate, { type: 'composer' }> => u.type === 'composer');

  test('a network that allows almost nothing (LinkedIn): no edit, no delete, no reactions, its length limit', async () => {
    const probe = await openChatPage(api, LINKEDIN_CHAT, 'messages');
    const own = probe.page.messages().filter((m) => m.mine && !m.send);
    assert.ok(own.length > 0, 'own messages in the window');
    assert.ok(own.every((m) => !m.canEdit && !m.canDelete), 'edit and delete hidden before the click');
    assert.ok(probe.page.messages().every((m) => !m.canDelete), 'no delete for me either');
    assert.deepStrictEqual(stateOf(probe.posted)?.reactions, { off: true, allowed: undefined });
    assert.strictEqual(composerOf(probe.posted)?.maxLength, 8000);
  });

  test('restricted reactions (Instagram: only ❤️; Telegram: a set) and no edits on Instagram', async () => {
    const insta = await openChatPage(api, INSTAGRAM_CHAT, 'messages');
    assert.deepStrictEqual(stateOf(insta.posted)?.reactions, { off: false, allowed: ['❤️'] });
    assert.ok(insta.page.messages().filter((m) => m.mine).every((m) => !m.canEdit));
    assert.strictEqual(composerOf(insta.posted)?.maxLength, 1000);
    const tg = await openChatPage(api, TELEGRAM_CHAT, 'messages');
    assert.deepStrictEqual(stateOf(tg.posted)?.reactions?.allowed?.slice(0, 3), ['👍', '👎', '❤️']);
  });

  test('WhatsApp: old own messages can no longer be edited (15 minutes), a fresh one can; receipts go sent → delivered → read with the events', async () => {
    const probe = await openChatPage(api, WHATSAPP_DIRECT, 'messages');
    const old = probe.page.messages().filter((m) => m.mine && !m.send && Date.now() - Date.parse(m.time) > 20 * 60_000);
    assert.ok(old.length > 0 && old.every((m) => !m.canEdit && m.canDelete), 'older than the edit limit: delete stays, edit goes');
    await probe.receive({ type: 'send', requestID: 7, text: 'Receipts, please' });
    const mineNow = () => probe.page.messages().find((m) => m.mine && m.html === 'Receipts, please' && !m.send);
    const delivered = await waitFor('the message delivered', () => (mineNow()?.receipt?.state === 'delivered' ? mineNow() : undefined), 15_000);
    assert.strictEqual(delivered.canEdit, true, 'a fresh message can be edited');
    // The read receipt is one socket event (message.upserted with `seen`): the page follows it.
    const events = api.live.stats.events;
    await waitFor('read', () => (mineNow()?.receipt?.state === 'read' ? true : undefined), 15_000);
    assert.ok(api.live.stats.events - events <= 2, 'within one socket event (and its chat.upserted)');
    assert.match(mineNow()!.receipt!.text, /^Read/);
  });

  test('files the network does not take are refused before uploading, with what it takes; code goes as plain text where code blocks do not survive', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-net-')), 'notes.txt');
    fs.writeFileSync(file, 'plain notes');
    const shown: string[] = [];
    const realError = vscode.window.showErrorMessage;
    vscode.window.showErrorMessage = ((message: string) => (shown.push(message), Promise.resolve(undefined)));
    try {
      await sandbox('POST', '/_sandbox/requests/reset');
      const sent = await vscode.commands.executeCommand('beeper.sendFile', vscode.Uri.file(file), { chatID: LINKEDIN_CHAT, title: 'LinkedIn' });
      assert.strictEqual(sent, undefined);
    } finally {
      vscode.window.showErrorMessage = realError;
    }
    assert.match(shown[0] ?? '', /does not take this kind of file\. It takes: images\./);
    const state = await sandbox<{ requests: { byRoute: Record<string, number> } }>('GET', '/_sandbox/state');
    assert.strictEqual(state.requests.byRoute['POST /v1/assets/upload'], undefined, 'nothing was uploaded');

    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const answer = 42;\nexport default answer;\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 1, 22);
    await vscode.commands.executeCommand('beeper.sendSelection', undefined, { chatID: LINKEDIN_CHAT, title: 'LinkedIn' });
    const probe = api.testing.chatPage(LINKEDIN_CHAT)!;
    const insert = await waitFor('the selection in the composer', () => [...probe.posted].reverse().find((u): u is Extract<ChatPageUpdate, { type: 'composer' }> => u.type === 'composer' && u.insert !== undefined)?.insert);
    assert.ok(insert.includes('const answer = 42;') && !insert.includes('```'), `plain text, no fence: ${insert}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a text over the network’s limit goes in parts (each within it), on request', async () => {
    const probe = await openChatPage(api, INSTAGRAM_CHAT, 'messages');
    await probe.whenReady();
    const sends = probe.stats.sends;
    const text = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} of a long message.`).join(' ');
    assert.ok(text.length > 2000 && text.length < 3000);
    await probe.receive({ type: 'sendLong', requestID: 9, text, how: 'split' });
    assert.strictEqual(probe.stats.sends - sends, 3, 'three parts of at most 1,000 characters');
    await waitFor('the parts on the page', () => probe.page.messages().filter((m) => m.mine && (m.html ?? '').includes('Sentence number')).length === 3 || undefined, 15_000);
    assert.ok(probe.page.messages().filter((m) => m.mine && (m.html ?? '').includes('Sentence number')).every((m) => (m.html ?? '').length <= 1000));
  });
});
