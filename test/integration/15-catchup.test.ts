// "Beeper: What Needs Me?" in the real host against the sandbox, with no language model: the
// ranking in a quick pick (due reminder first, then mentions, direct messages, …, quiet chats
// last), each row saying why, at most four chat reads at once, and the row buttons that clear it.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { Chat } from '../../src/api/types';
import type { BeeperExtensionApi } from '../../src/extension';
import { NEED_ORDER } from '../../src/model/catchUp';
import { beeperGet, liveSuite, sandbox, waitFor } from './helpers';

const chatInBeeper = (id: string) => beeperGet<Chat>(`/v1/chats/${encodeURIComponent(id)}?maxParticipantCount=0`);

const DUE = '!chat9_matrix:matrix.localhost';

suite('What Needs Me?', () => {
  let api: BeeperExtensionApi;
  const live = liveSuite();

  suiteSetup(async () => {
    await live.start();
    api = live.api();
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    live.stop();
  });

  async function openPick() {
    // A pick hidden by the previous test may still be the current one until its hide event runs.
    const before = api.catchUpPick();
    void vscode.commands.executeCommand('beeper.catchUp');
    return waitFor('the catch-up pick with its rows', () => {
      const h = api.catchUpPick();
      return h && h !== before && !h.pick.busy && h.pick.items.length ? h : undefined;
    }, 20_000);
  }

  test('ranked with reasons: the due reminder first, tiers in order, quiet chats last, at most 4 chat reads at once', async () => {
    const handle = await openPick();
    const rows = handle.pick.items.filter((i) => i.need);
    assert.ok(rows.length >= 10, `rows: ${rows.length}`);
    assert.strictEqual(rows[0]!.need!.chat.id, DUE, 'the due reminder is first');
    assert.match(rows[0]!.description ?? '', /^reminder due/);
    const rank = (i: (typeof rows)[number]) => Number(i.need!.quiet) * 10 + NEED_ORDER.indexOf(i.need!.kind);
    assert.ok(rows.every((r, k) => k === 0 || rank(rows[k - 1]!) <= rank(r)), 'tiers in order, quiet last');
    for (const kind of ['mention', 'direct', 'asked'] as const) assert.ok(rows.some((r) => r.need!.kind === kind), `some ${kind}`);
    const mention = rows.find((r) => r.need!.kind === 'mention')!;
    assert.match(mention.description ?? '', /^mentioned you( \d+×)? · /);
    const asked = rows.find((r) => r.need!.kind === 'asked')!;
    assert.match(asked.description ?? '', /^(asked|said your name|replied to you): .+/);
    assert.ok(rows.filter((r) => r.need!.quiet).every((r) => /^(muted|low priority) · /.test(r.description ?? '')), 'quiet rows say so');
    const separators = handle.pick.items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
    assert.strictEqual(separators[0], 'Reminders due');
    assert.ok(handle.result.stats.maxInFlight <= 4 && handle.result.stats.maxInFlight > 0, `in flight: ${handle.result.stats.maxInFlight}`);
    assert.match(handle.pick.title ?? '', /^What Needs Me\? — \d+ chats$/);
    handle.pick.hide();
  });

  test('a hostile chat title and question stay inert in the pick: no bidi, no codicon, no link syntax', async () => {
    const title = '<img src=x onerror=alert(1)> $(bug) [click](command:beeper.signOut) \u202Eevil\u200B';
    const id = '!hostile_catchup:sandbox.localhost';
    await sandbox('POST', '/_sandbox/chats', { accountID: 'matrix', id, title, type: 'single', lastActivity: new Date().toISOString() });
    await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(id)}/messages`, { text: 'are you there $(bug) [x](command:beeper.signOut)? \u202E' });
    const handle = await openPick();
    const row = await waitFor('the hostile chat listed', () => handle.pick.items.find((i) => i.need?.chat.id === id));
    for (const text of [row.label, row.description ?? '', row.detail ?? '']) {
      assert.ok(!text.includes('\u202E') && !text.includes('\u200B'), `no bidi or invisible characters: ${text}`);
      assert.ok(!text.includes('$(bug)'), `no codicon from the title: ${text}`);
      assert.ok(!/\]\s*\(/.test(text), `no link syntax: ${text}`);
    }
    assert.ok(row.label.includes('<img src=x') && row.label.includes('evil'), 'the title shows as text');
    handle.pick.hide();
  });

  test('Mark as Read and Archive from a row: the chat is changed in Beeper and its row leaves the list', async () => {
    const handle = await openPick();
    const direct = handle.pick.items.find((i) => i.need?.kind === 'direct')!;
    const before = handle.pick.items.length;
    await handle.press(direct, 'markRead');
    await waitFor('the row to leave', () => (!handle.pick.items.includes(direct) ? true : undefined));
    assert.ok(handle.pick.items.length < before);
    const read = await chatInBeeper(direct.need!.chat.id);
    assert.strictEqual(read.unreadCount, 0, 'read in Beeper');

    const other = handle.pick.items.find((i) => i.need?.kind === 'unread' || i.need?.kind === 'asked')!;
    await handle.press(other, 'archive');
    await waitFor('the archived row to leave', () => (!handle.pick.items.includes(other) ? true : undefined));
    const archived = await chatInBeeper(other.need!.chat.id);
    assert.strictEqual(archived.isArchived, true);
    // Put it back for the suites after this one.
    await vscode.commands.executeCommand('beeper.chat.unarchive', other.need!.chat.id);

    // Enter opens the chat.
    const row = handle.pick.items.find((i) => i.need && i.need.kind !== 'reminder')!;
    await handle.accept(row);
    await waitFor('the chat panel', () => api.chatPanels.get(row.need!.chat.id));
  });
});
