// "Beeper: What Needs Me?": the catch-up ranking (src/model/catchUp.ts) in a quick pick, with no
// language model. Each row says why it is there; Enter opens the chat, and its buttons mark it
// read, archive it, set a reminder or start a reply. A row that was dealt with leaves the list.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { ConnectionService } from '../connection/connectionService';
import type { BeeperModel } from '../model/model';
import type { CatchUpResult, CatchUpSource } from '../model/catchUpSource';
import type { Need, NeedKind } from '../model/catchUp';
import { setting } from '../host/settings';
import { loadMessageText } from '../text/messageTextLoader';
import { untrusted, untrustedLabel } from '../text/untrusted';
import type { ChatPanels } from '../webviews/chatPanels';
import type { TriageCommands } from './triageCommands';
import { ensureConnected } from './guard';

export interface CatchUpItem extends vscode.QuickPickItem {
  need?: Need;
}

/** The open pick (tests read its rows and press its buttons). */
export interface CatchUpPickHandle {
  readonly pick: vscode.QuickPick<CatchUpItem>;
  readonly result: CatchUpResult;
  press(item: CatchUpItem, button: 'markRead' | 'archive' | 'remind' | 'draft'): Promise<void>;
  accept(item: CatchUpItem): Promise<void>;
}

let current: CatchUpPickHandle | undefined;
export function currentCatchUpPick(): CatchUpPickHandle | undefined {
  return current;
}

/** The message HTML as its author's own words (quotes left out), for the ranking. */
export function ownText(html: string): string {
  return loadMessageText().htmlToText(html, 2000, { skipQuotes: true });
}

/** A time worded for a row: the clock today, the date before. */
function when(at: number | undefined, now: number): string {
  if (at === undefined) return '';
  const d = new Date(at);
  return new Date(now).toDateString() === d.toDateString() ? d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }) : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Why a chat is listed, in words: "mentioned you 2× · 14:02", "reminder due", "asked: can you…?". */
export function whyText(n: Need, now = Date.now()): string {
  const t = vscode.l10n.t;
  const time = when(n.at, now);
  const at = (s: string) => (time ? `${s} · ${time}` : s);
  let why: string;
  switch (n.kind) {
    case 'reminder':
      why = at(t('reminder due'));
      break;
    case 'mention':
      why = at(n.count === 1 ? t('mentioned you') : t('mentioned you {0}×', n.count));
      break;
    case 'direct':
      why = at(n.count === 1 ? t('1 unread message') : t('{0} unread messages', n.count));
      break;
    case 'markedUnread':
      why = t('marked unread');
      break;
    case 'asked': {
      const words = untrusted(n.asked?.text ?? '', 90);
      why = n.asked?.how === 'reply' ? t('replied to you: {0}', words) : n.asked?.how === 'name' ? t('said your name: {0}', words) : t('asked: {0}', words);
      break;
    }
    default:
      why = at(n.count === 1 ? t('1 unread message') : t('{0} unread messages', n.count));
  }
  if (n.quiet) why = `${n.chat.isMuted ? t('muted') : t('low priority')} · ${why}`;
  return why;
}

function tierLabel(kind: NeedKind): string {
  const t = vscode.l10n.t;
  switch (kind) {
    case 'reminder':
      return t('Reminders due');
    case 'mention':
      return t('Mentions');
    case 'direct':
      return t('Direct messages');
    case 'markedUnread':
      return t('Marked unread');
    case 'asked':
      return t('Asked you');
    default:
      return t('Other unread');
  }
}

const ICONS: Record<NeedKind, string> = { reminder: 'bell-dot', mention: 'mention', direct: 'comment', markedUnread: 'circle-filled', asked: 'question', unread: 'comment-discussion' };

