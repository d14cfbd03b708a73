// People and networks in the real extension host: Find Contact searches as you type (debounced,
// stale searches cancelled), merges all accounts, pages with "Load more…", marks who cannot be
// messaged, and Message starts or reuses a chat; New Chat refuses what the network cannot look
// up; the bridge panel explains the bridge with hostile strings inert.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ContactPickHandle, FindContactResult } from '../../src/commands/peopleCommands';
import type { BeeperExtensionApi } from '../../src/extension';
import { freshExtension, sandbox, sandboxUrl, waitFor } from './helpers';

type State = { requests: { byRoute: Record<string, number> }; chats: number };
const WHATSAPP = 'local-whatsapp_ba_sandbox1';

suite('People and networks', () => {
  let api: BeeperExtensionApi;
  suiteSetup(async () => {
    api = await freshExtension();
  });
  teardown(async () => {
    api.contactPick()?.pick.hide();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function openPick(arg?: unknown): Promise<{ handle: ContactPickHandle; done: Thenable<FindContactResult | undefined> }> {
    const done = vscode.commands.executeCommand<FindContactResult | undefined>('beeper.findContact', arg);
    const handle = await waitFor('the contact pick', () => api.contactPick());
    await handle.idle();
    return { handle, done };
  }
  const rows = (h: ContactPickHandle) => h.pick.items.filter((i) => i.row);
  /** "Load more…" until a row like this shows (directory contacts come after the chat partners). */
  async function loadUntil(h: ContactPickHandle, wanted: (r: ReturnType<typeof rows>[number]) => boolean) {
    for (let i = 0; i < 10 && !rows(h).some(wanted); i++) {
      const more = h.pick.items.find((x) => x.loadMore);
      if (!more) break;
      await h.accept(more);
    }
    return rows(h).find(wanted);
  }

  test('typing "alice" quickly costs one search, not five; an empty query pages with Load more…', async () => {
    const { handle } = await openPick({ accountID: WHATSAPP });
    const firstPage = rows(handle).length;
    assert.ok(firstPage >= 50, `a first page of contacts (${firstPage})`);
    const more = handle.pick.items.find((i) => i.loadMore);
    assert.ok(more, 'Load more… follows the cursor');
    await handle.accept(more);
    assert.ok(rows(handle).length > firstPage, 'the next page is appended');
    assert.ok(rows(handle).some((r) => r.row!.user.cannotMessage && /\$\(circle-slash\)/.test(r.label) && /cannot start a chat/.test(r.detail ?? '')), 'who cannot be messaged is marked and explained');

    await sandbox('POST', '/_sandbox/requests/reset');
    for (const value of ['a', 'al', 'ali', 'alic', 'alice']) handle.type(value);
    await handle.idle();
    const state = await sandbox<State>('GET', '/_sandbox/state');
    assert.strictEqual(state.requests.byRoute['GET /v1/accounts/{accountID}/contacts'], 1, JSON.stringify(state.requests.byRoute));
    handle.type('grace');
    await handle.idle();
    assert.ok(rows(handle).length > 0 && rows(handle).every((r) => /grace/i.test(`${r.label} ${r.description ?? ''}`)));
  });

  test('all accounts: results merged once per person, with their network; a failing account says so and the rest stay', async () => {
    // Several accounts: the scope pick comes first; the test answers it with its first row, "All accounts".
    const original = vscode.window.showQuickPick;
    let offered: string[] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
      const list = await items;
      offered = list.map((i) => i.label);
      return list[0];
    };
    let handle: ContactPickHandle;
    try {
      ({ handle } = await openPick({}));
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
    }
    assert.match(offered[0] ?? '', /All accounts/);
    handle.type('a');
    await handle.idle();
    const ids = rows(handle).map((r) => r.row!.user.id);
    assert.strictEqual(new Set(ids).size, ids.length, 'no one twice');
    const networks = new Set(rows(handle).map((r) => r.row!.network));
    assert.ok(networks.size > 1, `several networks: ${[...networks].join(', ')}`);
    assert.ok(handle.pick.items.some((i) => /Slack/.test(i.label) && /not available|contact/i.test(i.label)), 'the Slack account says it has no contacts');
  });

  test('Message starts a chat and opens its panel; the same contact again reuses it', async () => {
    const before = await sandbox<State>('GET', '/_sandbox/state');
    let { handle, done } = await openPick({ accountID: WHATSAPP });
    const target = (await loadUntil(handle, (r) => !r.row!.user.cannotMessage && r.row!.user.id.startsWith('@dir')))!;
    assert.ok(target, 'a directory contact without a chat yet');
    await handle.accept(target);
    const first = await done;
    assert.ok(first?.chatID, 'a chat was started');
    assert.ok(api.chatPanels.get(first.chatID), 'its panel is open');
    ({ handle, done } = await openPick({ accountID: WHATSAPP }));
    await handle.accept((await loadUntil(handle, (r) => r.row!.user.id === target.row!.user.id))!);
    const second = await done;
    assert.strictEqual(second?.chatID, first.chatID, 'the existing chat is reused');
    assert.strictEqual((await sandbox<State>('GET', '/_sandbox/state')).chats, before.chats + 1, 'one chat created, not two');
  });

  test('hostile names from the network stay inert in the contact pick: no command link, no codicon, no bidi', async () => {
    const res = await fetch(`${sandboxUrl()}/v1/chats/search?accountIDs=${WHATSAPP}&type=single&limit=20`, { headers: { authorization: `Bearer ${process.env.BEEPER_ACCESS_TOKEN}` } });
    // A chat from the sandbox's world (its person is named after it), not one a test started.
    const single = ((await res.json()) as { items: { id: string }[] }).items.find((c) => !c.id.startsWith('!started'))!;
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(single.id)}`, { title: 'Evilname [x](command:workbench.action.quit) $(zap) \u202Etxt.exe' });
    const { handle } = await openPick({ accountID: WHATSAPP });
    handle.type('evilname');
    await handle.idle();
    const row = rows(handle).find((r) => /Evilname/.test(r.label));
    assert.ok(row, 'the contact is found');
    assert.doesNotMatch(row.label, /\]\(command:/);
    assert.strictEqual(row.label.match(/\$\(/g)?.length, 1, 'only our own icon');
    assert.doesNotMatch(row.label, /\u202E/);
  });

  test('a contact who cannot be messaged keeps the pick open and says why', async () => {
    const { handle } = await openPick({ accountID: WHATSAPP });
    const blocked = (await loadUntil(handle, (r) => r.row!.user.cannotMessage === true))!;
    await handle.accept(blocked);
    assert.match(handle.pick.title ?? '', /cannot be messaged/);
    assert.strictEqual(api.contactPick(), handle, 'still open');
  });

  test('New Chat refuses an identifier the network cannot look up', async () => {
    const original = vscode.window.showInputBox;
    const verdicts: Array<string | undefined> = [];
    (vscode.window as { showInputBox: typeof original }).showInputBox = async (options) => {
      for (const value of ['someone@example.org', 'not an id !', '+15550209998']) {
        const v = await options?.validateInput?.(value);
        verdicts.push(typeof v === 'string' ? v : undefined);
      }
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('beeper.newChat', WHATSAPP);
    } finally {
      (vscode.window as { showInputBox: typeof original }).showInputBox = original;
    }
    assert.match(verdicts[0] ?? '', /cannot find people by email/);
    assert.match(verdicts[1] ?? '', /not a phone number/);
    assert.strictEqual(verdicts[2], undefined, 'any phone number is fine on WhatsApp');
  });

  test('the bridge panel explains the bridge: status, where it runs, accounts, flows, every capability; hostile text inert', async () => {
    const evil = '<img src=x onerror=alert(1)> [x](command:workbench.action.quit)';
    await sandbox('PATCH', '/_sandbox/bridges/local-whatsapp', { statusText: evil, displayName: `WhatsApp ${evil}` });
    const panel = await vscode.commands.executeCommand<{ html: string; model: unknown }>('beeper.showBridgeDetails', 'local-whatsapp');
    assert.ok(panel);
    const html = panel.html;
    assert.doesNotMatch(html, /<img/);
    for (const text of ['On this device', 'Find people by phone number', 'Start direct chats with any phone number', 'Create WhatsApp group', 'timers 1 d, 7 d, 90 d', 'message_requests', 'Add account with this flow', 'QR code']) {
      assert.ok(html.includes(text), `the page says "${text}"`);
    }
    const matrix = await vscode.commands.executeCommand<{ html: string }>('beeper.showBridgeDetails', 'matrix');
    assert.match(matrix.html, /reports no capabilities/);
    await sandbox('POST', '/_sandbox/reset');
  });
});
