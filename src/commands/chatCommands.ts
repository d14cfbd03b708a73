// Opening chats: the details panel (from a tree row or a searching quick pick) and
// "Open in Beeper" (POST /v1/focus).
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Chat } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { chatDescription, safeLabel } from '../model/labels';
import type { TreeNode } from '../tree/nodes';
import type { ChatPanels } from '../webviews/chatPanels';
import { untrusted } from '../text/untrusted';
import { ensureConnected } from './guard';

/** How long typing pauses before the quick pick searches. */
const SEARCH_DEBOUNCE_MS = 250;

type ChatArg = TreeNode | string | { chatID?: string; title?: string } | undefined;

function chatFromArg(arg: ChatArg): { chatID: string; title?: string } | undefined {
  if (typeof arg === 'string') return arg ? { chatID: arg } : undefined;
  if (arg && 'kind' in arg) return arg.kind === 'chat' ? { chatID: arg.chat.id, title: arg.chat.title } : undefined;
  if (arg && typeof arg.chatID === 'string' && arg.chatID) return { chatID: arg.chatID, title: arg.title };
  return undefined;
}

export function registerChatCommands(
  connection: ConnectionService,
  panels: ChatPanels,
  accountLabel: (accountID: string) => string | undefined,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('beeper.openChat', async (arg?: ChatArg) => {
      const given = chatFromArg(arg);
      if (!given && !(await ensureConnected(connection))) return undefined;
      const target = given ?? (await pickChat(connection, accountLabel));
      if (!target) return undefined;
      return panels.open(target.chatID, target.title);
    }),
    vscode.commands.registerCommand('beeper.focusChat', async (arg?: ChatArg) => {
      if (!(await ensureConnected(connection))) return false;
      const target = chatFromArg(arg) ?? (await pickChat(connection, accountLabel));
      if (!target) return false;
      try {
        const client = await connection.client();
        const result = await client.focus({ chatID: target.chatID });
        if (!result.success) void vscode.window.showWarningMessage(vscode.l10n.t('Beeper Desktop could not open this chat.'));
        return result.success;
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not open the chat in Beeper Desktop, because: {0}', untrusted(describeError(e), 600)));
        return false;
      }
    }),
  ];
}

interface ChatPickItem extends vscode.QuickPickItem {
  chat?: Chat;
}

/**
 * A quick pick that shows recent chats at once and searches (GET /v1/chats/search?query=...) as
 * the user types; a newer query aborts the older request.
 */
export async function pickChat(
  connection: ConnectionService,
  accountLabel: (accountID: string) => string | undefined,
  title = vscode.l10n.t('Open Chat'),
): Promise<{ chatID: string; title?: string } | undefined> {
  const pick = vscode.window.createQuickPick<ChatPickItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('Type to search chats by title or network');
  pick.matchOnDescription = true;
  let abort: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const search = async (query: string) => {
    abort?.abort();
    const current = (abort = new AbortController());
    pick.busy = true;
    try {
      const client = await connection.client();
      const q = query.trim() || undefined;
      // Titles, and people: typing "Sam" also finds the groups Sam is in.
      const [titles, people] = await Promise.all([
        client.searchChats({ query: q, limit: 50 }, { signal: current.signal }),
        q ? client.searchChats({ query: q, scope: 'participants', limit: 25 }, { signal: current.signal }) : undefined,
      ]);
      if (current.signal.aborted) return;
      const now = Date.now();
      const seen = new Set(titles.items.map((c) => c.id));
      const items = [...titles.items, ...(people?.items.filter((c) => !seen.has(c.id)) ?? [])];
      pick.items = items.length
        ? items.map((chat) => ({
            label: safeLabel(chat.title),
            description: [chat.network, accountLabel(chat.accountID)].filter(Boolean).map((s) => safeLabel(s!, 80)).join(' · '),
            detail: untrusted(chatDescription(chat, now)) || undefined,
            iconPath: new vscode.ThemeIcon(chat.type === 'group' ? 'comment-discussion' : 'comment'),
            alwaysShow: true,
            chat,
          }))
        : [{ label: vscode.l10n.t('No chats match “{0}”', untrusted(query.trim(), 100)), alwaysShow: true }];
    } catch (e) {
      if (current.signal.aborted) return;
      pick.items = [{ label: `$(error) ${vscode.l10n.t('Search failed')}`, detail: untrusted(describeError(e), 600), alwaysShow: true }];
    } finally {
      if (!current.signal.aborted) pick.busy = false;
    }
  };

  try {
    return await new Promise((resolve) => {
      pick.onDidChangeValue((value) => {
        clearTimeout(timer);
        // Busy from the first keystroke: the rows shown are about to be replaced by the search's.
        pick.busy = true;
        timer = setTimeout(() => void search(value), SEARCH_DEBOUNCE_MS);
      });
      pick.onDidAccept(() => {
        const chat = pick.selectedItems[0]?.chat;
        if (!chat) return;
        resolve({ chatID: chat.id, title: chat.title });
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
      void search('');
    });
  } finally {
    clearTimeout(timer);
    abort?.abort();
    pick.dispose();
  }
}
