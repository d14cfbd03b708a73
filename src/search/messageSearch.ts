// Message search, shared by the quick pick and the results view: a query (words and filter words)
// is parsed, its names resolved (`in:` to chat IDs, `account:` to account IDs, `from:` to a
// sender), then /v1/messages/search is paged with its cursor. A newer query aborts the older one.
import type { BeeperClient } from '../api/client';
import type { Chat, Message, MessageSearchParams } from '../api/types';
import { accountLabel as accountName } from '../model/labels';
import type { BeeperModel } from '../model/model';
import { parseSearchQuery, searchParams, type ParsedSearch } from '../model/searchQuery';

export interface SearchPage {
  messages: Message[];
  chats: Record<string, Chat>;
  hasMore: boolean;
  cursor: string | null;
}

export interface ResolvedSearch {
  parsed: ParsedSearch;
  params: MessageSearchParams;
  /** A filter matched nothing (no such chat, account or person): nothing is searched. */
  empty: boolean;
  /** What each filter word was taken to mean, for the pick's title (worded there, through l10n). */
  meaning: SearchMeaning[];
}

export type SearchMeaning =
  | { kind: 'accounts'; count: number }
  | { kind: 'chats'; count: number }
  | { kind: 'fromYou' }
  | { kind: 'from'; name: string }
  | { kind: 'fromNobody'; name: string };

const ME = new Set(['me', 'myself', 'self', 'i']);

/** One page of matches (the API's maximum of 20). */
export const SEARCH_PAGE = 20;

export class MessageSearch {
  constructor(
    private readonly client: () => Promise<BeeperClient>,
    private readonly model: BeeperModel,
  ) {}

  /** Parses the query and resolves its names against Beeper (chats, accounts, participants). */
  async resolve(query: string, signal?: AbortSignal, now = new Date()): Promise<ResolvedSearch> {
    const parsed = parseSearchQuery(query, now);
    const client = await this.client();
    const meaning: SearchMeaning[] = [];
    const resolved: { sender?: string; chatIDs?: string[]; accountIDs?: string[] } = {};
    for (const f of parsed.filters) {
      if (f.kind === 'account') {
        const want = f.network.toLowerCase();
        const ids = this.model.groups.flatMap((g) =>
          g.accounts.filter((a) => [g.displayName, g.id, a.network ?? '', a.accountID, accountName(a)].some((s) => s.toLowerCase().includes(want))).map((a) => a.accountID),
        );
        resolved.accountIDs = [...new Set([...(resolved.accountIDs ?? []), ...ids])];
        meaning.push({ kind: 'accounts', count: ids.length });
      }
    }
    for (const f of parsed.filters) {
      if (f.kind !== 'in') continue;
      const page = await client.searchChats({ query: f.chat, limit: 25, accountIDs: resolved.accountIDs }, { signal });
      const want = f.chat.toLowerCase();
      const ids = page.items.filter((c) => c.title.toLowerCase().includes(want)).map((c) => c.id);
      resolved.chatIDs = [...new Set([...(resolved.chatIDs ?? []), ...ids])];
      meaning.push({ kind: 'chats', count: ids.length });
    }
    for (const f of parsed.filters) {
      if (f.kind !== 'from') continue;
      if (ME.has(f.name.toLowerCase())) {
        resolved.sender = 'me';
        meaning.push({ kind: 'fromYou' });
        continue;
      }
      const person = await this.findPerson(client, f.name, resolved.chatIDs, resolved.accountIDs, signal);
      if (person) {
        resolved.sender = person.id;
        meaning.push({ kind: 'from', name: person.name });
      } else meaning.push({ kind: 'fromNobody', name: f.name });
    }
    const { params, empty } = searchParams(parsed, resolved);
    return { parsed, params, empty, meaning };
  }

  /** A page of matches: the first, or the next after `cursor`. */
  async page(search: ResolvedSearch, cursor: string | null, signal?: AbortSignal): Promise<SearchPage> {
    if (search.empty) return { messages: [], chats: {}, hasMore: false, cursor: null };
    const client = await this.client();
    const result = await client.searchMessages({ ...search.params, limit: SEARCH_PAGE, ...(cursor ? { cursor, direction: 'before' as const } : {}) }, { signal });
    return { messages: result.items, chats: result.chats, hasMore: result.hasMore && !!result.oldestCursor, cursor: result.oldestCursor };
  }

  /**
   * A person by name: among the participants of the `in:` chats when given (the sender IDs the
   * messages carry), else among the contacts of the accounts searched. The best match wins: an
   * exact name, then a name that starts with it, then one that contains it.
   */
  private async findPerson(client: BeeperClient, name: string, chatIDs: string[] | undefined, accountIDs: string[] | undefined, signal?: AbortSignal): Promise<{ id: string; name: string } | undefined> {
    const want = name.toLowerCase();
    const candidates: { id: string; name: string }[] = [];
    if (chatIDs?.length) {
      for (const id of chatIDs.slice(0, 5)) {
        const chat = await client.getChat(id, { maxParticipantCount: 500 }, { signal });
        for (const p of chat.participants.items) if (!p.isSelf) candidates.push({ id: p.id, name: p.fullName ?? p.username ?? p.id });
      }
    } else {
      const accounts = (accountIDs ?? this.model.accounts.map((a) => a.accountID)).slice(0, 20);
      const found = await Promise.all(accounts.map((a) => client.searchContacts(a, name, { signal }).catch(() => [])));
      for (const users of found) for (const u of users) candidates.push({ id: u.id, name: u.fullName ?? u.username ?? u.id });
    }
    const score = (c: { name: string }) => {
      const n = c.name.toLowerCase();
      return n === want ? 0 : n.startsWith(want) ? 1 : n.split(/\s+/).some((w) => w.startsWith(want)) ? 2 : n.includes(want) ? 3 : 9;
    };
    const best = candidates.filter((c) => score(c) < 9).sort((a, b) => score(a) - score(b))[0];
    return best;
  }
}
