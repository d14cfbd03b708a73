// "Beeper: Search Messages…": a quick pick that searches as you type (debounced; a newer query
// aborts the older request), matches grouped by chat with the sender, time and a snippet, the
// words highlighted by the pick itself (never markup), "Load more…", filter buttons that insert
// the query words, Enter opening the chat at the message, and a button that keeps the results in
// the `beeper.searchResults` view.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Chat, Message } from '../api/types';
import { safeLabel } from '../model/labels';
import { snippet } from '../model/searchQuery';
import { relativeTime } from '../text/format';
import { untrusted } from '../text/untrusted';
import type { ChatPanels } from '../webviews/chatPanels';
import type { MessageSearch, ResolvedSearch, SearchMeaning } from './messageSearch';
import type { SearchResultsProvider } from './searchView';

/** Typing pauses this long before the pick searches. */
const DEBOUNCE_MS = 250;

interface Item extends vscode.QuickPickItem {
  message?: Message;
  chat?: Chat;
  more?: boolean;
}

/** The open search pick (tests type into it and read its rows). */
export interface SearchPickHandle {
  readonly pick: vscode.QuickPick<vscode.QuickPickItem>;
  type(value: string): void;
  /** Settles when the search started by the last typing has been drawn. */
  idle(): Promise<void>;
  accept(item: vscode.QuickPickItem): Promise<void>;
}

let current: SearchPickHandle | undefined;
export function currentSearchPick(): SearchPickHandle | undefined {
  return current;
}

/** The text of a message as one line for a row (Matrix HTML → text, bounded). */
export type MessageLine = (m: Message) => string;

export function registerSearchCommands(search: MessageSearch, panels: ChatPanels, view: SearchResultsProvider, line: MessageLine, accountLabel: (id: string) => string | undefined): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('beeper.searchMessages', (initial?: unknown) => openSearchPick(search, panels, view, line, accountLabel, typeof initial === 'string' ? initial : '')),
    vscode.commands.registerCommand('beeper.searchResults.open', (arg?: { chatID?: string; messageID?: string; title?: string }) => (arg?.chatID && arg.messageID ? panels.openAt(arg.chatID, arg.messageID, arg.title) : undefined)),
    vscode.commands.registerCommand('beeper.searchResults.loadMore', () => view.loadMore()),
    vscode.commands.registerCommand('beeper.searchResults.clear', () => view.clear()),
  ];
}

/** What a filter word was taken to mean, in words (names come from Beeper: the caller passes the whole through `untrusted`). */
function meaningText(m: SearchMeaning): string {
  const t = vscode.l10n.t;
  switch (m.kind) {
    case 'accounts':
      return m.count === 1 ? t('account: 1 account') : t('account: {0} accounts', m.count);
    case 'chats':
      return m.count === 1 ? t('in: 1 chat') : t('in: {0} chats', m.count);
    case 'fromYou':
      return t('from: you');
    case 'from':
      return t('from: {0}', m.name);
    case 'fromNobody':
      return t('from: nobody named {0}', m.name);
  }
}

/** Rows for a page of matches: a separator per chat (in the order the chats first appear), then its messages. */
export function searchRows(messages: readonly Message[], chats: Record<string, Chat>, search: ResolvedSearch, line: MessageLine, accountLabel: (id: string) => string | undefined): Item[] {
  const byChat = new Map<string, Message[]>();
  for (const m of messages) {
    const list = byChat.get(m.chatID) ?? [];
    list.push(m);
    byChat.set(m.chatID, list);
  }
  const now = Date.now();
  const rows: Item[] = [];
  for (const [chatID, list] of byChat) {
    const chat = chats[chatID];
    const network = chat ? (chat.network || accountLabel(chat.accountID) || '') : '';
    rows.push({ label: `${safeLabel(chat?.title ?? chatID, 80)}${network ? ` · ${safeLabel(network, 40)}` : ''}`, kind: vscode.QuickPickItemKind.Separator });
    for (const m of list) {
      rows.push({
        label: safeLabel(m.isSender ? vscode.l10n.t('You') : (m.senderName ?? m.senderID), 60),
        // The chat on the row too: the pick hides its separators while it highlights the typed words.
        description: [chat ? safeLabel(chat.title, 60) : '', relativeTime(m.timestamp, now)].filter(Boolean).join(' · '),
        // Plain text through the one helper; the pick itself highlights the typed words.
        detail: untrusted(snippet(line(m), search.parsed.words), 200) || vscode.l10n.t('(attachment)'),
        alwaysShow: true,
        message: m,
        chat,
      });
    }
  }
  return rows;
}

