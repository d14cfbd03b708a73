// The Inbox and triage in the real extension host, against the sandbox: nine accounts in one
// list (one request for the first page, pinned first, newest first), live moves, the Unread
// filter, every triage verb from a row, from the chat panel and from the palette (exactly one
// request with the right body, the server's state after, Undo), reminders, drafts that follow
// the user, a new group, and hostile titles that stay inert everywhere they are shown.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { Chat } from '../../src/api/types';
import type { TriageUi } from '../../src/commands/triageCommands';
import type { BeeperExtensionApi } from '../../src/extension';
import type { InboxNode } from '../../src/inbox/inboxProvider';
import type { InboxFilter } from '../../src/model/inbox';
import { liveSuite, openChatPage, sandbox, sandboxUrl, waitFor } from './helpers';

const TOKEN = () => process.env.BEEPER_ACCESS_TOKEN!;

/** The API itself, as another device (the phone, Beeper Desktop) would use it. */
async function beeper<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandboxUrl()}${path}`, { method, headers: { authorization: `Bearer ${TOKEN()}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
const serverChat = (id: string) => beeper<Chat>('GET', `/v1/chats/${encodeURIComponent(id)}?maxParticipantCount=5`);
async function serverChats(query: string): Promise<Chat[]> {
  const out: Chat[] = [];
  let cursor = '';
  for (;;) {
    const page = await beeper<{ items: Chat[]; hasMore: boolean; oldestCursor: string | null }>('GET', `/v1/chats/search?limit=200&${query}${cursor ? `&direction=before&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    if (!page.hasMore || !page.oldestCursor) return out;
    cursor = page.oldestCursor;
  }
}
interface Write {
  route: string;
  path: string;
  body: unknown;
}
const writes = async () => (await sandbox<{ writes: Write[] }>('GET', '/_sandbox/writes')).writes;
const resetRequests = () => sandbox('POST', '/_sandbox/requests/reset');

/** A stand-in for the verbs' notifications and picks: records what was shown, answers as told. */
class FakeUi implements TriageUi {
  shown: { kind: 'info' | 'error'; message: string; actions: string[] }[] = [];
  picks: { title?: string; labels: string[] }[] = [];
  inputs: { title?: string; value?: string }[] = [];
  /** Answers, in order: a label (or a predicate) for picks, text for inputs. */
  answers: (string | ((label: string) => boolean) | string[])[] = [];
  infoAnswer: string | undefined;
  chosenChat: string | undefined;
  info(message: string, ...actions: string[]) {
    this.shown.push({ kind: 'info', message, actions });
    return Promise.resolve(actions.includes(this.infoAnswer ?? '\u0000') ? this.infoAnswer : undefined);
  }
  error(message: string) {
    this.shown.push({ kind: 'error', message, actions: [] });
  }
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    this.picks.push({ title: options.title, labels: items.map((i) => i.label) });
    const answer = this.answers.shift();
    const match = typeof answer === 'function' ? answer : (label: string) => label === answer || label.endsWith(` ${String(answer)}`);
    return Promise.resolve(items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && match(i.label)));
  }
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<readonly T[] | undefined> {
    this.picks.push({ title: options.title, labels: items.map((i) => i.label) });
    const answer = this.answers.shift();
    const wanted = Array.isArray(answer) ? answer : [];
    return Promise.resolve(items.filter((i) => wanted.includes(i.label)));
  }
  input(options: vscode.InputBoxOptions) {
    this.inputs.push({ title: options.title, value: options.value });
    const answer = this.answers.shift();
    return Promise.resolve(typeof answer === 'string' ? answer : undefined);
  }
  chooseChat() {
    return Promise.resolve(this.chosenChat ? { chatID: this.chosenChat } : undefined);
  }
  /** Every string a user would read: messages, pick titles and rows, input titles. */
  texts(): string[] {
    return [...this.shown.map((s) => s.message), ...this.picks.flatMap((p) => [p.title ?? '', ...p.labels]), ...this.inputs.map((i) => i.title ?? '')];
  }
}

