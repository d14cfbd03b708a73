// What `@beeper` gives a language model, and nothing else: other people's messages inside the
// quoted-content fence (invisible characters removed, look-alike markers defused, the model told
// that instructions inside are data), people as stable pseudonyms ("Person 3", phone numbers as
// "Phone 1") unless the user turned that off, and at most the user's character bound, newest
// messages first, with the rest counted. The answer is mapped back to real names for display.
// Pure: no vscode import; the tests check these prompts.
import type { Message } from '../api/types';
import { compareSortKeys } from '../model/conversation';
import { stripInvisible } from '../text/untrusted';
import { fitEntries, quoteBlock, quoted } from './toolText';

const PHONE = /\+?\d[\d ().-]{6,}\d/g;
const MAX_LINE = 1200;

/**
 * Stable pseudonyms for the people of one request: a person keeps the same token in every chat
 * of it. Names said inside messages (full names, and first names of three letters or more) and
 * phone numbers are replaced too. With `enabled` false, names go through unchanged.
 */
export class Pseudonyms {
  private readonly tokenOf = new Map<string, string>();
  private readonly realOf = new Map<string, string>();
  private readonly names: { name: string; token: string }[] = [];
  private people = 0;
  private phones = 0;
  private pattern: RegExp | undefined;

  constructor(readonly enabled: boolean) {}

  /** The token of a person (by ID, with the name to replace in texts), or their name when off. */
  person(id: string, name: string | undefined): string {
    const display = (name ?? '').trim() || id;
    if (!this.enabled) return display;
    let token = this.tokenOf.get(id);
    if (!token) {
      token = `Person ${++this.people}`;
      this.tokenOf.set(id, token);
      this.realOf.set(token, display);
      if (name) {
        this.addName(name.trim(), token);
        const first = name.trim().split(/\s+/)[0]!;
        if (first.length >= 3 && first !== name.trim()) this.addName(first, token);
      }
    }
    return token;
  }

  private addName(name: string, token: string): void {
    if (name.length < 2 || this.names.some((n) => n.name.toLowerCase() === name.toLowerCase())) return;
    this.names.push({ name, token });
    this.names.sort((a, b) => b.name.length - a.name.length);
    this.pattern = undefined;
  }

