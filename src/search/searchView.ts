// The `beeper.searchResults` view: the results of one search kept while the user works through
// them, grouped by chat, paged ("Load more…"), the query in the view's description. Rows open the
// chat at the message. It renders what the search returned and owns nothing else.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Chat, Message } from '../api/types';
import { setContext } from '../host/contextKeys';
import { safeLabel } from '../model/labels';
import { snippet } from '../model/searchQuery';
import { relativeTime } from '../text/format';
import { untrusted } from '../text/untrusted';
import type { MessageSearch, ResolvedSearch } from './messageSearch';
import type { MessageLine } from './searchCommands';

export type SearchNode =
  | { kind: 'chat'; chatID: string }
  | { kind: 'message'; message: Message }
  | { kind: 'more' }
  | { kind: 'note'; text: string; error?: boolean };

export class SearchResultsProvider implements vscode.TreeDataProvider<SearchNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SearchNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<SearchNode> | undefined;
  private query = '';
  private search: ResolvedSearch | undefined;
  private messages: Message[] = [];
  private chats: Record<string, Chat> = {};
  private cursor: string | null = null;
  private hasMore = false;
  private error: string | undefined;
  private abort: AbortController | undefined;
  private readonly chatNodes = new Map<string, SearchNode & { kind: 'chat' }>();
  private readonly moreNode: SearchNode = { kind: 'more' };

  constructor(
    private readonly searcher: MessageSearch,
    private readonly line: MessageLine,
    private readonly accountLabel: (id: string) => string | undefined,
  ) {}

  attach(view: vscode.TreeView<SearchNode>): void {
    this.view = view;
  }

  /** The matches shown now (tests read them; views never read data from a view). */
  get shown(): readonly Message[] {
    return this.messages;
  }

  /** Runs a query and shows its first page in the view (and reveals the view). */
  async show(query: string): Promise<void> {
    this.abort?.abort();
    const controller = (this.abort = new AbortController());
    this.query = query;
    this.messages = [];
    this.chats = {};
    this.chatNodes.clear();
    this.error = undefined;
    setContext('beeper.searchResults.active', true);
    if (this.view) this.view.description = untrusted(query, 80);
    await vscode.commands.executeCommand('beeper.searchResults.focus');
    try {
      this.search = await this.searcher.resolve(query, controller.signal);
      const page = await this.searcher.page(this.search, null, controller.signal);
      if (controller.signal.aborted) return;
      this.take(page.messages, page.chats, page.cursor, page.hasMore);
    } catch (e) {
      if (controller.signal.aborted) return;
      this.error = untrusted(describeError(e), 600);
    }
    this.changed.fire(undefined);
  }

  async loadMore(): Promise<void> {
    if (!this.search || !this.hasMore) return;
    try {
      const page = await this.searcher.page(this.search, this.cursor, this.abort?.signal);
      this.take(page.messages, page.chats, page.cursor, page.hasMore);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not load more matches, because: {0}', untrusted(describeError(e), 600)));
    }
    this.changed.fire(undefined);
  }

  clear(): void {
    this.abort?.abort();
    this.search = undefined;
    this.messages = [];
    this.query = '';
    setContext('beeper.searchResults.active', false);
    this.changed.fire(undefined);
  }

  private take(messages: Message[], chats: Record<string, Chat>, cursor: string | null, hasMore: boolean): void {
    const seen = new Set(this.messages.map((m) => m.id));
    this.messages.push(...messages.filter((m) => !seen.has(m.id)));
    Object.assign(this.chats, chats);
    this.cursor = cursor;
    this.hasMore = hasMore;
  }

  getChildren(node?: SearchNode): SearchNode[] {
    if (!node) {
      if (this.error) return [{ kind: 'note', text: this.error, error: true }];
      if (!this.search) return [];
      const rows: SearchNode[] = [];
      for (const m of this.messages) {
        if (this.chatNodes.has(m.chatID)) continue;
        const n = { kind: 'chat' as const, chatID: m.chatID };
        this.chatNodes.set(m.chatID, n);
      }
      rows.push(...this.chatNodes.values());
      if (!rows.length) rows.push({ kind: 'note', text: vscode.l10n.t('No messages match “{0}”', untrusted(this.query, 80)) });
      if (this.hasMore) rows.push(this.moreNode);
      return rows;
    }
    if (node.kind === 'chat') return this.messages.filter((m) => m.chatID === node.chatID).map((message) => ({ kind: 'message', message }));
    return [];
  }

  getTreeItem(node: SearchNode): vscode.TreeItem {
    switch (node.kind) {
      case 'chat': {
        const chat = this.chats[node.chatID];
        const item = new vscode.TreeItem(safeLabel(chat?.title ?? node.chatID), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `search-chat:${node.chatID}`;
        const count = this.messages.filter((m) => m.chatID === node.chatID).length;
        item.description = [chat ? safeLabel(chat.network || this.accountLabel(chat.accountID) || '', 40) : '', count === 1 ? vscode.l10n.t('1 match') : vscode.l10n.t('{0} matches', count)].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(chat?.type === 'group' ? 'comment-discussion' : 'comment');
        return item;
      }
      case 'message': {
        const m = node.message;
        const text = untrusted(snippet(this.line(m), this.search?.parsed.words ?? []), 200) || vscode.l10n.t('(attachment)');
        const item = new vscode.TreeItem(text);
        item.id = `search-message:${m.chatID}:${m.id}`;
        item.description = `${safeLabel(m.isSender ? vscode.l10n.t('You') : (m.senderName ?? m.senderID), 40)} · ${relativeTime(m.timestamp, Date.now())}`;
        item.tooltip = new Date(m.timestamp).toLocaleString();
        item.command = { command: 'beeper.searchResults.open', title: vscode.l10n.t('Open at the Message'), arguments: [{ chatID: m.chatID, messageID: m.id, title: this.chats[m.chatID]?.title }] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'));
        item.id = 'search-more';
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'beeper.searchResults.loadMore', title: vscode.l10n.t('Load more') };
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info');
        return item;
      }
    }
  }

  getParent(node: SearchNode): SearchNode | undefined {
    return node.kind === 'message' ? this.chatNodes.get(node.message.chatID) : undefined;
  }

  dispose(): void {
    this.abort?.abort();
    this.changed.dispose();
  }
}
