// The project's label and status vocabulary: grouping accounts under bridges (or, on a Beeper
// Desktop without the bridge API, under their network), account labels and handles, status
// categories and the order of account health. Read by the tree, the status bar, panels,
// commands and tools alike. No vscode import.
import type { Account, Bridge, Chat } from '../api/types';
import type { BridgeGroup } from './model';
import { handleBeside, humanize, personName, relativeTime } from '../text/format';
import { untrustedLabel } from '../text/untrusted';

export type { BridgeGroup };
export { humanize, relativeTime };

/** How an account's status reads at a glance; unknown statuses are shown as they are. */
export type StatusCategory = 'ok' | 'busy' | 'action' | 'off' | 'unknown';

export function statusCategory(status: string | undefined): StatusCategory {
  switch (status) {
    case 'connected':
      return 'ok';
    case 'connecting':
    case 'backfilling':
      return 'busy';
    case 'connection_required':
    case 'reconnect_required':
    case 'attention_required':
    case 'disconnected':
      return 'action';
    case 'disabled':
      return 'off';
    default:
      return status === undefined ? 'ok' : 'unknown';
  }
}

/** Statuses where a login session with the account's IDs repairs it. */
export function canReconnect(status: string | undefined): boolean {
  return statusCategory(status) === 'action';
}

export function accountLabel(account: Account): string {
  const u = account.user;
  return personName({ fullName: u.fullName, username: u.username, phoneNumber: u.phoneNumber, email: u.email }) || account.accountID;
}

/** The handle shown next to the name: username, phone or email, whichever is known. */
export function accountHandle(account: Account): string | undefined {
  return handleBeside(account.user, accountLabel(account));
}

export function accountNetwork(account: Account): string {
  return account.network || account.bridge?.type || account.accountID.split(/[_.]/)[0] || account.accountID;
}

export function groupsFromBridges(bridges: Bridge[]): BridgeGroup[] {
  const groups = bridges.map<BridgeGroup>((b) => ({
    id: b.id,
    displayName: b.displayName,
    provider: b.provider,
    status: b.status,
    statusText: b.statusText,
    accounts: b.accounts,
    fallback: false,
  }));
  // Bridges in use first, then the rest; alphabetical within each.
  return groups.sort((a, b) => Number(b.accounts.length > 0) - Number(a.accounts.length > 0) || a.displayName.localeCompare(b.displayName));
}

export function groupsFromAccounts(accounts: Account[]): BridgeGroup[] {
  const byKey = new Map<string, BridgeGroup>();
  for (const account of accounts) {
    const key = account.bridge?.id ?? accountNetwork(account);
    let group = byKey.get(key);
    if (!group) {
      group = { id: key, displayName: account.network || humanize(key), provider: account.bridge?.provider, accounts: [], fallback: true };
      byKey.set(key, group);
    }
    group.accounts.push(account);
  }
  return [...byKey.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export function chatDescription(chat: Chat, now: number): string {
  const parts: string[] = [];
  if (chat.unreadCount > 0) parts.push(`${chat.unreadCount > 99 ? '99+' : chat.unreadCount} unread`);
  const when = relativeTime(chat.lastActivity, now);
  if (when) parts.push(when);
  return parts.join(' · ');
}

/** "Name (Network)" for an account the model knows, for panels, pickers and tools. */
export function accountLabelFor(groups: readonly BridgeGroup[], accountID: string): string | undefined {
  for (const group of groups) {
    const account = group.accounts.find((a) => a.accountID === accountID);
    if (account) return `${accountLabel(account)} (${group.fallback ? accountNetwork(account) : group.displayName})`;
  }
  return undefined;
}

/** A label from the network for a tree row or a pick: see untrustedLabel. */
export function safeLabel(text: string, max = 200): string {
  return untrustedLabel(text, max);
}
