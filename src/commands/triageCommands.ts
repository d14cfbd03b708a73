// The triage verbs as commands: on Inbox and tree rows (the row is the argument), in the chat
// panel's title bar and from the palette (the focused chat panel, or else a chat pick), and from
// the Inbox's keyboard shortcuts (the selected row). Each verb is one API call through `Triage`;
// archive, mute and low priority confirm with Undo. Also: the Inbox filter, New Group Chat, and
// the focused panel's chat as a context key (its title-bar menus).
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Chat, ChatReminder, User } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { setContext } from '../host/contextKeys';
import type { InboxNode, InboxProvider } from '../inbox/inboxProvider';
import { filterLabel, reminderWhen } from '../inbox/inboxItems';
import { INBOX_ALL, type InboxFilter } from '../model/inbox';
import { accountLabel as accountName, safeLabel, statusCategory } from '../model/labels';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { expiryChoices, expiryWords, parseReminderTime, reminderChoices } from '../model/reminders';
import { notAllowed, triageContext, UNDO_OF, type Triage, type TriageArgs, type TriageVerb } from '../model/triage';
import type { TreeNode } from '../tree/nodes';
import { untrusted } from '../text/untrusted';
import type { ChatPanels } from '../webviews/chatPanels';
import { pickChat } from './chatCommands';
import { ensureConnected } from './guard';

/** What the verbs show and ask: VS Code's own UI, or a test's stand-in (the testing port). */
export interface TriageUi {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string): void;
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions & { canPickMany?: false }): Thenable<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<readonly T[] | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /** The chat pick of a palette verb with no chat panel focused. */
  chooseChat(title: string): Promise<{ chatID: string; title?: string } | undefined>;
}

type ChatArg = InboxNode | TreeNode | string | { chatID?: string; fromSelection?: boolean } | undefined;

const VERB_COMMANDS: Record<TriageVerb, string> = {
  archive: 'beeper.chat.archive',
  unarchive: 'beeper.chat.unarchive',
  pin: 'beeper.chat.pin',
  unpin: 'beeper.chat.unpin',
  mute: 'beeper.chat.mute',
  unmute: 'beeper.chat.unmute',
  markUnread: 'beeper.chat.markUnread',
  markRead: 'beeper.chat.markRead',
  lowPriority: 'beeper.chat.lowPriority',
  primary: 'beeper.chat.primary',
  remind: 'beeper.chat.remind',
  clearReminder: 'beeper.chat.clearReminder',
  rename: 'beeper.chat.rename',
  disappearing: 'beeper.chat.disappearing',
};

