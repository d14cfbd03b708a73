// Tree rows as VS Code shows them: bridges, accounts and chats, with their icons, descriptions,
// tooltips and context values (the menus match on them). Every string from the network goes
// through the untrusted-text helper.
import * as vscode from 'vscode';
import type { Account, Chat } from '../api/types';
import { accountHandle, accountLabel, accountNetwork, canReconnect, chatDescription, humanize, safeLabel, statusCategory, type BridgeGroup } from '../model/labels';
import { triageContext } from '../model/triage';
import type { AccountNode, ChatNode } from './nodes';

const PROVIDER_ICONS: Record<string, string> = { local: 'device-desktop', cloud: 'cloud', 'self-hosted': 'server', 'platform-sdk': 'package' };

/** The "Load more…" row of a paged list (the tree's and the Inbox's), spinning while it loads. */
export function loadMoreItem(loading: boolean, id: string, command: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(loading ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'));
  item.id = id;
  item.iconPath = new vscode.ThemeIcon(loading ? 'loading~spin' : 'ellipsis');
  item.contextValue = 'loadMore';
  item.command = command;
  return item;
}

/** The "Show newer chats…" row above a long list's window of rows (the tree's and the Inbox's). */
export function newerItem(id: string, command: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Show newer chats…'));
  item.id = id;
  item.iconPath = new vscode.ThemeIcon('arrow-up');
  item.contextValue = 'showNewer';
  item.command = command;
  return item;
}

/** A message row (an empty list, or an error with its hint and a Retry click) in the tree or the Inbox. */
export function messageItem(node: { text: string; error?: { message: string; hint?: string } }, retry: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text);
  item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
  item.tooltip = node.error?.hint ? `${node.error.message}\n${node.error.hint}` : node.text;
  item.description = node.error?.hint;
  item.contextValue = node.error ? 'error' : 'message';
  if (node.error) item.command = retry;
  return item;
}

export function bridgeItem(group: BridgeGroup): vscode.TreeItem {
  const item = new vscode.TreeItem(
    safeLabel(group.displayName),
    group.accounts.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = `bridge:${group.id}`;
  item.iconPath = new vscode.ThemeIcon(PROVIDER_ICONS[group.provider ?? ''] ?? 'plug');
  const count = group.accounts.length;
  const parts = [count === 1 ? vscode.l10n.t('1 account') : vscode.l10n.t('{0} accounts', count)];
  if (group.status && group.status !== 'connected' && group.status !== 'available') parts.push(group.statusText ?? humanize(group.status));
  item.description = parts.map((p) => safeLabel(p, 120)).join(' · ');
  item.tooltip = [group.displayName, group.provider && vscode.l10n.t('Runs: {0}', group.provider), group.statusText ?? (group.status && humanize(group.status))]
    .filter(Boolean)
    .map((p) => safeLabel(p as string, 300))
    .join('\n');
  item.contextValue = `bridge.${group.fallback ? 'fallback' : 'api'}.${group.status ?? 'unknown'}`;
  return item;
}

export function accountItem(node: AccountNode): vscode.TreeItem {
  const account = node.account;
  const item = new vscode.TreeItem(safeLabel(accountLabel(account)), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `account:${account.accountID}`;
  const category = statusCategory(account.status);
  item.iconPath = statusIcon(category);
  const status = account.statusText ?? (account.status ? humanize(account.status) : undefined);
  item.description = [accountHandle(account), status].filter(Boolean).map((s) => safeLabel(s!)).join(' · ');
  // Menus match on this: "account.<reconnectable|ok>.<status>"
  item.contextValue = `account.${canReconnect(account.status) ? 'reconnectable' : 'ok'}.${account.status ?? 'unknown'}`;
  return item;
}

/** A chat row: the same for the tree and any other list of chats. */
export function chatItem(node: ChatNode): vscode.TreeItem {
  const chat = node.chat;
  const item = new vscode.TreeItem(safeLabel(chat.title));
  // A chat can be listed twice (e.g. "all" and a folder after a setting change): parent in the id.
  item.id = `chat:${chat.id}:${node.parent?.kind === 'folder' ? node.parent.list : 'main'}`;
  item.iconPath = new vscode.ThemeIcon(chat.isPinned ? 'pinned' : chat.type === 'group' ? 'comment-discussion' : 'comment');
  const markers = [chat.isMuted && vscode.l10n.t('muted'), chat.isArchived && vscode.l10n.t('archived')].filter(Boolean);
  item.description = [chatDescription(chat, Date.now()), ...markers].filter(Boolean).join(' · ');
  // The triage verbs' menus match on the chat's state (see triageContext).
  item.contextValue = triageContext(chat);
  item.accessibilityInformation = {
    label: [safeLabel(chat.title), chat.unreadCount > 0 && vscode.l10n.t('{0} unread', chat.unreadCount), ...markers].filter(Boolean).join(', '),
  };
  item.command = { command: 'beeper.openChat', title: vscode.l10n.t('Open Chat'), arguments: [node] };
  return item;
}

export function chatTooltip(chat: Chat, account: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**');
  md.appendText(safeLabel(chat.title, 300));
  md.appendMarkdown('**\n\n');
  const lines: string[] = [
    [chat.network, account].filter(Boolean).map((s) => safeLabel(s!, 120)).join(' · '),
    chat.type === 'group' ? vscode.l10n.t('Group chat, {0} participants', chat.participants.total) : vscode.l10n.t('Direct chat'),
    chat.unreadCount > 0 ? vscode.l10n.t('{0} unread', chat.unreadCount) : vscode.l10n.t('No unread messages'),
  ];
  const when = chat.lastActivity ? Date.parse(chat.lastActivity) : NaN;
  if (Number.isFinite(when)) lines.push(vscode.l10n.t('Last activity: {0}', new Date(when).toLocaleString()));
  const flags = [chat.isPinned && vscode.l10n.t('Pinned'), chat.isMuted && vscode.l10n.t('Muted'), chat.isArchived && vscode.l10n.t('Archived'), chat.isReadOnly && vscode.l10n.t('Read only')].filter(Boolean);
  if (flags.length) lines.push(flags.join(' · '));
  for (const line of lines) {
    md.appendText(line);
    md.appendMarkdown('  \n');
  }
  return md;
}

export function accountTooltip(account: Account): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**');
  md.appendText(safeLabel(accountLabel(account), 300));
  md.appendMarkdown('**\n\n');
  const status = account.status ? humanize(account.status) : vscode.l10n.t('Status unknown');
  for (const line of [accountHandle(account), accountNetwork(account), account.statusText ? `${status}: ${account.statusText}` : status]) {
    if (!line) continue;
    md.appendText(safeLabel(line, 300));
    md.appendMarkdown('  \n');
  }
  if (canReconnect(account.status)) md.appendMarkdown(`\n$(warning) ${vscode.l10n.t('Needs you: use Reconnect from the context menu.')}`);
  return md;
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