  /** A text with the known names and any phone numbers replaced by tokens. */
  text(value: string): string {
    if (!this.enabled) return value;
    let out = value.replace(PHONE, (phone) => {
      const key = `phone:${phone.replace(/\D/g, '')}`;
      let token = this.tokenOf.get(key);
      if (!token) {
        token = `Phone ${++this.phones}`;
        this.tokenOf.set(key, token);
        this.realOf.set(token, phone);
      }
      return token;
    });
    if (this.names.length) {
      this.pattern ??= new RegExp(`(?<![\\p{L}\\p{N}_])(?:${this.names.map((n) => n.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
      const byName = new Map(this.names.map((n) => [n.name.toLowerCase(), n.token]));
      out = out.replace(this.pattern, (m) => byName.get(m.toLowerCase()) ?? m);
    }
    return out;
  }

  /** The model's answer with the tokens it used shown as the real names again. */
  restore(answer: string): string {
    if (!this.enabled) return answer;
    return answer.replace(/\b(Person|Phone) (\d+)\b/g, (m) => this.realOf.get(m) ?? m);
  }

  /** How many people have a token. */
  get count(): number {
    return this.people;
  }
}

export interface PromptMessage {
  message: Message;
  /** Whether the message is the user's own. */
  mine: boolean;
}

export interface BuiltPrompt {
  text: string;
  /** Messages given to the model, and those left out by the bound. */
  shared: number;
  notShared: number;
  /** Characters of other people's words used from the bound. */
  used: number;
}

/** Message lines for the fence: time, who (a pseudonym or "You"), their words; oldest first. */
function lines(messages: readonly PromptMessage[], p: Pseudonyms, toText: (html: string) => string): string[] {
  return [...messages]
    .sort((a, b) => compareSortKeys(a.message.sortKey, b.message.sortKey))
    .filter((m) => !m.message.isDeleted && !m.message.isHidden)
    .map(({ message: m, mine }) => {
      const who = mine ? 'You' : p.person(m.senderID, m.senderName);
      const words = m.text ? toText(m.text) : (m.attachments ?? []).map((a) => `[${a.type ?? 'file'}]`).join(' ') || '[message]';
      const time = Number.isFinite(Date.parse(m.timestamp)) ? new Date(m.timestamp).toISOString().slice(11, 16) : '';
      return `[${time}] ${who}: ${quoted(p.text(words), MAX_LINE, true, false)}`;
    });
}

const PSEUDONYM_RULE = 'People appear as pseudonyms such as "Person 2" or "Phone 1"; write them exactly as given.';

const SUMMARY_RULES = (p: Pseudonyms) => [
  'You help the user catch up on a chat. In at most two short sentences, say what in the messages below needs the user: questions to them, requests, decisions, plans.',
  `Use only what the messages say; quote nothing that is not in them.${p.enabled ? ` ${PSEUDONYM_RULE}` : ''} "You" is the user.`,
  'Answer with the summary only.',
];

/** The chat's people get their tokens first, so their names are replaced everywhere in its prompt (its title too). */
export interface PromptChat {
  title: string;
  people: readonly { id: string; fullName?: string | null; isSelf?: boolean }[];
}

function known(chat: PromptChat, p: Pseudonyms): void {
  for (const person of chat.people) if (!person.isSelf) p.person(person.id, person.fullName ?? undefined);
}

/** The prompt for one chat's summary, within `budget` characters of messages (newest kept). */
export function summaryPrompt(chat: PromptChat, messages: readonly PromptMessage[], p: Pseudonyms, toText: (html: string) => string, budget: number): BuiltPrompt {
  known(chat, p);
  const title = chat.title;
  const all = lines(messages, p, toText);
  const { kept, dropped } = fitEntries(all, Math.max(200, budget), 'end');
  const header = `Chat: ${quoted(p.text(title), 200)}`;
  const text = [...SUMMARY_RULES(p), '', quoteBlock([header, ...kept])].join('\n');
  return { text, shared: kept.length, notShared: dropped, used: kept.reduce((n, l) => n + l.length + 1, 0) };
}

const DRAFT_RULES = (p: Pseudonyms) => [
  'Write the user\'s next message in the chat below, as the user ("You"), in their language and tone (see their own messages).',
  `Follow the user's intent. Use only facts from the messages or the intent.${p.enabled ? ` ${PSEUDONYM_RULE}` : ''}`,
  'Answer with the message text only: no quotes around it, no preamble, no sign-off the user did not ask for.',
];

/** The prompt for a drafted reply: the user's intent (their own words, outside the fence) and the chat. */
export function draftPrompt(chat: PromptChat, messages: readonly PromptMessage[], intent: string, p: Pseudonyms, toText: (html: string) => string, budget: number): BuiltPrompt {
  known(chat, p);
  const title = chat.title;
  const all = lines(messages, p, toText);
  const { kept, dropped } = fitEntries(all, Math.max(200, budget), 'end');
  const wish = stripInvisible(intent).text.replace(/\s+/g, ' ').trim().slice(0, 500) || 'a short, friendly reply';
  const text = [...DRAFT_RULES(p), `The user's intent: ${p.text(wish)}`, '', quoteBlock([`Chat: ${quoted(p.text(title), 200)}`, ...kept])].join('\n');
  return { text, shared: kept.length, notShared: dropped, used: kept.reduce((n, l) => n + l.length + 1, 0) };
}

/** A model's draft as message text: trimmed, without quotes or a code fence around it. */
export function cleanDraft(answer: string): string {
  let text = stripInvisible(answer).text.trim();
  const fence = /^```[\w-]*\n([\s\S]*?)\n```$/.exec(text);
  if (fence) text = fence[1]!.trim();
  if (/^(["“«„]).*(["”»“])$/s.test(text)) text = text.slice(1, -1).trim();
  return text;
}
