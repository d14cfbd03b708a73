// Inbox rows as VS Code shows them: the chat's title, and after it the network, the unread count,
// mentions (@), muted, ⏰ with the reminder's time, and ✎ when Beeper has a draft. Every string
// from the network goes through the untrusted-text helper.
import * as vscode from 'vscode';
import type { Chat } from '../api/types';
import { relativeTime, safeLabel } from '../model/labels';
import { isUnread, reminderAt, reminderDue, type InboxFilter } from '../model/inbox';
import { triageContext } from '../model/triage';

/** The reminder's time in words: "14:00" today, "Tue 09:00" this week, else the date. */
export function reminderWhen(at: number, now: number): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return time;
  if (Math.abs(at - now) < 6 * 86_400_000) return `${d.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

export function inboxItem(chat: Chat, now: number, accountLabel: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(safeLabel(chat.title));
  item.id = `inbox:${chat.id}`;
  const due = reminderDue(chat, now);
  const unread = isUnread(chat);
  item.iconPath = due
    ? new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('charts.orange'))
    : chat.isPinned
      ? new vscode.ThemeIcon('pinned')
      : new vscode.ThemeIcon(chat.type === 'group' ? 'comment-discussion' : 'comment', unread ? new vscode.ThemeColor('notificationsInfoIcon.foreground') : undefined);
  const parts: string[] = [safeLabel(chat.network || accountLabel || '', 60)];
  if (chat.unreadCount > 0) parts.push(vscode.l10n.t('{0} unread', chat.unreadCount > 99 ? '99+' : chat.unreadCount));
  else if (chat.isMarkedUnread) parts.push(vscode.l10n.t('marked unread'));
  if ((chat.unreadMentionsCount ?? 0) > 0) parts.push(`@${chat.unreadMentionsCount}`);
  if (chat.isMuted) parts.push(vscode.l10n.t('muted'));
  const at = reminderAt(chat);
  if (at !== undefined) parts.push(due ? vscode.l10n.t('⏰ due') : `⏰ ${reminderWhen(at, now)}`);
  if (chat.draft?.text) parts.push(vscode.l10n.t('✎ draft'));
  const when = relativeTime(chat.lastActivity, now);
  if (when) parts.push(when);
  item.description = parts.filter(Boolean).join(' · ');
  item.contextValue = triageContext(chat);
  item.accessibilityInformation = { label: [safeLabel(chat.title), ...parts.filter(Boolean)].join(', ') };
  item.command = { command: 'beeper.openChat', title: vscode.l10n.t('Open Chat'), arguments: [{ chatID: chat.id, title: chat.title }] };
  return item;
}

/** The filter's name, as the view's description and the filter pick show it. */
export function filterLabel(filter: InboxFilter, accountLabel: (id: string) => string | undefined): string {
  const t = vscode.l10n.t;
  switch (filter.kind) {
    case 'all':
      return t('All');
    case 'unread':
      return t('Unread');
    case 'mentions':
      return t('Mentions');
    case 'dms':
      return t('Direct messages');
    case 'groups':
      return t('Groups');
    case 'lowPriority':
      return t('Low priority');
    case 'archived':
      return t('Archived');
    case 'reminders':
      return t('Reminders');
    case 'network':
      return safeLabel(filter.network, 60);
    case 'account':
      return safeLabel(accountLabel(filter.accountID) ?? filter.accountID, 80);
  }
}

/** What an empty Inbox says under a filter (the welcome view shows it, with "Show all chats"). */
export function emptyText(filter: InboxFilter): string {
  const t = vscode.l10n.t;
  switch (filter.kind) {
    case 'unread':
      return t('Inbox zero 🎉 — nothing unread in any network');
    case 'mentions':
      return t('No unread mentions 🎉');
    case 'reminders':
      return t('No reminders set');
    case 'archived':
      return t('No archived chats');
    case 'lowPriority':
      return t('No low-priority chats');
    default:
      return t('No chats here');
  }
}
