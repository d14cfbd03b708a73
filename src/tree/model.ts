// Pure tree logic: grouping accounts under bridges (or, on a Beeper Desktop without the bridge
// API, under their network), labels, status categories, relative times. No vscode import.
import type { Account, Bridge, Chat } from '../api/types';
import type { BridgeGroup } from '../model/model';
import { untrustedLabel } from '../ui/untrustedText';

export type { BridgeGroup };

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

export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function accountLabel(account: Account): string {
  const u = account.user;
  return u.fullName || u.username || u.phoneNumber || u.email || account.accountID;
}

/** The handle shown next to the name: username, phone or email, whichever is known. */
export function accountHandle(account: Account): string | undefined {
  const u = account.user;
  const handle = u.username ? (u.username.startsWith('@') ? u.username : `@${u.username}`) : u.phoneNumber || u.email;
  return handle && handle !== accountLabel(account) ? handle : undefined;
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

const UNITS: [number, string][] = [
  [365 * 24 * 3600_000, 'y'],
  [30 * 24 * 3600_000, 'mo'],
  [7 * 24 * 3600_000, 'w'],
  [24 * 3600_000, 'd'],
  [3600_000, 'h'],
  [60_000, 'm'],
];

/** "now", "5m", "3h", "2d", "4w"... compact enough for a tree row. */
export function relativeTime(iso: string | undefined, now: number): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const diff = Math.max(0, now - t);
  for (const [ms, unit] of UNITS) if (diff >= ms) return `${Math.floor(diff / ms)}${unit}`;
  return 'now';
}

export function chatDescription(chat: Chat, now: number): string {
  const parts: string[] = [];
  if (chat.unreadCount > 0) parts.push(`${chat.unreadCount > 99 ? '99+' : chat.unreadCount} unread`);
  const when = relativeTime(chat.lastActivity, now);
  if (when) parts.push(when);
  return parts.join(' · ');
}

/** A label from the network for a tree row or a pick: see untrustedLabel. */
export function safeLabel(text: string, max = 200): string {
  return untrustedLabel(text, max);
}
