// The `beeper.inbox` view: every account's chats in one list, under one filter (kept across
// reloads). It renders the model and owns no data: the loader reads the pages into the model, and
// model changes (pages, socket events, triage verbs) redraw the rows they touch, once per frame.
// A reminder coming due re-sorts the list at that moment. Failures become a row with a retry.
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { Chat } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { setContext } from '../host/contextKeys';
import { chatTooltip, loadMoreItem, messageItem, newerItem } from '../tree/items';
import { listWindow, loadMoreRows, startAfterNewer } from '../tree/rowWindow';
import { setting } from '../host/settings';
import { WELCOME_KINDS } from '../tree/provider';
import { FrameBatch } from '../host/frameBatch';
import { INBOX_ALL, inboxKey, nextReminder, readFilter, reminderAt, reminderDue, type InboxFilter } from '../model/inbox';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel, ModelChange } from '../model/model';
import { untrusted } from '../text/untrusted';
import { emptyText, filterLabel, inboxItem, reminderWhen } from './inboxItems';

export type InboxNode =
  | { kind: 'chat'; chatID: string }
  | { kind: 'loadMore'; loading: boolean }
  | { kind: 'newer' }
  | { kind: 'message'; text: string; error?: BeeperApiError };

const FILTER_KEY = 'beeper.inbox.filter';