async function openSearchPick(search: MessageSearch, panels: ChatPanels, view: SearchResultsProvider, line: MessageLine, accountLabel: (id: string) => string | undefined, initial: string): Promise<void> {
  const t = vscode.l10n.t;
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = t('Search Messages');
  pick.placeholder = t('Words, and from:NAME in:"CHAT" account:NETWORK before: after: has:image|video|file|link is:dm|group');
  pick.matchOnDetail = true;
  pick.matchOnDescription = false;
  pick.keepScrollPosition = true;
  const filterButtons: (vscode.QuickInputButton & { insert: string })[] = [
    { iconPath: new vscode.ThemeIcon('person'), tooltip: t('From a person (from:NAME)'), insert: 'from:' },
    { iconPath: new vscode.ThemeIcon('comment-discussion'), tooltip: t('In a chat (in:"CHAT")'), insert: 'in:"' },
    { iconPath: new vscode.ThemeIcon('globe'), tooltip: t('In an account or network (account:NETWORK)'), insert: 'account:' },
    { iconPath: new vscode.ThemeIcon('calendar'), tooltip: t('Since a day (after:yesterday, after:2026-11-01)'), insert: 'after:' },
    { iconPath: new vscode.ThemeIcon('file-media'), tooltip: t('With media (has:image, has:file, has:link)'), insert: 'has:' },
  ];
  const toView: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('list-tree'), tooltip: t('Keep the results in the Search Results view') };
  pick.buttons = [...filterButtons, toView];
  let abort: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let state: { search: ResolvedSearch; messages: Message[]; chats: Record<string, Chat>; cursor: string | null; hasMore: boolean } | undefined;

  const draw = () => {
    if (!state) return;
    const rows = searchRows(state.messages, state.chats, state.search, line, accountLabel);
    if (!rows.length) rows.push({ label: state.search.empty ? t('Nothing matches: {0}', untrusted(state.search.meaning.map(meaningText).join(', '), 160)) : t('No messages match'), alwaysShow: true });
    if (state.hasMore) rows.push({ label: `$(ellipsis) ${t('Load more…')}`, alwaysShow: true, more: true });
    pick.items = rows;
    const said = [...state.search.meaning.map(meaningText), ...state.search.parsed.unmapped.map((u) => t('“{0}” searched as text', untrusted(u, 40)))];
    pick.title = said.length ? `${t('Search Messages')} — ${untrusted(said.join(' · '), 160)}` : t('Search Messages');
  };

  const run = (query: string) => {
    abort?.abort();
    const controller = (abort = new AbortController());
    if (!query.trim()) {
      state = undefined;
      pick.items = [];
      pick.busy = false;
      return (running = Promise.resolve());
    }
    pick.busy = true;
    return (running = (async () => {
      try {
        const resolved = await search.resolve(query, controller.signal);
        const page = await search.page(resolved, null, controller.signal);
        if (controller.signal.aborted) return;
        state = { search: resolved, messages: page.messages, chats: page.chats, cursor: page.cursor, hasMore: page.hasMore };
        draw();
      } catch (e) {
        if (controller.signal.aborted) return;
        pick.items = [{ label: `$(error) ${t('Search failed')}`, detail: untrusted(describeError(e), 600), alwaysShow: true }];
      } finally {
        if (!controller.signal.aborted) pick.busy = false;
      }
    })());
  };

  const more = async () => {
    if (!state?.hasMore) return;
    const s = state;
    pick.busy = true;
    try {
      const page = await search.page(s.search, s.cursor, abort?.signal);
      if (state !== s) return;
      s.messages.push(...page.messages);
      Object.assign(s.chats, page.chats);
      s.cursor = page.cursor;
      s.hasMore = page.hasMore;
      draw();
    } catch (e) {
      void vscode.window.showErrorMessage(t('Beeper: could not load more matches, because: {0}', untrusted(describeError(e), 600)));
    } finally {
      pick.busy = false;
    }
  };

  const typed = (value: string) => {
    clearTimeout(timer);
    pick.busy = true;
    timer = setTimeout(() => void run(value), DEBOUNCE_MS);
  };
  const accept = async (item: Item | undefined) => {
    if (!item) return;
    if (item.more) return more();
    if (!item.message) return;
    pick.hide();
    await panels.openAt(item.message.chatID, item.message.id, item.chat?.title);
  };
  const handle: SearchPickHandle = {
    pick: pick,
    type: (value) => {
      pick.value = value;
      typed(value);
    },
    idle: async () => {
      while (timer && pick.busy) await new Promise((r) => setTimeout(r, DEBOUNCE_MS));
      await running;
    },
    accept: (item) => accept(item),
  };
  current = handle;
  try {
    await new Promise<void>((resolve) => {
      pick.onDidChangeValue(typed);
      pick.onDidAccept(() => void accept(pick.activeItems[0]));
      pick.onDidTriggerButton((button) => {
        if (button === toView) {
          if (pick.value.trim()) void view.show(pick.value);
          pick.hide();
          return;
        }
        const insert = (button as (typeof filterButtons)[number]).insert;
        pick.value = `${pick.value.trim()} ${insert}`.trimStart();
        typed(pick.value);
      });
      pick.onDidHide(() => resolve());
      pick.show();
      if (initial) handle.type(initial);
    });
  } finally {
    clearTimeout(timer);
    abort?.abort();
    if (current === handle) current = undefined;
    pick.dispose();
  }
}
