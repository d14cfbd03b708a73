// "What needs me?": a ranking of the chats that want the user, with no language model. Pure: no
// vscode, no I/O; the host reads the chats and the unread messages of a few groups, and words the
// reasons. From strongest to weakest:
//   1. due reminders;  2. unread @mentions;  3. unread direct messages;  4. chats marked unread;
//   5. group messages that ask the user something (a question, their name, a reply to them);
//   6. everything else unread.
// Muted and low-priority chats come after all of these, or are left out (the caller's choice);
// a due reminder is never quiet (the user set it). Archived chats count only for a due reminder.
import type { Chat, Message } from '../api/types';
import { compareSortKeys } from './conversation';

export type NeedKind = 'reminder' | 'mention' | 'direct' | 'markedUnread' | 'asked' | 'unread';

/** The tiers, strongest first. */
export const NEED_ORDER: readonly NeedKind[] = ['reminder', 'mention', 'direct', 'markedUnread', 'asked', 'unread'];

export interface Need {
  chat: Chat;
  kind: NeedKind;
  /** Muted or low priority: listed after every other chat. */
  quiet: boolean;
  /** Mentions (mention) or unread messages (the others). */
  count: number;
  /** When (epoch ms): the reminder's time, or the chat's last activity. */
  at?: number;
  /** What a group message asked (tier 5): how it involves the user, its words (quotes left out), who. */
  asked?: { how: 'question' | 'name' | 'reply'; text: string; sender?: string; messageID: string };
}

export interface RankOptions {
  now: number;
  /** The user's names (full names, first names, handles) for "said your name". */
  selfNames: readonly string[];
  /** Muted and low-priority chats: listed last, or left out. */
  quiet: 'last' | 'hide';
  /** Recent messages per chat (any order), when the host read them; used for tier 5. */
  recent?: ReadonlyMap<string, readonly Message[]>;
  /** Message HTML as its author's own text, quotes left out (the host's HTML parser). */
  ownText(html: string): string;
}

const ASKED_CHARS = 120;

/** The ranking: every chat that needs the user, strongest first, each with why. */
export function rankNeeds(chats: Iterable<Chat>, o: RankOptions): Need[] {
  const names = nameMatchers(o.selfNames);
  const out: Need[] = [];
  const seen = new Set<string>();
  for (const chat of chats) {
    if (seen.has(chat.id) || chat.mergedIntoChatID) continue;
    seen.add(chat.id);
    const need = needOf(chat, o, names);
    if (need && !(need.quiet && o.quiet === 'hide')) out.push(need);
  }
  const tier = (n: Need) => NEED_ORDER.indexOf(n.kind);
  return out.sort((a, b) => Number(a.quiet) - Number(b.quiet) || tier(a) - tier(b) || (a.kind === 'reminder' ? (a.at ?? 0) - (b.at ?? 0) : (b.at ?? 0) - (a.at ?? 0)) || a.chat.id.localeCompare(b.chat.id));
}

function needOf(chat: Chat, o: RankOptions, names: readonly NameMatcher[]): Need | undefined {
  const remindAt = chat.reminder ? Date.parse(chat.reminder.remindAt) : NaN;
  if (Number.isFinite(remindAt) && remindAt <= o.now) return { chat, kind: 'reminder', quiet: false, count: chat.unreadCount, at: remindAt };
  if (chat.isArchived) return undefined;
  const unread = Math.max(0, chat.unreadCount || 0);
  if (unread === 0 && !chat.isMarkedUnread) return undefined;
  const quiet = !!chat.isMuted || !!chat.isLowPriority;
  const at = chat.lastActivity ? Date.parse(chat.lastActivity) : undefined;
  const base = { chat, quiet, at: Number.isFinite(at) ? at : undefined };
  if ((chat.unreadMentionsCount ?? 0) > 0) return { ...base, kind: 'mention', count: chat.unreadMentionsCount! };
  if (chat.type === 'single' && unread > 0) return { ...base, kind: 'direct', count: unread };
  if (unread === 0) return { ...base, kind: 'markedUnread', count: 0 };
  const asked = askedIn(o.recent?.get(chat.id) ?? [], chat, o, names);
  if (asked) return { ...base, kind: 'asked', count: unread, asked };
  return { ...base, kind: 'unread', count: unread };
}