export function registerCatchUpCommands(d: {
  connection: ConnectionService;
  model: BeeperModel;
  source: CatchUpSource;
  panels: ChatPanels;
  triage: TriageCommands;
  accountLabel(accountID: string): string | undefined;
  log: { debug(message: string): void };
}): vscode.Disposable[] {
  const buttons = {
    markRead: { iconPath: new vscode.ThemeIcon('check'), tooltip: vscode.l10n.t('Mark as Read') },
    archive: { iconPath: new vscode.ThemeIcon('archive'), tooltip: vscode.l10n.t('Archive') },
    remind: { iconPath: new vscode.ThemeIcon('bell'), tooltip: vscode.l10n.t('Remind Me…') },
    draft: { iconPath: new vscode.ThemeIcon('edit'), tooltip: vscode.l10n.t('Draft Reply') },
  };

  const rows = (result: CatchUpResult): CatchUpItem[] => {
    const items: CatchUpItem[] = [];
    const now = Date.now();
    let section: string | undefined;
    for (const need of result.needs) {
      const label = need.quiet ? vscode.l10n.t('Muted and low priority') : tierLabel(need.kind);
      if (label !== section) {
        items.push({ label, kind: vscode.QuickPickItemKind.Separator });
        section = label;
      }
      const network = untrusted(d.accountLabel(need.chat.accountID) ?? need.chat.network, 60);
      items.push({
        label: `$(${ICONS[need.kind]}) ${untrustedLabel(need.chat.title, 120)}`,
        description: whyText(need, now),
        detail: network,
        need,
        buttons: [buttons.markRead, buttons.archive, buttons.remind, buttons.draft],
      });
    }
    return items;
  };

  async function act(item: CatchUpItem, which: keyof typeof buttons, pick: vscode.QuickPick<CatchUpItem>): Promise<void> {
    const need = item.need;
    if (!need) return;
    const drop = () => {
      pick.items = pick.items.filter((i) => i !== item);
      // A heading with nothing under it goes too.
      pick.items = pick.items.filter((i, k, all) => i.kind !== vscode.QuickPickItemKind.Separator || (all[k + 1] && all[k + 1]!.kind !== vscode.QuickPickItemKind.Separator));
      pick.title = titleOf(pick.items.filter((i) => i.need).length);
    };
    switch (which) {
      case 'markRead':
        if (await d.triage.run('markRead', need.chat.id)) drop();
        return;
      case 'archive':
        if (await d.triage.run('archive', need.chat.id)) drop();
        return;
      case 'remind':
        pick.hide();
        await d.triage.run('remind', need.chat.id);
        return;
      case 'draft':
        pick.hide();
        await draftReply(need.chat, need.asked?.messageID);
        return;
    }
  }

  /** A reply: with VS Code chat and a model, `@beeper /draft`; otherwise the chat's composer, replying to what asked. */
  async function draftReply(chat: { id: string; title: string }, replyTo?: string): Promise<void> {
    if (setting('chat.participant') && typeof vscode.chat?.createChatParticipant === 'function') {
      const models = await vscode.lm.selectChatModels().then(undefined, () => []);
      if (models.length) {
        // The title in quotes, so /draft finds the chat; the user types what to say.
        await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@beeper /draft "${chat.title.replace(/["\s]+/g, ' ').trim().slice(0, 80)}" `, isPartialQuery: true });
        return;
      }
    }
    const panel = await d.panels.open(chat.id, chat.title);
    if (replyTo) {
      await panel.whenReady();
      panel.startReply(replyTo);
    }
  }

  const titleOf = (n: number) => (n === 0 ? vscode.l10n.t('What Needs Me? — nothing; you are all caught up 🎉') : n === 1 ? vscode.l10n.t('What Needs Me? — 1 chat') : vscode.l10n.t('What Needs Me? — {0} chats', n));

  return [
    // A chat's Draft Reply button (in @beeper's answers): the chat by ID.
    vscode.commands.registerCommand('beeper.draftReply', async (chatID?: unknown) => {
      if (typeof chatID !== 'string') return;
      const chat = d.model.chat(chatID);
      await draftReply({ id: chatID, title: chat?.title ?? '' });
    }),
    // A search result in @beeper's answers: the chat opened at the message.
    vscode.commands.registerCommand('beeper.openMessage', async (chatID?: unknown, messageID?: unknown) => {
      if (typeof chatID !== 'string' || typeof messageID !== 'string') return;
      await d.panels.openAt(chatID, messageID, d.model.chat(chatID)?.title);
    }),
    vscode.commands.registerCommand('beeper.catchUp', async () => {
      if (!(await ensureConnected(d.connection))) return undefined;
      const pick = vscode.window.createQuickPick<CatchUpItem>();
      pick.title = vscode.l10n.t('What Needs Me?');
      pick.placeholder = vscode.l10n.t('Type to filter. Enter opens the chat; the buttons mark it read, archive it, remind you or start a reply.');
      pick.matchOnDescription = true;
      pick.busy = true;
      pick.show();
      const abort = new AbortController();
      const disposables: vscode.Disposable[] = [];
      disposables.push(pick.onDidHide(() => {
        abort.abort();
        for (const x of disposables) x.dispose();
        pick.dispose();
        if (current?.pick === pick) current = undefined;
      }));
      let result: CatchUpResult;
      try {
        result = await d.source.read({ quiet: setting('catchUp.quietChats'), ownText, signal: abort.signal });
      } catch (e) {
        if (abort.signal.aborted) return undefined;
        pick.hide();
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not read what needs you, because: {0}', untrusted(describeError(e), 600)));
        return undefined;
      }
      pick.items = rows(result);
      pick.title = titleOf(result.needs.length);
      pick.busy = false;
      const accept = async (item: CatchUpItem) => {
        if (!item.need) return;
        pick.hide();
        await d.panels.open(item.need.chat.id, item.need.chat.title);
      };
      disposables.push(
        pick.onDidAccept(() => {
          const item = pick.selectedItems[0] ?? pick.activeItems[0];
          if (item) void accept(item);
        }),
        pick.onDidTriggerItemButton((e) => {
          const which = (Object.keys(buttons) as (keyof typeof buttons)[]).find((k) => buttons[k] === e.button);
          if (which) void act(e.item, which, pick).catch((err: unknown) => d.log.debug(`A catch-up action failed: ${String(err)}`));
        }),
      );
      current = { pick, result, press: (item, which) => act(item, which, pick), accept };
      return result.needs.length;
    }),
  ];
}