/** The title of a verb's chat pick, and its words for "done" and "could not". */
function words(verb: TriageVerb, title: string): { pick: string; done?: string; failed: (why: string) => string; already: string } {
  const t = vscode.l10n.t;
  switch (verb) {
    case 'archive':
      return { pick: t('Archive Chat'), done: t('Archived “{0}”.', title), failed: (w) => t('Beeper: could not archive “{0}”, because: {1}', title, w), already: t('“{0}” is archived already.', title) };
    case 'unarchive':
      return { pick: t('Unarchive Chat'), done: t('Moved “{0}” back to the Inbox.', title), failed: (w) => t('Beeper: could not unarchive “{0}”, because: {1}', title, w), already: t('“{0}” is not archived.', title) };
    case 'pin':
      return { pick: t('Pin Chat'), failed: (w) => t('Beeper: could not pin “{0}”, because: {1}', title, w), already: t('“{0}” is pinned already.', title) };
    case 'unpin':
      return { pick: t('Unpin Chat'), failed: (w) => t('Beeper: could not unpin “{0}”, because: {1}', title, w), already: t('“{0}” is not pinned.', title) };
    case 'mute':
      return { pick: t('Mute Chat'), done: t('Muted “{0}”.', title), failed: (w) => t('Beeper: could not mute “{0}”, because: {1}', title, w), already: t('“{0}” is muted already.', title) };
    case 'unmute':
      return { pick: t('Unmute Chat'), done: t('Unmuted “{0}”.', title), failed: (w) => t('Beeper: could not unmute “{0}”, because: {1}', title, w), already: t('“{0}” is not muted.', title) };
    case 'markUnread':
      return { pick: t('Mark as Unread'), failed: (w) => t('Beeper: could not mark “{0}” unread, because: {1}', title, w), already: t('“{0}” is unread already.', title) };
    case 'markRead':
      return { pick: t('Mark as Read'), failed: (w) => t('Beeper: could not mark “{0}” read, because: {1}', title, w), already: t('“{0}” has nothing unread.', title) };
    case 'lowPriority':
      return { pick: t('Move to Low Priority'), done: t('Moved “{0}” to Low Priority.', title), failed: (w) => t('Beeper: could not move “{0}” to Low Priority, because: {1}', title, w), already: t('“{0}” is in Low Priority already.', title) };
    case 'primary':
      return { pick: t('Move to Inbox'), done: t('Moved “{0}” to the Inbox.', title), failed: (w) => t('Beeper: could not move “{0}” to the Inbox, because: {1}', title, w), already: t('“{0}” is in the Inbox already.', title) };
    case 'remind':
      return { pick: t('Remind Me About This Chat'), failed: (w) => t('Beeper: could not set a reminder on “{0}”, because: {1}', title, w), already: '' };
    case 'clearReminder':
      return { pick: t('Clear Reminder'), failed: (w) => t('Beeper: could not clear the reminder on “{0}”, because: {1}', title, w), already: t('“{0}” has no reminder.', title) };
    case 'rename':
      return { pick: t('Rename Chat'), failed: (w) => t('Beeper: could not rename “{0}”, because: {1}', title, w), already: '' };
    case 'disappearing':
      return { pick: t('Set Disappearing Messages'), failed: (w) => t('Beeper: could not change disappearing messages in “{0}”, because: {1}', title, w), already: '' };
  }
}

export interface TriageCommandDeps {
  connection: ConnectionService;
  model: BeeperModel;
  loader: ModelLoader;
  triage: Triage;
  panels: ChatPanels;
  inbox: InboxProvider;
  accountLabel(accountID: string): string | undefined;
}

