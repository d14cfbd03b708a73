// Accounts and contacts.
import { compareNewestFirst, HttpError, intParam, notFound, pageBody, pageOf, type Router } from '../http';
import { directoryOf, participantsOf } from '../data';
import type { SandboxState } from '../state';

/** The account whose contacts route fails (a network without a contact list here). */
export const CONTACTLESS_ACCOUNT = 'slackgo.T0SANDBOX-U0SAM';

/** An account's contacts: the people of its direct chats, then its directory; by user ID once. */
export function contactsOfAccount(s: SandboxState, accountID: string) {
  const account = s.accountById(accountID);
  if (!account) throw new HttpError(404, 'ACCOUNT_NOT_FOUND', `No account ${accountID}.`);
  if (accountID === CONTACTLESS_ACCOUNT) throw new HttpError(501, 'CONTACTS_UNAVAILABLE', 'Slack does not share a contact list with Beeper Desktop.');
  const fromChats = s.world.chats
    .filter((c) => c.accountID === accountID && c.type === 'single')
    .map((c) => {
      const other = participantsOf(c, account, 2).find((u) => !u.isSelf)!;
      const { isAdmin: _a, isPending: _p, isNetworkBot: _b, ...user } = other;
      return { ...user, ts: c.ts };
    });
  return [...fromChats, ...directoryOf(account)].filter((u, i, all) => all.findIndex((x) => x.id === u.id) === i);
}

export function accountRoutes(r: Router, s: SandboxState): void {
  const contactsOf = (accountID: string) => contactsOfAccount(s, accountID);

  r.add('GET', '/v1/accounts', () => s.world.accounts);
  r.add('GET', '/v1/accounts/{accountID}', (_ctx, [id]) => s.accountById(id) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${id}.`));
  r.add('GET', '/v1/accounts/{accountID}/contacts', (ctx, [id]) => {
    const query = (ctx.url.searchParams.get('query') ?? '').toLowerCase();
    if (!query) throw new HttpError(400, 'VALIDATION_ERROR', 'query is required.');
    return { items: contactsOf(id).filter((u) => `${u.fullName} ${u.username ?? ''}`.toLowerCase().includes(query)).map(({ ts: _t, ...u }) => u) };
  });
  r.add('GET', '/v1/accounts/{accountID}/contacts/list', (ctx, [id]) => {
    const q = ctx.url.searchParams;
    const query = (q.get('query') ?? '').toLowerCase();
    const all = contactsOf(id)
      .filter((u) => !query || `${u.fullName} ${u.username ?? ''}`.toLowerCase().includes(query))
      .sort(compareNewestFirst);
    const { items, hasMore } = pageOf(all, q, intParam(q, 'limit', 1, 200, 50));
    return pageBody(items, hasMore, ({ ts: _t, ...u }) => u);
  });
}
