// The `beeper.bridges` tree: bridges → accounts → chats. It renders the model and owns no data:
// expanding a row asks the loader to read what the model lacks (one request for every bridge with
// its accounts, one per expanded account for its first chat page, "Load more…" for the next), and
// model changes (pages, socket events, polls) redraw just the rows they touch, once per frame.
// Failures become rows with a retry, never modals.
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { Chat } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { accountLabelFor, safeLabel, type BridgeGroup } from '../model/labels';
import { accountItem, accountTooltip, bridgeItem, chatItem, chatTooltip, loadMoreItem, messageItem, newerItem } from './items';
import type { AccountNode, BridgeNode, ChatList, ChatNode, FolderNode, LoadMoreNode, NewerNode, TreeNode } from './nodes';
import { listWindow, loadMoreRows, startAfterNewer } from './rowWindow';
import type { ModelLoader } from '../model/loader';
import { chatListKey, type BeeperModel, type ModelChange } from '../model/model';
import { capabilityLine, describeCapabilities } from '../people/capabilities';
import { untrusted } from '../text/untrusted';
import { setting } from '../host/settings';
import { setContext } from '../host/contextKeys';
import { FrameBatch } from '../host/frameBatch';

export class BeeperTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unreadChanged = new vscode.EventEmitter<number>();
  readonly onDidChangeUnread = this.unreadChanged.event;

  private roots: Promise<TreeNode[]> | undefined;
  /** The next root read asks the server again (Refresh, a login) instead of using the model. */
  private reloadRoots = false;
  private readingRoots = false;
  private readonly loadMoreNodes = new Map<string, LoadMoreNode>();
  private readonly newerNodes = new Map<string, NewerNode>();
  /** Per list key, the first loaded chat its rows show (a long list shows a window of them). */
  private readonly windowStarts = new Map<string, number>();
  private readonly bridgeNodes = new Map<string, BridgeNode>();
  private readonly accountNodes = new Map<string, AccountNode>();
  private readonly folderNodes = new Map<string, FolderNode>();
  /** Chat rows by list key and chat ID: the same object while the row is shown (reveal, refresh). */
  private readonly chatNodes = new Map<string, Map<string, ChatNode>>();
  /** The last item built for each chat row (rows are objects kept while shown). */
  private readonly chatItems = new WeakMap<ChatNode, { chat: Chat; minute: number; item: vscode.TreeItem }>();
  /** Rows to redraw at the next frame (everything, or the rows named). */
  private readonly redraws = new FrameBatch<TreeNode>((rows) => this.flush(rows));
  /** Tree refresh events sent (benchmarks read it). */
  refreshEvents = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionService,
    private readonly model: BeeperModel,
    private readonly loader: ModelLoader,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('beeper.chatPageSize') || e.affectsConfiguration('beeper.showArchivedChats')) this.refresh();
      }),
      model.onDidChange((change) => this.onModelChange(change)),
    );
  }

  /** Re-fetches what is shown: VS Code asks again only for the expanded nodes. */
  refresh(): void {
    this.roots = undefined;
    this.reloadRoots = true;
    this.windowStarts.clear();
    this.loader.refreshAll();
    this.changed.fire(undefined);
  }

  /** Re-reads bridges and accounts only (account health); loaded chat pages are kept. */
  reloadAccounts(): void {
    this.roots = undefined;
    this.reloadRoots = true;
    this.changed.fire(undefined);
  }

  /** Everything forgotten (new server or token). */
  reset(): void {
    this.windowStarts.clear();
    this.loader.reset();
    this.roots = undefined;
    this.reloadRoots = true;
    this.changed.fire(undefined);
  }

  get bridgeGroups(): readonly BridgeGroup[] {
    return this.model.groups;
  }

  get bridgeApiAvailable(): boolean {
    return this.model.bridgesSupported;
  }

  /** The bridge and account rows as last loaded (waits for a load in progress). */
  async loadedRoots(): Promise<TreeNode[]> {
    return (this.roots ??= this.loadRoots());
  }

  accountNode(accountID: string): AccountNode | undefined {
    return this.accountNodes.get(accountID);
  }

  /** "Name (Network)" for an account the model knows, for panels and pickers. */
  accountLabelFor(accountID: string): string | undefined {
    return accountLabelFor(this.model.groups, accountID);
  }

  getChildren(node?: TreeNode): vscode.ProviderResult<TreeNode[]> {
    if (!node) return this.loadedRoots();
    switch (node.kind) {
      case 'bridge':
        return node.group.accounts.map((account) => this.accountNodes.get(account.accountID)!);
      case 'account':
      case 'folder':
        return this.loadChats(node);
      default:
        return [];
    }
  }

  getParent(node: TreeNode): vscode.ProviderResult<TreeNode> {
    switch (node.kind) {
      case 'account':
        return this.bridgeNodes.get(node.bridgeID);
      case 'folder':
      case 'chat':
      case 'loadMore':
      case 'newer':
      case 'message':
        return node.parent;
      default:
        return undefined;
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'bridge':
        return bridgeItem(node.group);
      case 'account':
        return accountItem(node);
      case 'folder': {
        const item = new vscode.TreeItem(node.list === 'archive' ? vscode.l10n.t('Archived') : vscode.l10n.t('Low priority'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `folder:${node.list}:${node.parent.account.accountID}`;
        item.iconPath = new vscode.ThemeIcon(node.list === 'archive' ? 'archive' : 'arrow-down');
        item.contextValue = `folder.${node.list}`;
        return item;
      }
      case 'chat': {
        // The row shows the chat as the model has it now. A list redraw asks for every row: rows
        // whose chat (and minute, for "5m") did not change reuse their item.
        node.chat = this.model.chat(node.chat.id) ?? node.chat;
        const minute = Math.floor(Date.now() / 60_000);
        const cached = this.chatItems.get(node);
        if (cached && cached.chat === node.chat && cached.minute === minute) return cached.item;
        const item = chatItem(node);
        this.chatItems.set(node, { chat: node.chat, minute, item });
        return item;
      }
      case 'loadMore':
        return loadMoreItem(node.loading, `more:${node.key}`, { command: 'beeper.loadMore', title: vscode.l10n.t('Load more'), arguments: [node] });
      case 'newer':
        return newerItem(`newer:${node.key}`, { command: 'beeper.showNewer', title: vscode.l10n.t('Show newer chats'), arguments: [node] });
      case 'message':
        return messageItem(node, { command: 'beeper.retry', title: vscode.l10n.t('Retry'), arguments: [node] });
    }
  }

  /** Builds the rich tooltip only when the pointer rests on a row. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    if (node.kind === 'chat') item.tooltip = chatTooltip(node.chat, this.accountLabelFor(node.chat.accountID));
    else if (node.kind === 'account') item.tooltip = accountTooltip(node.account);
    else if (node.kind === 'bridge' && !node.group.fallback) {
      // One line of what the network can do, read once per bridge when the pointer rests here.
      return this.loader.capabilities(node.group.id).then((caps): vscode.TreeItem => {
        const line = caps ? capabilityLine(describeCapabilities(caps, (m, ...a) => vscode.l10n.t(m, ...a))) : undefined;
        if (line) item.tooltip = `${typeof item.tooltip === 'string' ? item.tooltip : ''}\n${safeLabel(line, 300)}`;
        return item;
      });
    }
    return item;
  }

  /**
   * "Load more…": older chats. The window of rows moves down a page; the next page is read from
   * the server when the window already shows the oldest chat loaded.
   */
  async loadMore(more: LoadMoreNode): Promise<void> {
    const { accountID, list } = this.listOf(more.parent);
    const key = chatListKey(accountID, list);
    more.loading = true;
    this.changed.fire(more);
    try {
      this.windowStarts.set(key, await loadMoreRows(() => this.model.list(key), this.windowStarts.get(key) ?? 0, setting('chatPageSize'), () => this.loader.loadMore(accountID, list)));
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not load more chats, because: {0}', untrusted(describeError(e), 600)));
    } finally {
      more.loading = false;
      this.changed.fire(more.parent);
    }
  }

  /** "Show newer chats…": the window of rows moves back up a page (they are loaded: no request). */
  showNewer(node: NewerNode): void {
    const start = this.windowStarts.get(node.key) ?? 0;
    this.windowStarts.set(node.key, startAfterNewer(start, setting('chatPageSize')));
    this.changed.fire(node.parent);
  }

  /** Retry of an error row: its parent's children, or the whole tree. */
  retry(node: TreeNode | undefined): void {
    const parent = node?.kind === 'message' ? node.parent : undefined;
    if (parent?.kind === 'account' || parent?.kind === 'folder') {
      const { accountID, list } = this.listOf(parent);
      this.windowStarts.delete(chatListKey(accountID, list));
      this.loader.forgetList(accountID, list);
      this.changed.fire(parent);
    } else {
      this.refresh();
    }
  }

  /** The badge: unread messages over every non-muted chat (read from the model). */
  async unreadCount(): Promise<number | undefined> {
    try {
      await this.loader.loadUnread();
      return this.model.unreadTotal;
    } catch {
      // No badge rather than a wrong one; the connection state (welcome view) says why.
      return undefined;
    }
  }

  /** The chat list a node pages through: a folder's own, or the account's main list. */
  private listOf(node: AccountNode | FolderNode): { accountID: string; list: ChatList } {
    if (node.kind === 'folder') return { accountID: node.parent.account.accountID, list: node.list };
    const showArchived = setting('showArchivedChats');
    return { accountID: node.account.accountID, list: showArchived ? 'all' : 'primary' };
  }

  private async loadRoots(): Promise<TreeNode[]> {
    const connection = this.connection;
    this.readingRoots = true;
    try {
      if (!(await connection.requireToken())) return [];
      const reload = this.reloadRoots;
      this.reloadRoots = false;
      await (reload ? this.loader.reloadAccounts() : this.loader.ensureAccounts());
      this.rebuildNodes();
      const hasAccounts = this.model.groups.some((g) => g.accounts.length > 0);
      setContext('beeper.hasAccounts', hasAccounts);
      // With no account at all the welcome view ("Add an account") says more than empty bridges.
      if (!hasAccounts) return [];
      // The badge stays as it was; the next poll or event reads the unread chats again.
      this.loader.loadUnread().catch(() => undefined);
      return this.model.groups.map((group) => this.bridgeNodes.get(group.id)!);
    } catch (e) {
      // Not reachable / not signed in / a bad address: the welcome view says what to do; the tree stays empty.
      if (e instanceof BeeperApiError && WELCOME_KINDS.has(e.kind)) return [];
      return [{ kind: 'message', text: describeError(e instanceof BeeperApiError ? e.message : e), error: asApiError(e) }];
    } finally {
      this.readingRoots = false;
    }
  }

  /** Node objects are kept per id so that reveal() and getParent() see the same rows. */
  private rebuildNodes(): void {
    this.bridgeNodes.clear();
    this.accountNodes.clear();
    for (const group of this.model.groups) {
      this.bridgeNodes.set(group.id, { kind: 'bridge', group });
      for (const account of group.accounts) this.accountNodes.set(account.accountID, { kind: 'account', account, bridgeID: group.id });
    }
  }

  private async loadChats(node: AccountNode | FolderNode): Promise<TreeNode[]> {
    const { accountID, list } = this.listOf(node);
    const key = chatListKey(accountID, list);
    try {
      await this.loader.ensureList(accountID, list);
    } catch (e) {
      return [{ kind: 'message', text: asApiError(e)?.message ?? describeError(e), error: asApiError(e), parent: node }];
    }
    const state = this.model.list(key);
    const window = listWindow(state, this.windowStarts.get(key) ?? 0);
    const ids = (state?.ids ?? []).slice(window.start, window.end);
    // The rows' nodes are kept from one call to the next (VS Code matches rows by node), in one
    // map changed in place: paging 10,000 chats 200 at a time does not build 50 maps of thousands.
    let nodes = this.chatNodes.get(key);
    if (!nodes) this.chatNodes.set(key, (nodes = new Map<string, ChatNode>()));
    const rows: TreeNode[] = [];
    for (const id of ids) {
      const chat = this.model.chat(id);
      if (!chat) continue;
      let row = nodes.get(id);
      if (!row || row.parent !== node) nodes.set(id, (row = { kind: 'chat', chat, parent: node }));
      row.chat = chat;
      rows.push(row);
    }
    // Chats that left the list leave the map (rows are unique: more entries than rows means some left).
    if (nodes.size > rows.length) {
      const shown = new Set(rows.map((r) => (r as ChatNode).chat.id));
      for (const id of nodes.keys()) if (!shown.has(id)) nodes.delete(id);
    }
    if (rows.length === 0) rows.push({ kind: 'message', text: list === 'archive' ? vscode.l10n.t('No archived chats') : list === 'low-priority' ? vscode.l10n.t('No low-priority chats') : vscode.l10n.t('No chats'), parent: node });
    if (window.newer) {
      let newer = this.newerNodes.get(key);
      if (!newer || newer.parent !== node) {
        newer = { kind: 'newer', key, parent: node };
        this.newerNodes.set(key, newer);
      }
      rows.unshift(newer);
    }
    if (window.more) {
      let more = this.loadMoreNodes.get(key);
      if (!more || more.parent !== node) {
        more = { kind: 'loadMore', key, parent: node, loading: false };
        this.loadMoreNodes.set(key, more);
      }
      rows.push(more);
    }
    if (node.kind === 'account' && list === 'primary') rows.push(this.folderFor(node, 'low-priority'), this.folderFor(node, 'archive'));
    return rows;
  }

  private folderFor(parent: AccountNode, list: 'low-priority' | 'archive'): FolderNode {
    const key = chatListKey(parent.account.accountID, list);
    let folder = this.folderNodes.get(key);
    if (!folder || folder.parent !== parent) {
      folder = { kind: 'folder', list, parent };
      this.folderNodes.set(key, folder);
    }
    return folder;
  }

  // ---- live: model changes become row refreshes, at most one per row per frame --------------

  private onModelChange(change: ModelChange): void {
    switch (change.kind) {
      case 'unread':
        this.unreadChanged.fire(change.total);
        return;
      case 'accounts':
        // Our own root read already redraws; an account change from elsewhere (a live event,
        // the status bar's health read) redraws the roots.
        if (this.readingRoots) return;
        this.roots = undefined;
        this.schedule(undefined);
        return;
      case 'reset':
        this.chatNodes.clear();
        this.windowStarts.clear();
        return;
      case 'list': {
        const node = this.nodeForList(change.key);
        if (node) this.schedule(node);
        return;
      }
      case 'chat':
        for (const rows of this.chatNodes.values()) {
          const row = rows.get(change.id);
          if (row) this.schedule(row);
        }
        return;
      case 'chatDeleted':
        return;
    }
  }

  /** The row whose children a list is: the account (main list) or a folder. */
  private nodeForList(key: string): TreeNode | undefined {
    const folder = this.folderNodes.get(key);
    if (folder) return folder;
    const state = this.model.list(key);
    if (!state) return undefined;
    const account = this.accountNodes.get(state.accountID);
    if (!account) return undefined;
    return this.listOf(account).list === state.list ? account : undefined;
  }

  private schedule(node: TreeNode | undefined): void {
    this.redraws.schedule(node);
  }

  private flush(rows: ReadonlySet<TreeNode> | 'all'): void {
    if (rows === 'all') {
      this.refreshEvents++;
      this.changed.fire(undefined);
      return;
    }
    for (const node of rows) {
      // A row whose parent is redrawn anyway needs no event of its own.
      const parent = node.kind === 'chat' || node.kind === 'loadMore' || node.kind === 'newer' || node.kind === 'message' || node.kind === 'folder' ? node.parent : undefined;
      if (parent && rows.has(parent)) continue;
      this.refreshEvents++;
      this.changed.fire(node);
    }
  }

  dispose(): void {
    this.redraws.dispose();
    this.changed.dispose();
    this.unreadChanged.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Failures the welcome views explain better than an error row (the tree's and the Inbox's). */
export const WELCOME_KINDS = new Set(['unreachable', 'notBeeper', 'unauthorized', 'misconfigured', 'originNotApproved']);


function asApiError(e: unknown): BeeperApiError | undefined {
  return e instanceof BeeperApiError ? e : undefined;
}
