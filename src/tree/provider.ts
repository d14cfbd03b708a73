// The `beeper.bridges` tree: bridges → accounts → chats. One request shows every bridge with
// its accounts; each expanded account costs one request for its first chat page; "Load more…"
// fetches the next page with the cursor. Failures become rows with a retry, never modals.
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { Chat } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import {
  accountHandle,
  accountLabel,
  accountNetwork,
  canReconnect,
  chatDescription,
  groupsFromAccounts,
  groupsFromBridges,
  humanize,
  safeLabel,
  statusCategory,
  totalUnread,
  type BridgeGroup,
} from './model';
import type { TreeNode } from './nodes';
import { Pager } from './paging';

const PROVIDER_ICONS: Record<string, string> = { local: 'device-desktop', cloud: 'cloud', 'self-hosted': 'server', 'platform-sdk': 'package' };

export class BeeperTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unreadChanged = new vscode.EventEmitter<number>();
  readonly onDidChangeUnread = this.unreadChanged.event;

  private roots: Promise<TreeNode[]> | undefined;
  private groups: BridgeGroup[] = [];
  /** False once GET /v1/bridges answered 404: an older Beeper Desktop; accounts are grouped by network. */
  private bridgesSupported = true;
  private readonly pagers = new Map<string, Pager<Chat>>();
  private readonly loadMoreNodes = new Map<string, TreeNode & { kind: 'loadMore' }>();

  constructor(private readonly connection: ConnectionService) {}

  /** Re-fetches what is shown: VS Code asks again only for the expanded nodes. */
  refresh(): void {
    this.roots = undefined;
    for (const pager of this.pagers.values()) pager.reset();
    this.changed.fire(undefined);
  }

  /** Everything forgotten (new server or token). */
  reset(): void {
    this.bridgesSupported = true;
    this.pagers.clear();
    this.refresh();
  }

  get bridgeGroups(): readonly BridgeGroup[] {
    return this.groups;
  }

  get bridgeApiAvailable(): boolean {
    return this.bridgesSupported;
  }

  getChildren(node?: TreeNode): vscode.ProviderResult<TreeNode[]> {
    if (!node) return (this.roots ??= this.loadRoots());
    switch (node.kind) {
      case 'bridge':
        return node.group.accounts.map((account) => ({ kind: 'account', account, bridgeID: node.group.id }));
      case 'account':
        return this.loadChats(node);
      default:
        return [];
    }
  }

  getParent(node: TreeNode): vscode.ProviderResult<TreeNode> {
    if (node.kind === 'message') return node.parent;
    return undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'bridge':
        return this.bridgeItem(node.group);
      case 'account':
        return this.accountItem(node);
      case 'chat':
        return this.chatItem(node.chat);
      case 'loadMore': {
        const item = new vscode.TreeItem(node.loading ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'));
        item.id = `more:${node.accountID}`;
        item.iconPath = new vscode.ThemeIcon(node.loading ? 'loading~spin' : 'ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'beeper.loadMore', title: vscode.l10n.t('Load more'), arguments: [node] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
        item.tooltip = node.error?.hint ? `${node.error.message}\n${node.error.hint}` : node.text;
        item.description = node.error?.hint;
        item.contextValue = node.error ? 'error' : 'message';
        if (node.error) item.command = { command: 'beeper.retry', title: vscode.l10n.t('Retry'), arguments: [node] };
        return item;
      }
    }
  }

  /** Fetches the next chat page of an account shown with "Load more…". */
  async loadMore(accountID: string): Promise<void> {
    const pager = this.pagers.get(accountID);
    const node = this.loadMoreNodes.get(accountID);
    if (!pager) return;
    if (node) {
      node.loading = true;
      this.changed.fire(node);
    }
    try {
      await pager.next();
      this.connection.report('ok');
    } catch (e) {
      this.connection.report(e);
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not load more chats. {0}', describeError(e)));
    } finally {
      if (node) node.loading = false;
      this.changed.fire(this.accountNodeFor(accountID));
      this.emitUnread();
    }
  }

  /** Retry of an error row: its parent's children, or the whole tree. */
  retry(node: TreeNode | undefined): void {
    const parent = node?.kind === 'message' ? node.parent : undefined;
    if (parent?.kind === 'account') {
      this.pagers.get(parent.account.accountID)?.reset();
      this.changed.fire(parent);
    } else {
      this.refresh();
    }
  }

  private accountNodes = new Map<string, TreeNode & { kind: 'account' }>();

  private accountNodeFor(accountID: string): TreeNode | undefined {
    return this.accountNodes.get(accountID);
  }

  private async loadRoots(): Promise<TreeNode[]> {
    const connection = this.connection;
    const client = await connection.client();
    if (!connection.token) {
      connection.setState('signedOut');
      return [];
    }
    try {
      if (this.bridgesSupported) {
        try {
          this.groups = groupsFromBridges(await client.listBridges());
        } catch (e) {
          if (!(e instanceof BeeperApiError) || e.kind !== 'featureUnavailable') throw e;
          this.bridgesSupported = false;
        }
      }
      if (!this.bridgesSupported) this.groups = groupsFromAccounts(await client.listAccounts());
      connection.report('ok');
      void vscode.commands.executeCommand('setContext', 'beeper.hasAccounts', this.groups.some((g) => g.accounts.length > 0));
      return this.groups.map((group) => ({ kind: 'bridge', group }));
    } catch (e) {
      connection.report(e);
      // Not reachable / not signed in: the welcome view says what to do; the tree stays empty.
      if (e instanceof BeeperApiError && (e.kind === 'unreachable' || e.kind === 'notBeeper' || e.kind === 'unauthorized')) return [];
      return [{ kind: 'message', text: describeError(e instanceof BeeperApiError ? e.message : e), error: asApiError(e) }];
    }
  }

  private pagerFor(accountID: string): Pager<Chat> {
    let pager = this.pagers.get(accountID);
    if (!pager) {
      const pageSize = vscode.workspace.getConfiguration('beeper').get<number>('chatPageSize') ?? 50;
      const includeArchived = vscode.workspace.getConfiguration('beeper').get<boolean>('showArchivedChats') ?? false;
      pager = new Pager<Chat>(async (cursor) => {
        const client = await this.connection.client();
        return client.searchChats({
          accountIDs: [accountID],
          limit: pageSize,
          cursor,
          direction: cursor ? 'before' : undefined,
          inbox: includeArchived ? undefined : 'primary',
        });
      });
      this.pagers.set(accountID, pager);
    }
    return pager;
  }

  private async loadChats(node: TreeNode & { kind: 'account' }): Promise<TreeNode[]> {
    const accountID = node.account.accountID;
    this.accountNodes.set(accountID, node);
    const pager = this.pagerFor(accountID);
    try {
      const chats = await pager.first();
      this.connection.report('ok');
      this.emitUnread();
      const rows: TreeNode[] = chats.map((chat) => ({ kind: 'chat', chat }));
      if (chats.length === 0) rows.push({ kind: 'message', text: vscode.l10n.t('No chats'), parent: node });
      if (pager.hasMore) {
        const more: TreeNode & { kind: 'loadMore' } = this.loadMoreNodes.get(accountID) ?? { kind: 'loadMore', accountID, loading: false };
        this.loadMoreNodes.set(accountID, more);
        rows.push(more);
      }
      return rows;
    } catch (e) {
      this.connection.report(e);
      return [{ kind: 'message', text: asApiError(e)?.message ?? describeError(e), error: asApiError(e), parent: node }];
    }
  }

  private emitUnread(): void {
    let total = 0;
    for (const pager of this.pagers.values()) total += totalUnread(pager.items);
    this.unreadChanged.fire(total);
  }

  private bridgeItem(group: BridgeGroup): vscode.TreeItem {
    const item = new vscode.TreeItem(
      safeLabel(group.displayName),
      group.accounts.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `bridge:${group.id}`;
    item.iconPath = new vscode.ThemeIcon(PROVIDER_ICONS[group.provider ?? ''] ?? 'plug');
    const count = group.accounts.length;
    const parts = [count === 1 ? vscode.l10n.t('1 account') : vscode.l10n.t('{0} accounts', count)];
    if (group.status && group.status !== 'connected' && group.status !== 'available') parts.push(group.statusText ?? humanize(group.status));
    item.description = parts.join(' · ');
    item.tooltip = [group.displayName, group.provider && vscode.l10n.t('Runs: {0}', group.provider), group.statusText ?? (group.status && humanize(group.status))]
      .filter(Boolean)
      .join('\n');
    item.contextValue = `bridge.${group.fallback ? 'fallback' : 'api'}.${group.status ?? 'unknown'}`;
    return item;
  }

  private accountItem(node: TreeNode & { kind: 'account' }): vscode.TreeItem {
    const account = node.account;
    const item = new vscode.TreeItem(safeLabel(accountLabel(account)), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `account:${account.accountID}`;
    const category = statusCategory(account.status);
    item.iconPath = statusIcon(category);
    const status = account.statusText ?? (account.status ? humanize(account.status) : undefined);
    item.description = [accountHandle(account), status].filter(Boolean).map((s) => safeLabel(s!)).join(' · ');
    item.tooltip = [accountLabel(account), accountNetwork(account), status, account.accountID].filter(Boolean).join('\n');
    // Menus match on this: "account.<reconnectable|ok>.<status>"
    item.contextValue = `account.${canReconnect(account.status) ? 'reconnectable' : 'ok'}.${account.status ?? 'unknown'}`;
    return item;
  }

  private chatItem(chat: Chat): vscode.TreeItem {
    const item = new vscode.TreeItem(safeLabel(chat.title));
    item.id = `chat:${chat.id}`;
    item.iconPath = new vscode.ThemeIcon(chat.isPinned ? 'pinned' : chat.type === 'group' ? 'comment-discussion' : 'comment');
    const markers = [chat.isMuted && vscode.l10n.t('muted'), chat.isArchived && vscode.l10n.t('archived')].filter(Boolean);
    item.description = [chatDescription(chat, Date.now()), ...markers].filter(Boolean).join(' · ');
    item.contextValue = 'chat';
    return item;
  }

  dispose(): void {
    this.changed.dispose();
    this.unreadChanged.dispose();
  }
}

function statusIcon(category: ReturnType<typeof statusCategory>): vscode.ThemeIcon {
  switch (category) {
    case 'ok':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'busy':
      return new vscode.ThemeIcon('sync~spin');
    case 'action':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'off':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    default:
      return new vscode.ThemeIcon('question');
  }
}

function asApiError(e: unknown): BeeperApiError | undefined {
  return e instanceof BeeperApiError ? e : undefined;
}
