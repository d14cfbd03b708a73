// What the catch-up reads: every network's unread chats (a few pages of one search, all accounts
// at once, into the model like any other read), and the newest messages of the chats whose
// reason depends on them, at most four chats at a time. No vscode import; the ranking is
// catchUp.ts, the words and the pick are the host's.
import type { BeeperClient } from '../api/client';
import { nextTurn } from '../api/nextTurn';
import type { Chat, Message } from '../api/types';
import type { BeeperModel } from './model';
import { namesOf, rankNeeds, type Need, type RankOptions } from './catchUp';

/** Chat reads in flight at once (the bound). */
export const CATCH_UP_READS = 4;
const UNREAD_PAGES = 3;
const PAGE = 200;
/** Groups whose newest messages are read to see whether they ask the user something. */
const ASK_READS = 30;

export interface CatchUpStats {
  requests: number;
  /** The most chat reads that were in flight at once. */
  maxInFlight: number;
}

export interface CatchUpResult {
  needs: Need[];
  /** The messages read per chat (newest page), for the wording and for summaries. */
  recent: Map<string, Message[]>;
  stats: CatchUpStats;
}

export class CatchUpSource {
  constructor(
    private readonly model: BeeperModel,
    private readonly client: () => Promise<BeeperClient>,
  ) {}

  /** The user's names across accounts (for "said your name"). */
  selfNames(): string[] {
    return namesOf(this.model.accounts.map((a) => ({ fullName: a.user.fullName, username: a.user.username })));
  }

  /** Reads the unread chats and the messages the ranking needs, then ranks every known chat. */
  async read(o: Pick<RankOptions, 'quiet' | 'ownText'> & { signal?: AbortSignal; now?: number }): Promise<CatchUpResult> {
    // The HTML-to-text code is loaded now, in its own turn of the event loop, not inside the ranking.
    o.ownText('');
    const client = await this.client();
    const stats: CatchUpStats = { requests: 0, maxInFlight: 0 };
    let cursor: string | undefined;
    for (let page = 0; page < UNREAD_PAGES; page++) {
      o.signal?.throwIfAborted();
      stats.requests++;
      const readAt = this.model.readMark();
      const res = await client.searchChats({ unreadOnly: true, includeMuted: true, limit: PAGE, cursor, direction: cursor ? 'before' : undefined }, { signal: o.signal });
      // Into the model a slice at a time: every view redraws from these, and the extension host is shared.
      for (let i = 0; i < res.items.length; i++) {
        this.model.upsertChat(res.items[i]!, readAt);
        if (i % 50 === 49) await nextTurn();
      }
      if (!res.hasMore || !res.oldestCursor) break;
      cursor = res.oldestCursor;
    }
    const now = o.now ?? Date.now();
    const chats = [...this.model.knownChats()];
    // Groups that could be "asked you": unread, no mention, not archived; the newest first.
    const groups = chats
      .filter((c) => c.type !== 'single' && c.unreadCount > 0 && !(c.unreadMentionsCount ?? 0) && !c.isArchived && !c.mergedIntoChatID && !(o.quiet === 'hide' && (c.isMuted || c.isLowPriority)))
      .sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''))
      .slice(0, ASK_READS);
    const recent = await this.newestMessages(groups, stats, o.signal);
    o.signal?.throwIfAborted();
    const needs = rankNeeds(this.model.knownChats(), { now, selfNames: this.selfNames(), quiet: o.quiet, recent, ownText: o.ownText });
    return { needs, recent, stats };
  }

  /** The newest page of messages of each chat, at most CATCH_UP_READS at a time; failures are skipped. */
  async newestMessages(chats: readonly Chat[], stats: CatchUpStats, signal?: AbortSignal, known?: Map<string, Message[]>): Promise<Map<string, Message[]>> {
    const out = new Map<string, Message[]>(known);
    const queue = chats.filter((c) => !out.has(c.id));
    const client = await this.client();
    let inFlight = 0;
    const worker = async () => {
      for (let chat = queue.shift(); chat; chat = queue.shift()) {
        if (signal?.aborted) return;
        inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
        stats.requests++;
        try {
          const page = await client.listMessages(chat.id, {}, { signal });
          out.set(chat.id, page.items);
        } catch {
          // This chat keeps the reason its counts give (a failed read never hides a chat).
        } finally {
          inFlight--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CATCH_UP_READS, queue.length) }, worker));
    return out;
  }
}