/**
 * The newest unread message from someone else that asks the user something: a reply to one of
 * the user's messages, the user's name in its own words (not in a quote), or a question.
 */
export function askedIn(messages: readonly Message[], chat: Chat, o: Pick<RankOptions, 'ownText'>, names: readonly NameMatcher[]): Need['asked'] {
  const mine = new Set(messages.filter((m) => m.isSender).map((m) => m.id));
  const unread = messages
    .filter((m) => !m.isSender && !m.isDeleted && !m.isHidden && messageUnread(m, chat))
    .sort((a, b) => compareSortKeys(b.sortKey, a.sortKey));
  for (const m of unread) {
    const text = m.text ? withoutQuotes(o.ownText(m.text)) : '';
    const found = (how: 'question' | 'name' | 'reply', words: string) => ({ how, text: clip(words), sender: m.senderName, messageID: m.id });
    if (m.linkedMessageID && mine.has(m.linkedMessageID)) return found('reply', text);
    if (text && names.some((re) => re.test(text))) return found('name', text);
    const question = questionIn(text);
    if (question) return found('question', question);
  }
  return undefined;
}

/** Unread by the message's own flag, or after the chat's read position. */
export function messageUnread(m: Message, chat: Chat): boolean {
  if (m.isUnread !== undefined) return m.isUnread;
  return !!chat.lastReadMessageSortKey && compareSortKeys(m.sortKey, chat.lastReadMessageSortKey) > 0;
}

/** Plain text without quoted lines ("> …", a reply's quote), trimmed. */
export function withoutQuotes(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .trim();
}

const SENTENCE_END = new Set(['.', '!', '?', '\n', '。', '！', '？']);

/** The sentence with a question mark (any script's), or undefined. */
export function questionIn(text: string): string | undefined {
  const mark = text.search(/[?？؟;]/u);
  if (mark < 0 || (text[mark] === ';' && !/[\u0370-\u03ff]/u.test(text))) return undefined;
  // Back to the start of the sentence.
  let start = mark;
  while (start > 0 && !SENTENCE_END.has(text[start - 1]!)) start--;
  return text.slice(start, mark + 1).trim() || undefined;
}

export interface NameMatcher {
  test(text: string): boolean;
}

/** A letter, digit or underscore in any script (compiled once: Unicode classes are costly to build). */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Whole-word, case-insensitive matchers for the user's names (two letters or more): a plain
 * search in the lower-cased text with a word-boundary check on each side. (A RegExp per name with
 * Unicode classes and the `i` flag cost milliseconds each to compile, on every ranking.)
 */
export function nameMatchers(names: readonly string[]): NameMatcher[] {
  const unique = [...new Set(names.map((n) => n.trim().replace(/^@/, '').toLowerCase()).filter((n) => n.length >= 2))];
  return unique.slice(0, 12).map((name) => ({
    test(text: string): boolean {
      const hay = text.toLowerCase();
      for (let at = hay.indexOf(name); at >= 0; at = hay.indexOf(name, at + 1)) {
        const before = at > 0 ? hay[at - 1]! : '';
        const after = hay[at + name.length] ?? '';
        if ((!before || before === '@' || !WORD_CHAR.test(before)) && (!after || !WORD_CHAR.test(after))) return true;
      }
      return false;
    },
  }));
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > ASKED_CHARS ? `${one.slice(0, ASKED_CHARS - 1)}…` : one;
}

/** The names a person is called by: full name, first name, handle (for "said your name"). */
export function namesOf(people: readonly { fullName?: string | null; username?: string | null }[]): string[] {
  const out: string[] = [];
  for (const p of people) {
    if (p.fullName) {
      out.push(p.fullName);
      const first = p.fullName.split(/\s+/)[0];
      if (first && first.length >= 3) out.push(first);
    }
    if (p.username) out.push(p.username);
  }
  return out;
}
