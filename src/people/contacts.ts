// Contacts from several accounts merged into one list for the Find Contact pick: one row per
// user ID (the first account that has them wins), each with its account and network. Pure.
import type { User } from '../api/types';
import { handleOf } from '../text/format';

export interface ContactRow {
  user: User;
  accountID: string;
  network: string;
}

export function mergeContacts(results: readonly { accountID: string; network: string; users: readonly User[] }[]): ContactRow[] {
  const seen = new Set<string>();
  const rows: ContactRow[] = [];
  for (const r of results) {
    for (const user of r.users) {
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      rows.push({ user, accountID: r.accountID, network: r.network });
    }
  }
  return rows;
}

/** The handle shown beside a name: username, phone or email, whichever is known first. */
export function contactHandle(user: User): string | undefined {
  return handleOf(user);
}

/** What can be copied from a contact, in order: [label, value]. */
export function copyableOf(user: User): Array<['id' | 'username' | 'phone' | 'email', string]> {
  const out: Array<['id' | 'username' | 'phone' | 'email', string]> = [['id', user.id]];
  if (user.username) out.push(['username', user.username]);
  if (user.phoneNumber) out.push(['phone', user.phoneNumber]);
  if (user.email) out.push(['email', user.email]);
  return out;
}
