// Account health at a glance, for the status bar. Pure: no vscode import.
import type { Account } from '../api/types';
import { statusCategory } from './labels';

export type ConnectionStateLike = 'signedOut' | 'unreachable' | 'unauthorized' | 'connected' | 'misconfigured' | 'notApproved' | 'unknown';

export type HealthKind = 'ok' | 'busy' | 'action' | 'offline' | 'signedOut' | 'empty' | 'unknown';

export interface Health {
  kind: HealthKind;
  /** Codicon for the status bar text. */
  icon: string;
  /** Short text after the icon. */
  text: string;
  total: number;
  connected: number;
  busy: number;
  needAction: number;
  /** The warning background is for accounts that need the user, nothing else. */
  warning: boolean;
}

export function aggregateHealth(state: ConnectionStateLike, accounts: readonly Account[] | undefined): Health {
  const base = { total: 0, connected: 0, busy: 0, needAction: 0, warning: false };
  if (state === 'signedOut' || state === 'unauthorized') return { ...base, kind: 'signedOut', icon: 'debug-disconnect', text: 'Beeper' };
  if (state === 'unreachable' || state === 'misconfigured' || state === 'notApproved') return { ...base, kind: 'offline', icon: 'debug-disconnect', text: 'Beeper' };
  if (!accounts) return { ...base, kind: 'unknown', icon: 'comment-discussion', text: 'Beeper' };
  let connected = 0;
  let busy = 0;
  let needAction = 0;
  for (const a of accounts) {
    const category = statusCategory(a.status);
    if (category === 'ok') connected++;
    else if (category === 'busy') busy++;
    else if (category === 'action') needAction++;
  }
  const counts = { total: accounts.length, connected, busy, needAction };
  if (accounts.length === 0) return { ...counts, warning: false, kind: 'empty', icon: 'comment-discussion', text: '0' };
  if (needAction > 0) return { ...counts, warning: true, kind: 'action', icon: 'warning', text: String(needAction) };
  if (busy > 0) return { ...counts, warning: false, kind: 'busy', icon: 'sync~spin', text: `${connected}/${connected + busy}` };
  return { ...counts, warning: false, kind: 'ok', icon: 'check', text: String(connected) };
}

const ORDER: Record<string, number> = { action: 0, busy: 1, unknown: 2, ok: 3, off: 4 };

/** Accounts that need the user first, then those on their way, then the rest; by name within. */
export function sortForAttention<T extends Account>(accounts: readonly T[]): T[] {
  return [...accounts].sort((a, b) => (ORDER[statusCategory(a.status)] ?? 9) - (ORDER[statusCategory(b.status)] ?? 9) || a.accountID.localeCompare(b.accountID));
}

/** The refresh interval: the configured one while Beeper answers, doubling (to 10 min) while it does not. */
export function nextRefreshMs(configuredSeconds: number, consecutiveFailures: number): number | undefined {
  if (!(configuredSeconds > 0)) return undefined;
  const base = Math.max(10, configuredSeconds) * 1000;
  return Math.min(base * 2 ** Math.min(consecutiveFailures, 10), 600_000);
}