export class InboxProvider implements vscode.TreeDataProvider<InboxNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<InboxNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<InboxNode> | undefined;
  private filterValue: InboxFilter;
  /** Row objects by chat ID: the same object while the row is shown (reveal, partial refresh). */
  private rows = new Map<string, InboxNode & { kind: 'chat' }>();
  private readonly loadMoreNode: InboxNode & { kind: 'loadMore' } = { kind: 'loadMore', loading: false };
  private readonly newerNode: InboxNode & { kind: 'newer' } = { kind: 'newer' };
  /** The first loaded chat the rows show: a long Inbox shows a window of them (see rowWindow.ts). */
  private windowStart = 0;
  private readonly items = new WeakMap<InboxNode, { chat: Chat; minute: number; due: boolean; item: vscode.TreeItem }>();
  /** Rows to redraw at the next frame (everything, or the rows named). */
  private readonly redraws = new FrameBatch<InboxNode>((rows) => this.flush(rows));
  private dueTimer: ReturnType<typeof setTimeout> | undefined;
  /** Tree refresh events sent (benchmarks read it). */
  refreshEvents = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionService,
    private readonly model: BeeperModel,
    private readonly loader: ModelLoader,
    private readonly memento: vscode.Memento,
    private readonly accountLabel: (accountID: string) => string | undefined,
  ) {
    this.filterValue = readFilter(memento.get(FILTER_KEY));
    this.disposables.push(model.onDidChange((change) => this.onModelChange(change)));
  }

  attach(view: vscode.TreeView<InboxNode>): void {
    this.view = view;
    this.describe();
  }

  get filter(): InboxFilter {
    return this.filterValue;
  }

  /** The rows shown now, top to bottom (tests and the benchmark read them; views read the model). */
  get chatIDs(): string[] {
    const state = this.model.list(inboxKey(this.filterValue));
    const window = listWindow(state, this.windowStart);
    return (state?.ids ?? []).slice(window.start, window.end);
  }

  async setFilter(filter: InboxFilter): Promise<void> {
    this.filterValue = filter;
    this.windowStart = 0;
    await this.memento.update(FILTER_KEY, filter.kind === 'all' ? undefined : filter);
    this.describe();
    this.rows.clear();
    this.changed.fire(undefined);
  }

  /** Reads the shown filter again from its first page (Refresh). */
  refresh(): void {
    this.windowStart = 0;
    this.loader.forgetInbox(this.filterValue);
    this.rows.clear();
    this.changed.fire(undefined);
  }

  /**
   * "Load more…": older chats. The window of rows moves down a page; the next page is read from
   * the server when the window already shows the oldest chat loaded.
   */
  async loadMore(): Promise<void> {
    const filter = this.filterValue;
    const key = inboxKey(filter);
    this.loadMoreNode.loading = true;
    this.changed.fire(this.loadMoreNode);
    try {
      const start = await loadMoreRows(() => this.model.list(key), this.windowStart, setting('chatPageSize'), () => this.loader.loadMoreInbox(filter));
      if (filter === this.filterValue) this.windowStart = start;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not load more chats, because: {0}', untrusted(describeError(e), 600)));
    } finally {
      this.loadMoreNode.loading = false;
      this.changed.fire(undefined);
    }
  }

  /** "Show newer chats…": the window of rows moves back up a page (they are loaded: no request). */
  showNewer(): void {
    this.windowStart = startAfterNewer(this.windowStart, setting('chatPageSize'));
    this.changed.fire(undefined);
  }

  private describe(): void {
    if (!this.view) return;
    this.view.description = this.filterValue.kind === 'all' ? undefined : filterLabel(this.filterValue, this.accountLabel);
    setContext('beeper.inbox.filtered', this.filterValue.kind !== 'all');
  }

  getChildren(node?: InboxNode): vscode.ProviderResult<InboxNode[]> {
    if (node) return [];
    return this.loadRows();
  }

  getParent(): undefined {
    return undefined;
  }

  private async loadRows(): Promise<InboxNode[]> {
    const filter = this.filterValue;
    try {
      if (!(await this.connection.requireToken())) return this.empty(undefined);
      await this.loader.ensureAccounts();
      // The badge comes from the unread snapshot (shared with the status bar and the tree).
      this.loader.loadUnread().catch(() => undefined);
      await this.loader.ensureInbox(filter);
    } catch (e) {
      if (e instanceof BeeperApiError && WELCOME_KINDS.has(e.kind)) return this.empty(undefined);
      this.setMessage(undefined);
      return [{ kind: 'message', text: describeError(e instanceof BeeperApiError ? e.message : e), error: e instanceof BeeperApiError ? e : undefined }];
    }
    if (filter !== this.filterValue) return [];
    const state = this.model.list(inboxKey(filter));
    const all = state?.ids ?? [];
    const window = listWindow(state, this.windowStart);
    const next = new Map<string, InboxNode & { kind: 'chat' }>();
    const out: InboxNode[] = [];
    if (window.newer) out.push(this.newerNode);
    for (const id of all.slice(window.start, window.end)) {
      const row = this.rows.get(id) ?? { kind: 'chat' as const, chatID: id };
      next.set(id, row);
      out.push(row);
    }
    this.rows = next;
    this.armDueTimer();
    if (window.more) out.push(this.loadMoreNode);
    if (out.length === 0) return this.empty(filter);
    this.setMessage(undefined);
    return out;
  }

  /** No rows: the view says why (the welcome view adds "Show All Chats" under a filter). */
  private empty(filter: InboxFilter | undefined): InboxNode[] {
    setContext('beeper.inbox.empty', filter !== undefined);
    this.setMessage(filter ? emptyText(filter) : undefined);
    return [];
  }

  private setMessage(text: string | undefined): void {
    if (text === undefined) setContext('beeper.inbox.empty', false);
    if (this.view && this.view.message !== text) this.view.message = text;
  }

  getTreeItem(node: InboxNode): vscode.TreeItem {
    switch (node.kind) {
      case 'chat': {
        const chat = this.model.chat(node.chatID);
        if (!chat) return new vscode.TreeItem(vscode.l10n.t('(chat no longer available)'));
        // The item depends on the chat, the minute ("5m") and whether its reminder has come due
        // (the same chat object is shown "⏰ due" once its time passes).
        const now = Date.now();
        const minute = Math.floor(now / 60_000);
        const due = reminderDue(chat, now);
        const cached = this.items.get(node);
        if (cached && cached.chat === chat && cached.minute === minute && cached.due === due) return cached.item;
        const item = inboxItem(chat, now, this.accountLabel(chat.accountID));
        this.items.set(node, { chat, minute, due, item });
        return item;
      }
      case 'loadMore':
        return loadMoreItem(node.loading, 'inbox:more', { command: 'beeper.inbox.loadMore', title: vscode.l10n.t('Load more') });
      case 'newer':
        return newerItem('inbox:newer', { command: 'beeper.inbox.showNewer', title: vscode.l10n.t('Show newer chats') });
      case 'message':
        return messageItem(node, { command: 'beeper.inbox.refresh', title: vscode.l10n.t('Retry') });
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: InboxNode): vscode.TreeItem {
    if (node.kind !== 'chat') return item;
    const chat = this.model.chat(node.chatID);
    if (!chat) return item;
    const md = chatTooltip(chat, this.accountLabel(chat.accountID));
    const at = reminderAt(chat);
    if (at !== undefined) md.appendText(vscode.l10n.t('Reminder: {0}', reminderWhen(at, Date.now()))).appendMarkdown('  \n');
    if (chat.draft?.text) md.appendText(vscode.l10n.t('Draft in Beeper')).appendMarkdown('  \n');
    item.tooltip = md;
    return item;
  }

  /** The chat of a row, or of the selected row (keyboard shortcuts act on it). */
  selectedChat(): Chat | undefined {
    const node = this.view?.selection[0];
    return node?.kind === 'chat' ? this.model.chat(node.chatID) : undefined;
  }

  // ---- live ---------------------------------------------------------------------------------

  private onModelChange(change: ModelChange): void {
    switch (change.kind) {
      case 'list':
        if (change.key === inboxKey(this.filterValue)) this.schedule(undefined);
        return;
      case 'chat': {
        const row = this.rows.get(change.id);
        if (row) this.schedule(row);
        return;
      }
      case 'reset':
        this.rows.clear();
        this.windowStart = 0;
        this.schedule(undefined);
        return;
      default:
        return;
    }
  }

  /** When the soonest reminder among the loaded chats comes due, the rows are sorted again. */
  private armDueTimer(): void {
    clearTimeout(this.dueTimer);
    const now = Date.now();
    const withReminders: Chat[] = [];
    for (const id of this.rows.keys()) {
      const chat = this.model.chat(id);
      if (chat?.reminder) withReminders.push(chat);
    }
    const next = nextReminder(withReminders, now);
    if (next === undefined) return;
    this.dueTimer = setTimeout(() => this.model.resortInboxes(), Math.min(next - now + 50, 2 ** 31 - 1));
  }

  private schedule(node: InboxNode | undefined): void {
    this.redraws.schedule(node);
  }

  private flush(rows: ReadonlySet<InboxNode> | 'all'): void {
    for (const node of rows === 'all' ? [undefined] : rows) {
      this.refreshEvents++;
      this.changed.fire(node);
    }
  }

  dispose(): void {
    this.redraws.dispose();
    clearTimeout(this.dueTimer);
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}


export { INBOX_ALL };