suite('Inbox and triage', () => {
  let api: BeeperExtensionApi;
  const live = liveSuite();
  let ui: FakeUi;

  suiteSetup(async () => {
    await live.start();
    api = live.api();
    // Panels opened here must not mark their chat read on their own (that would be a second request).
    api.testing.setWindowFocused(false);
  });
  setup(async () => {
    ui = new FakeUi();
    api.testing.setTriageUi(ui);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  suiteTeardown(async () => {
    api.testing.setTriageUi(undefined);
    api.testing.setWindowFocused(undefined);
    await api.inbox.setFilter({ kind: 'all' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    live.stop();
  });

  async function rows(filter: InboxFilter = { kind: 'all' }): Promise<InboxNode[]> {
    if (JSON.stringify(api.inbox.filter) !== JSON.stringify(filter)) await api.inbox.setFilter(filter);
    return (await api.inbox.getChildren()) ?? [];
  }
  const chatRows = async (filter?: InboxFilter) => (await rows(filter)).filter((n): n is InboxNode & { kind: 'chat' } => n.kind === 'chat');
  const rowOf = async (chatID: string) => (await chatRows()).find((r) => r.chatID === chatID);

  test('nine accounts in one list: the first page in one request, pinned first, then newest first across accounts', async () => {
    await api.loader.ensureAccounts();
    await api.loader.loadUnread();
    assert.strictEqual(api.model.accounts.length, 9);
    api.loader.forgetInbox({ kind: 'all' });
    await resetRequests();
    const shown = await chatRows({ kind: 'all' });
    const state = await sandbox<{ requests: { byRoute: Record<string, number> } }>('GET', '/_sandbox/state');
    const chatReads = Object.entries(state.requests.byRoute).filter(([route]) => route.startsWith('GET /v1/chats'));
    assert.deepStrictEqual(chatReads, [['GET /v1/chats/search', 1]], 'the first page of every account: one request');
    assert.strictEqual(shown.length, 50, 'a page of 50 (beeper.chatPageSize)');
    const chats = shown.map((r) => api.model.chat(r.chatID)!);
    assert.ok(new Set(chats.map((c) => c.accountID)).size >= 4, 'rows from several accounts');
    const primary = (await serverChats('inbox=primary')).slice(0, 50).map((c) => c.id).sort();
    assert.deepStrictEqual(chats.map((c) => c.id).sort(), primary, 'the newest 50 of the primary inbox');
    const due = (c: Chat) => c.reminder && Date.parse(c.reminder.remindAt) <= Date.now();
    const rest = chats.filter((c) => !due(c));
    const firstUnpinned = rest.findIndex((c) => !c.isPinned);
    assert.ok(firstUnpinned > 0 && rest.slice(firstUnpinned).every((c) => !c.isPinned), 'pinned chats first');
    const times = rest.slice(firstUnpinned).map((c) => Date.parse(c.lastActivity!));
    assert.deepStrictEqual([...times].sort((a, b) => b - a), times, 'then newest activity first');
    const item = api.inbox.getTreeItem(shown[0]!);
    assert.match(String(item.description), /WhatsApp|Beeper|Discord|Signal|Telegram|Slack|Instagram|LinkedIn/);
    assert.strictEqual(item.command?.command, 'beeper.openChat');
    assert.match(String(item.contextValue), /^chat /);
    assert.ok(shown.length < (await rows()).length, 'Load more… follows the rows');
  });

  test('a message posted on the server puts its chat at the top; the badge is on the Inbox', async () => {
    const shown = (await chatRows({ kind: 'all' })).map((r) => api.model.chat(r.chatID)!);
    const target = shown.filter((c) => !c.isPinned && !c.isMuted).at(-1)!;
    const badge = api.inboxView.badge?.value ?? 0;
    await sandbox('POST', `/_sandbox/chats/${encodeURIComponent(target.id)}/messages`, { text: 'To the top' });
    await waitFor('the chat on top of the unpinned rows', async () => {
      const now = (await chatRows()).map((r) => api.model.chat(r.chatID)!);
      return now.find((c) => !c.isPinned && !(c.reminder && Date.parse(c.reminder.remindAt) <= Date.now()))?.id === target.id;
    });
    assert.match(String(api.inbox.getTreeItem((await rowOf(target.id))!).description), /unread/);
    await waitFor('the Inbox badge', () => (api.inboxView.badge?.value ?? 0) === badge + 1);
  });

  test('"Unread" shows exactly the unread chats, says so, and a chat read elsewhere leaves', async () => {
    let shown = await rows({ kind: 'unread' });
    for (let pages = 0; shown.some((r) => r.kind === 'loadMore'); pages++) {
      assert.ok(pages < 10);
      await vscode.commands.executeCommand('beeper.inbox.loadMore');
      shown = await rows({ kind: 'unread' });
    }
    const expected = (await serverChats('unreadOnly=true')).filter((c) => !c.isArchived).map((c) => c.id).sort();
    const ids = shown.filter((r) => r.kind === 'chat').map((r) => (r as { chatID: string }).chatID);
    assert.deepStrictEqual([...ids].sort(), expected);
    assert.strictEqual(api.inboxView.description, 'Unread');
    const victim = ids[1]!;
    await beeper('POST', `/v1/chats/${encodeURIComponent(victim)}/read`, {});
    await waitFor('the chat read elsewhere to leave Unread', async () => !(await chatRows({ kind: 'unread' })).some((r) => r.chatID === victim));
    await api.inbox.setFilter({ kind: 'all' });
    assert.strictEqual(api.inboxView.description, undefined);
  });

  test('Filter Inbox… offers every filter, each network and account; Reminders lists soonest first; an empty filter says so', async () => {
    ui.answers = [(l) => l.endsWith('Reminders')];
    await vscode.commands.executeCommand('beeper.inbox.filter');
    const offered = ui.picks[0]!.labels;
    for (const name of ['All', 'Unread', 'Mentions', 'Direct messages', 'Groups', 'Low priority', 'Archived', 'Reminders', 'Networks', 'Accounts', 'WhatsApp']) {
      assert.ok(offered.some((l) => l === name || l.endsWith(` ${name}`)), `offers ${name}`);
    }
    assert.deepStrictEqual(api.inbox.filter, { kind: 'reminders' });
    assert.strictEqual(api.inboxView.description, 'Reminders');
    const reminded = (await chatRows({ kind: 'reminders' })).map((r) => api.model.chat(r.chatID)!);
    assert.ok(reminded.length >= 2, 'the seeded reminders');
    const times = reminded.map((c) => Date.parse(c.reminder!.remindAt));
    assert.deepStrictEqual([...times].sort((a, b) => a - b), times, 'soonest first');
    // A filter with nothing in it: the view says so (and its welcome offers Show All Chats).
    const network = api.model.groups.find((g) => g.id === 'psdk-linkedin')!;
    await rows({ kind: 'network', network: network.displayName, accountIDs: ['nobody'] });
    assert.strictEqual(api.inboxView.message, 'No chats here');
    await rows({ kind: 'mentions' });
    assert.strictEqual(api.inboxView.message, undefined);
    await api.inbox.setFilter({ kind: 'all' });
  });

  /** Each verb: how to make it apply, what it must send, and what the server has after. */
  const VERBS: { verb: string; command: string; prepare?: Partial<Chat>; route: string; body: unknown; after: (c: Chat) => boolean; answers?: FakeUi['answers']; undo?: (c: Chat) => boolean }[] = [
    { verb: 'archive', command: 'beeper.chat.archive', route: 'POST /v1/chats/{chatID}/archive', body: { archived: true }, after: (c) => c.isArchived === true, undo: (c) => c.isArchived === false },
    { verb: 'unarchive', command: 'beeper.chat.unarchive', prepare: { isArchived: true }, route: 'POST /v1/chats/{chatID}/archive', body: { archived: false }, after: (c) => c.isArchived === false },
    { verb: 'pin', command: 'beeper.chat.pin', prepare: { isPinned: false }, route: 'PATCH /v1/chats/{chatID}', body: { isPinned: true }, after: (c) => c.isPinned === true },
    { verb: 'unpin', command: 'beeper.chat.unpin', prepare: { isPinned: true }, route: 'PATCH /v1/chats/{chatID}', body: { isPinned: false }, after: (c) => c.isPinned === false },
    { verb: 'mute', command: 'beeper.chat.mute', prepare: { isMuted: false }, route: 'PATCH /v1/chats/{chatID}', body: { isMuted: true }, after: (c) => c.isMuted === true, undo: (c) => c.isMuted === false },
    { verb: 'unmute', command: 'beeper.chat.unmute', prepare: { isMuted: true }, route: 'PATCH /v1/chats/{chatID}', body: { isMuted: false }, after: (c) => c.isMuted === false },
    { verb: 'markUnread', command: 'beeper.chat.markUnread', prepare: { unreadCount: 0, isMarkedUnread: false }, route: 'POST /v1/chats/{chatID}/unread', body: {}, after: (c) => c.isMarkedUnread === true },
    { verb: 'markRead', command: 'beeper.chat.markRead', prepare: { unreadCount: 3 }, route: 'POST /v1/chats/{chatID}/read', body: {}, after: (c) => c.unreadCount === 0 },
    { verb: 'lowPriority', command: 'beeper.chat.lowPriority', prepare: { isLowPriority: false }, route: 'PATCH /v1/chats/{chatID}', body: { isLowPriority: true }, after: (c) => c.isLowPriority === true, undo: (c) => c.isLowPriority === false },
    { verb: 'primary', command: 'beeper.chat.primary', prepare: { isLowPriority: true }, route: 'PATCH /v1/chats/{chatID}', body: { isLowPriority: false }, after: (c) => c.isLowPriority === false },
    { verb: 'clearReminder', command: 'beeper.chat.clearReminder', prepare: { reminder: { remindAt: new Date(Date.now() + 86_400_000).toISOString() } }, route: 'DELETE /v1/chats/{chatID}/reminders', body: undefined, after: (c) => c.reminder === null },
    { verb: 'rename', command: 'beeper.chat.rename', route: 'PATCH /v1/chats/{chatID}', body: { title: 'Renamed by triage' }, after: (c) => c.title === 'Renamed by triage', answers: ['Renamed by triage'] },
    { verb: 'disappearing', command: 'beeper.chat.disappearing', prepare: { messageExpirySeconds: null }, route: 'PATCH /v1/chats/{chatID}', body: { messageExpirySeconds: 604_800 }, after: (c) => c.messageExpirySeconds === 604_800, answers: ['1 week'] },
  ];
  // A WhatsApp group (renamable, with disappearing timers) that no other test opens.
  const SUBJECT = '!chat13_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';

  for (const v of VERBS) {
    test(`${v.verb}: from a row, from the chat panel and from the palette, one request each with the right body${v.undo ? ', and Undo' : ''}`, async () => {
      for (const from of ['row', 'panel', 'palette'] as const) {
        // The state the verb applies to, set quietly (no event), then read by the extension.
        await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(SUBJECT)}`, { silent: true, title: 'Triage subject', type: 'group', ...(v.prepare ?? {}) });
        await api.loader.refreshChat(SUBJECT);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        let arg: unknown;
        if (from === 'row') arg = { kind: 'chat', chatID: SUBJECT };
        else if (from === 'panel') {
          const probe = await openChatPage(api, SUBJECT);
          await waitFor('the panel to be the active one', () => probe.panel.active || undefined);
        } else ui.chosenChat = SUBJECT;
        ui.answers = [...(v.answers ?? [])];
        ui.shown = [];
        await resetRequests();
        const done = await vscode.commands.executeCommand<boolean>(v.command, arg);
        assert.strictEqual(done, true, `${v.verb} from the ${from}: done (${JSON.stringify(ui.shown)})`);
        const sent = (await writes()).filter((w) => w.route.startsWith('POST /v1/chats/{chatID}') || w.route.startsWith('PATCH') || w.route.startsWith('DELETE /v1/chats'));
        assert.deepStrictEqual(sent.map((w) => w.route), [v.route], `${v.verb} from the ${from}: exactly one request`);
        assert.deepStrictEqual(sent[0]!.body, v.body, `${v.verb} from the ${from}: its body`);
        assert.ok(v.after(await serverChat(SUBJECT)), `${v.verb} from the ${from}: the server's state`);
        await waitFor(`${v.verb}: the model follows`, () => v.after(api.model.chat(SUBJECT)!) || undefined);
        if (v.undo) {
          const offered = ui.shown.find((s) => s.actions.includes('Undo'));
          assert.ok(offered, `${v.verb}: confirmed with Undo`);
          assert.strictEqual(await vscode.commands.executeCommand('beeper.undoTriage'), true);
          assert.ok(v.undo(await serverChat(SUBJECT)), `${v.verb}: Undo restored the server's state`);
        }
      }
    });
  }

  test('Undo in the notification itself restores; a verb that fails puts the row back and says why', async () => {
    await sandbox('PATCH', `/_sandbox/chats/${encodeURIComponent(SUBJECT)}`, { silent: true, isArchived: false, isMuted: false });
    await api.loader.refreshChat(SUBJECT);
    ui.infoAnswer = 'Undo';
    assert.strictEqual(await vscode.commands.executeCommand('beeper.chat.mute', SUBJECT), true);
    await waitFor('Undo to unmute', async () => (await serverChat(SUBJECT)).isMuted === false);
    ui.infoAnswer = undefined;
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'POST', path: '/v1/chats/', status: 500, message: 'archive exploded', times: 1 }] });
    try {
      assert.strictEqual(await vscode.commands.executeCommand('beeper.chat.archive', SUBJECT), false);
    } finally {
      await sandbox('DELETE', '/_sandbox/faults');
    }
    assert.strictEqual(api.model.chat(SUBJECT)!.isArchived, false, 'the row is back');
    const error = ui.shown.find((s) => s.kind === 'error');
    assert.ok(error, 'the failure is said');
    assert.match(error.message, /^Beeper: could not archive “Triage subject”, because: .*archive exploded/);
  });

  test('a reminder "In 1 hour" (…unless someone writes first) is set for now + 1 h; a due reminder brings the chat to the top until it is opened', async () => {
    ui.answers = [(l) => l.includes('unless someone writes first'), 'In 1 hour'];
    await resetRequests();
    // A read of the chat is on its way (read before the reminder, answered after it): it must not take the reminder away.
    await sandbox('PUT', '/_sandbox/faults', { rules: [{ method: 'GET', path: `/v1/chats/${encodeURIComponent(SUBJECT)}`, stallAfterMs: 1500, times: 1 }] });
    const staleRead = api.loader.refreshChat(SUBJECT);
    try {
      await waitFor('the read on its way', async () => ((await sandbox<{ requests: { byRoute: Record<string, number> } }>('GET', '/_sandbox/state')).requests.byRoute['GET /v1/chats/{chatID}'] ?? 0) > 0);
      assert.strictEqual(await vscode.commands.executeCommand('beeper.chat.remind', SUBJECT), true);
      assert.strictEqual((await staleRead)?.reminder ?? null, null, 'the read answered with the chat as it was');
    } finally {
      await sandbox('DELETE', '/_sandbox/faults');
    }
    const sent = (await writes()).filter((w) => w.route === 'POST /v1/chats/{chatID}/reminders');
    assert.strictEqual(sent.length, 1);
    const body = sent[0]!.body as { reminder: { remindAt: string; dismissOnIncomingMessage?: boolean } };
    assert.ok(Math.abs(Date.parse(body.reminder.remindAt) - (Date.now() + 3_600_000)) < 60_000, 'within a minute of now + 1 h');
    assert.strictEqual(body.reminder.dismissOnIncomingMessage, true);
    assert.ok(ui.picks[0]!.labels.includes('Pick a date and time…'));
    assert.match(String(api.inbox.getTreeItem((await rowOf(SUBJECT)) ?? { kind: 'chat', chatID: SUBJECT }).description), /⏰/);

    // Due in a moment, on a chat far down the list: it comes to the top when due.
    const shown = (await chatRows({ kind: 'all' })).map((r) => api.model.chat(r.chatID)!);
    const low = shown.filter((c) => !c.isPinned).at(-2)!;
    await beeper('POST', `/v1/chats/${encodeURIComponent(low.id)}/reminders`, { reminder: { remindAt: new Date(Date.now() + 1500).toISOString() } });
    await waitFor('the due chat on top', async () => (await chatRows())[0]?.chatID === low.id, 15_000);
    assert.match(String(api.inbox.getTreeItem((await chatRows())[0]!).description), /⏰ due/);
    await openChatPage(api, low.id);
    await waitFor('opening it dismisses the reminder', async () => (await serverChat(low.id)).reminder === null);
    await waitFor('it leaves the top', async () => (await chatRows())[0]?.chatID !== low.id);
  });

  test('drafts follow the user: typed and left is on the server, a server draft fills the composer, sending clears both', async () => {
    const chatID = '!chat15_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';
    await beeper('PATCH', `/v1/chats/${encodeURIComponent(chatID)}`, { draft: null });
    let probe = await openChatPage(api, chatID);
    await probe.whenReady();
    await probe.receive({ type: 'draft', text: 'Typed here, then left' });
    probe.panel.dispose();
    await waitFor('the draft on the server', async () => ((await serverChat(chatID)).draft?.text ?? '').includes('Typed here, then left'));

    const other = '!chat16_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';
    await beeper('PATCH', `/v1/chats/${encodeURIComponent(other)}`, { draft: null });
    await beeper('PATCH', `/v1/chats/${encodeURIComponent(other)}`, { draft: { text: 'Written on the phone' } });
    probe = await openChatPage(api, other);
    await waitFor('the server draft in the composer', () => probe.posted.some((u) => u.type === 'composer' && u.draft === 'Written on the phone') || undefined);
    assert.match(String(api.inbox.getTreeItem({ kind: 'chat', chatID: other }).description), /✎/);
    await probe.receive({ type: 'send', requestID: 1, text: 'Written on the phone' });
    await probe.receive({ type: 'draft', text: '' });
    await waitFor('sending cleared the server draft', async () => (await serverChat(other)).draft === null);
    assert.strictEqual(api.drafts.local(other), undefined, 'and the local one');
  });

  test('a group chat created with two contacts and a title opens in its panel', async () => {
    const contacts = (await beeper<{ items: { id: string; fullName?: string; cannotMessage?: boolean }[] }>('GET', '/v1/accounts/matrix/contacts/list?limit=100')).items.filter((c) => !c.cannotMessage && c.fullName);
    const [a, b] = [contacts[0]!, contacts[1]!];
    ui.answers = [(l) => l.includes('Sam Sandbox') && l.includes('Beeper'), [a.fullName!, b.fullName!], 'Launch crew'];
    assert.strictEqual(await vscode.commands.executeCommand('beeper.newGroupChat'), true, JSON.stringify(ui.shown));
    const created = (await writes()).filter((w) => w.route === 'POST /v1/chats').at(-1)!;
    assert.deepStrictEqual(created.body, { accountID: 'matrix', type: 'group', participantIDs: [a.id, b.id], title: 'Launch crew' });
    await waitFor('its panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Launch crew') || undefined);
  });

  test('a hostile title stays inert in rows, menus, confirmations, Undo messages and picks', async () => {
    const title = '<img src=x onerror=alert(1)> $(bug) [click](command:beeper.signOut) \u202Eevil\u200B **bold**';
    const created = await sandbox<Chat>('POST', '/_sandbox/chats', { accountID: 'matrix', id: '!hostile_inbox:sandbox.localhost', title, type: 'group', lastActivity: new Date().toISOString(), isPinned: false, isArchived: false });
    await waitFor('the hostile chat in the Inbox', async () => (await chatRows({ kind: 'all' })).some((r) => r.chatID === created.id));
    const item = api.inbox.getTreeItem((await rowOf(created.id))!);
    ui.answers = [(l) => l === 'In 1 hour'];
    await vscode.commands.executeCommand('beeper.chat.remind', created.id);
    await vscode.commands.executeCommand('beeper.chat.archive', created.id);
    await vscode.commands.executeCommand('beeper.undoTriage');
    ui.answers = [(l) => l === 'Off'];
    await vscode.commands.executeCommand('beeper.chat.rename', created.id);
    const seen = [typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), String(item.description), String(item.accessibilityInformation?.label), ...ui.texts()];
    assert.ok(ui.shown.some((s) => s.message.startsWith('Archived')), 'the confirmation was shown');
    // Every text that carries the title (our own rows carry our own icons, like $(check)).
    const carrying = seen.filter((t) => t.includes('evil') || t.includes('bold'));
    assert.ok(carrying.length >= 5, `the title was shown in rows, picks, inputs and messages (${carrying.length})`);
    for (const text of carrying) {
      assert.ok(!text.includes('\u202E') && !text.includes('\u200B'), `no bidi or invisible characters: ${text}`);
      assert.ok(!text.includes('$(bug)'), `no codicon syntax: ${text}`);
      assert.ok(!/\]\s*\(/.test(text), `no link syntax: ${text}`);
    }
    assert.ok(carrying.some((t) => t.includes('<img src=x')), 'the markup shows as text');
  });
});