export class TriageCommands implements vscode.Disposable {
  private ui: TriageUi;
  /** What Undo would do now (Beeper: Undo Last Triage). */
  private lastUndo: { chatID: string; verb: TriageVerb } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly d: TriageCommandDeps) {
    this.ui = vscodeUi(d);
    for (const verb of Object.keys(VERB_COMMANDS) as TriageVerb[]) {
      this.disposables.push(vscode.commands.registerCommand(VERB_COMMANDS[verb], (arg?: ChatArg) => this.run(verb, arg)));
    }
    this.disposables.push(
      vscode.commands.registerCommand('beeper.chat.togglePin', (arg?: ChatArg) => this.toggle(arg, (c) => (c.isPinned ? 'unpin' : 'pin'))),
      vscode.commands.registerCommand('beeper.chat.toggleRead', (arg?: ChatArg) => this.toggle(arg, (c) => (c.unreadCount > 0 || c.isMarkedUnread ? 'markRead' : 'markUnread'))),
      vscode.commands.registerCommand('beeper.undoTriage', () => this.undo()),
      vscode.commands.registerCommand('beeper.newGroupChat', (arg?: unknown) => this.newGroupChat(arg)),
      vscode.commands.registerCommand('beeper.inbox.filter', () => this.pickFilter()),
      vscode.commands.registerCommand('beeper.inbox.clearFilter', () => d.inbox.setFilter(INBOX_ALL)),
      vscode.commands.registerCommand('beeper.inbox.showUnread', () => d.inbox.setFilter({ kind: 'unread' })),
      vscode.commands.registerCommand('beeper.inbox.loadMore', () => d.inbox.loadMore()),
      vscode.commands.registerCommand('beeper.inbox.showNewer', () => d.inbox.showNewer()),
      vscode.commands.registerCommand('beeper.inbox.refresh', () => d.inbox.refresh()),
      // The focused chat panel's chat, as words for its title-bar menus.
      d.panels.onDidChangeActive(() => this.updateActiveChat()),
      d.model.onDidChange((c) => {
        if (c.kind === 'chat' && c.id === d.panels.active?.chatID) this.updateActiveChat();
      }),
    );
  }

  /** Test stand-in for the notifications and picks (undefined: VS Code's own again). */
  useForTesting(ui: TriageUi | undefined): void {
    this.ui = ui ?? vscodeUi(this.d);
  }

  updateActiveChat(): void {
    const chat = this.d.panels.active?.chat;
    setContext('beeper.activeChat', chat ? triageContext(this.d.model.chat(chat.id) ?? chat) : '');
  }

  /** The chat a verb acts on: the row, the Inbox's selection, the focused panel, or a pick. */
  private async target(arg: ChatArg, title: string): Promise<Chat | undefined> {
    const m = this.d.model;
    if (typeof arg === 'string' && arg) return m.chat(arg) ?? this.d.loader.readChat(arg, 20);
    if (arg && typeof arg === 'object') {
      if ('kind' in arg) {
        if (arg.kind === 'chat') return 'chatID' in arg ? m.chat(arg.chatID) : (m.chat(arg.chat.id) ?? arg.chat);
        return undefined;
      }
      if ('fromSelection' in arg && arg.fromSelection) return this.d.inbox.selectedChat();
      if (typeof arg.chatID === 'string' && arg.chatID) return m.chat(arg.chatID) ?? this.d.loader.readChat(arg.chatID, 20);
    }
    const panel = this.d.panels.active;
    if (panel?.chat) return m.chat(panel.chatID) ?? panel.chat;
    const picked = await this.ui.chooseChat(title);
    if (!picked) return undefined;
    return m.chat(picked.chatID) ?? this.d.loader.readChat(picked.chatID, 20);
  }

  private async toggle(arg: ChatArg, verbOf: (chat: Chat) => TriageVerb): Promise<boolean> {
    const chat = await this.target(arg, vscode.l10n.t('Pick a chat'));
    return chat ? this.run(verbOf(chat), chat.id) : false;
  }

  /** Runs one verb on one chat; true when it was done. */
  async run(verb: TriageVerb, arg?: ChatArg): Promise<boolean> {
    if (!(await ensureConnected(this.d.connection))) return false;
    let chat: Chat | undefined;
    try {
      chat = await this.target(arg, words(verb, '').pick);
    } catch (e) {
      this.ui.error(vscode.l10n.t('Beeper: could not read the chat, because: {0}', untrusted(describeError(e), 600)));
      return false;
    }
    if (!chat) return false;
    const title = untrusted(chat.title, 80);
    const w = words(verb, title);
    const why = notAllowed(verb, chat);
    if (why) {
      void this.ui.info(why === 'already' ? w.already : why === 'direct' ? vscode.l10n.t('“{0}” is a direct chat: it takes the other person’s name.', title) : why === 'readOnly' ? vscode.l10n.t('“{0}” is read-only.', title) : vscode.l10n.t('{0}: not offered for “{1}” on {2}.', w.pick, title, untrusted(chat.network, 60)));
      return false;
    }
    const args = await this.argsFor(verb, chat);
    if (!args) return false;
    const result = await this.d.triage.run(chat, verb, args);
    if (result.duplicate) return false;
    if (!result.ok) {
      this.ui.error(w.failed(untrusted(describeError(result.error), 600)));
      return false;
    }
    const undo = UNDO_OF[verb];
    this.lastUndo = undo ? { chatID: chat.id, verb: undo } : undefined;
    if (verb === 'remind' && args.reminder) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(bell) Beeper will remind you about “{0}” {1}.', title, reminderWhen(Date.parse(args.reminder.remindAt), Date.now())), 5000);
    } else if (w.done && undo && (verb === 'archive' || verb === 'mute' || verb === 'lowPriority')) {
      const undoLabel = vscode.l10n.t('Undo');
      void this.ui.info(w.done, undoLabel).then((choice) => {
        if (choice === undoLabel) void this.undo();
      });
    }
    return true;
  }

  /** Undoes the last archive, mute or low priority (and the other reversible verbs). */
  async undo(): Promise<boolean> {
    const last = this.lastUndo;
    if (!last) {
      void this.ui.info(vscode.l10n.t('Nothing to undo.'));
      return false;
    }
    this.lastUndo = undefined;
    const chat = this.d.model.chat(last.chatID);
    if (!chat) return false;
    const result = await this.d.triage.run(chat, last.verb);
    if (!result.ok && !result.duplicate) this.ui.error(words(last.verb, untrusted(chat.title, 80)).failed(untrusted(describeError(result.error), 600)));
    return result.ok;
  }

  private async argsFor(verb: TriageVerb, chat: Chat): Promise<TriageArgs | undefined> {
    const title = untrusted(chat.title, 80);
    switch (verb) {
      case 'remind': {
        const reminder = await this.pickReminder(title);
        return reminder ? { reminder } : undefined;
      }
      case 'rename': {
        const value = await this.ui.input({
          title: vscode.l10n.t('Rename “{0}”', title),
          value: chat.title,
          prompt: vscode.l10n.t('The new name, for everyone in the group.'),
          validateInput: (v) => (!v.trim() ? vscode.l10n.t('A group needs a name.') : v.length > 255 ? vscode.l10n.t('At most 255 characters.') : undefined),
        });
        return value === undefined || value.trim() === chat.title ? undefined : { title: value.trim() };
      }
      case 'disappearing': {
        const current = chat.messageExpirySeconds ?? null;
        const items: (vscode.QuickPickItem & { seconds: number | null })[] = [
          { label: vscode.l10n.t('Off'), seconds: null, description: current === null ? vscode.l10n.t('current') : undefined },
          ...expiryChoices(chat.capabilities?.disappearingTimer?.timers).map((seconds) => ({ label: timerLabel(seconds), seconds, description: current === seconds ? vscode.l10n.t('current') : undefined })),
        ];
        const picked = await this.ui.pick(items, { title: vscode.l10n.t('Disappearing messages in “{0}”', title), placeHolder: vscode.l10n.t('New messages disappear after…') });
        return picked && picked.seconds !== current ? { expirySeconds: picked.seconds } : undefined;
      }
      default:
        return {};
    }
  }

  /** "In 1 hour" … "Pick a date and time…", and "…unless someone writes first" (a toggle row). */
  private async pickReminder(title: string): Promise<ChatReminder | undefined> {
    let dismiss = false;
    for (;;) {
      const now = new Date();
      const names: Record<string, string> = {
        hour: vscode.l10n.t('In 1 hour'),
        evening: vscode.l10n.t('This evening (18:00)'),
        tomorrow: vscode.l10n.t('Tomorrow morning (09:00)'),
        monday: vscode.l10n.t('Next Monday (09:00)'),
      };
      type Item = vscode.QuickPickItem & { at?: number; custom?: boolean; toggle?: boolean };
      const items: Item[] = [
        ...reminderChoices(now).map((c) => ({ label: names[c.id]!, description: new Date(c.at).toLocaleString(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }), at: c.at })),
        { label: vscode.l10n.t('Pick a date and time…'), custom: true },
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: `${dismiss ? '$(check)' : '$(circle-large-outline)'} ${vscode.l10n.t('…unless someone writes first')}`, description: dismiss ? vscode.l10n.t('on') : vscode.l10n.t('off'), toggle: true },
      ];
      const picked = await this.ui.pick(items, { title: vscode.l10n.t('Remind me about “{0}”', title), placeHolder: vscode.l10n.t('When?') });
      if (!picked) return undefined;
      if (picked.toggle) {
        dismiss = !dismiss;
        continue;
      }
      let at = picked.at;
      if (picked.custom) {
        const typed = await this.ui.input({
          title: vscode.l10n.t('Remind me about “{0}”', title),
          prompt: vscode.l10n.t('A date and time in your local time, like 2026-12-24 09:30, or a time like 17:45.'),
          validateInput: (v) => {
            const r = parseReminderTime(v, new Date());
            if ('at' in r) return { message: vscode.l10n.t('Reminds you {0}', new Date(r.at).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' })), severity: vscode.InputBoxValidationSeverity.Info };
            return r.error === 'past' ? vscode.l10n.t('That time has passed.') : r.error === 'far' ? vscode.l10n.t('At most five years ahead.') : vscode.l10n.t('Type a date and time like 2026-12-24 09:30, or a time like 17:45.');
          },
        });
        if (typed === undefined) return undefined;
        const r = parseReminderTime(typed, new Date());
        if (!('at' in r)) return undefined;
        at = r.at;
      }
      if (at === undefined) return undefined;
      return { remindAt: new Date(at).toISOString(), ...(dismiss ? { dismissOnIncomingMessage: true } : {}) };
    }
  }

  private async pickFilter(): Promise<void> {
    const t = vscode.l10n.t;
    const current = this.d.inbox.filter;
    type Item = vscode.QuickPickItem & { filter?: InboxFilter };
    const simple: InboxFilter[] = [{ kind: 'all' }, { kind: 'unread' }, { kind: 'mentions' }, { kind: 'dms' }, { kind: 'groups' }, { kind: 'lowPriority' }, { kind: 'archived' }, { kind: 'reminders' }];
    const icons: Record<string, string> = { all: 'inbox', unread: 'mail', mentions: 'mention', dms: 'comment', groups: 'comment-discussion', lowPriority: 'arrow-down', archived: 'archive', reminders: 'bell' };
    const same = (f: InboxFilter) => JSON.stringify(f) === JSON.stringify(current);
    const label = (f: InboxFilter) => filterLabel(f, (id) => this.d.accountLabel(id));
    const items: Item[] = simple.map((f) => ({ label: `$(${icons[f.kind]}) ${label(f)}`, description: same(f) ? t('current') : undefined, filter: f }));
    try {
      await this.d.loader.ensureAccounts();
    } catch {
      // Without accounts the pick offers the filters that need none.
    }
    const groups = this.d.model.groups.filter((g) => g.accounts.length > 0);
    if (groups.length) items.push({ label: t('Networks'), kind: vscode.QuickPickItemKind.Separator });
    for (const g of groups) {
      const f: InboxFilter = { kind: 'network', network: g.displayName, accountIDs: g.accounts.map((a) => a.accountID) };
      items.push({ label: `$(globe) ${safeLabel(g.displayName, 60)}`, description: same(f) ? t('current') : undefined, filter: f });
    }
    const accounts = groups.flatMap((g) => g.accounts);
    if (accounts.length > 1) items.push({ label: t('Accounts'), kind: vscode.QuickPickItemKind.Separator });
    if (accounts.length > 1) {
      for (const a of accounts) {
        const f: InboxFilter = { kind: 'account', accountID: a.accountID };
        items.push({ label: `$(account) ${safeLabel(this.d.accountLabel(a.accountID) ?? accountName(a), 80)}`, description: same(f) ? t('current') : undefined, filter: f });
      }
    }
    const picked = await this.ui.pick(items, { title: t('Filter Inbox'), placeHolder: t('Show which chats?'), matchOnDescription: true });
    if (picked?.filter) await this.d.inbox.setFilter(picked.filter);
  }

  /** An account (connected ones), contacts (two or more), an optional title: POST /v1/chats, then its panel. */
  private async newGroupChat(arg: unknown): Promise<boolean> {
    if (!(await ensureConnected(this.d.connection))) return false;
    const t = vscode.l10n.t;
    try {
      await this.d.loader.ensureAccounts();
    } catch (e) {
      this.ui.error(t('Beeper: could not read your accounts, because: {0}', untrusted(describeError(e), 600)));
      return false;
    }
    const given = arg && typeof arg === 'object' && 'kind' in arg && (arg as TreeNode).kind === 'account' ? (arg as TreeNode & { kind: 'account' }).account : undefined;
    const usable = this.d.model.accounts.filter((a) => statusCategory(a.status) !== 'off');
    let account = given;
    if (!account) {
      const picked = await this.ui.pick(
        usable.map((a) => ({ label: safeLabel(this.d.accountLabel(a.accountID) ?? accountName(a), 80), description: a.status && a.status !== 'connected' ? safeLabel(a.statusText ?? a.status, 80) : undefined, account: a })),
        { title: t('New Group Chat'), placeHolder: t('On which account?') },
      );
      account = picked?.account;
    }
    if (!account) return false;
    let contacts: User[];
    try {
      const client = await this.d.connection.client();
      const page = await client.listContacts(account.accountID, { limit: 100 });
      contacts = page.items.filter((u) => !u.isSelf && !u.cannotMessage);
    } catch (e) {
      this.ui.error(t('Beeper: could not read the contacts, because: {0}', untrusted(describeError(e), 600)));
      return false;
    }
    const people = await this.ui.pickMany(
      contacts.map((u) => ({ label: safeLabel(u.fullName ?? u.username ?? u.id, 80), description: safeLabel(u.username ?? u.phoneNumber ?? u.email ?? '', 80) || undefined, user: u })),
      { title: t('New Group Chat'), placeHolder: t('Who is in it? Pick two or more people.'), canPickMany: true, matchOnDescription: true },
    );
    if (!people || people.length === 0) return false;
    const title = await this.ui.input({ title: t('New Group Chat'), prompt: t('A name for the group (optional).'), validateInput: (v) => (v.length > 255 ? t('At most 255 characters.') : undefined) });
    if (title === undefined) return false;
    try {
      const client = await this.d.connection.client();
      const chat = await client.createChat({ accountID: account.accountID, type: 'group', participantIDs: people.map((p) => p.user.id), ...(title.trim() ? { title: title.trim() } : {}) });
      this.d.model.upsertChat(chat);
      await this.d.panels.open(chat.id, chat.title);
      return true;
    } catch (e) {
      this.ui.error(t('Beeper: could not create the group, because: {0}', untrusted(describeError(e), 600)));
      return false;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function timerLabel(seconds: number): string {
  const { n, unit } = expiryWords(seconds);
  const t = vscode.l10n.t;
  switch (unit) {
    case 'week':
      return n === 1 ? t('1 week') : t('{0} weeks', n);
    case 'day':
      return n === 1 ? t('1 day') : t('{0} days', n);
    case 'hour':
      return n === 1 ? t('1 hour') : t('{0} hours', n);
    case 'minute':
      return n === 1 ? t('1 minute') : t('{0} minutes', n);
    default:
      return n === 1 ? t('1 second') : t('{0} seconds', n);
  }
}

function vscodeUi(deps: TriageCommandDeps): TriageUi {
  return {
    info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
    error: (message) => void vscode.window.showErrorMessage(message),
    pick: (items, options) => vscode.window.showQuickPick(items, options),
    pickMany: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
    input: (options) => vscode.window.showInputBox(options),
    chooseChat: (title) => pickChat(deps.connection, (id) => deps.accountLabel(id), title),
  };
}
