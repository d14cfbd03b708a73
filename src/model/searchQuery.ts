// Message search as power users type it: words, plus `from:NAME`, `in:"CHAT"`, `account:NETWORK`,
// `before:` / `after:` (ISO dates, or words like `yesterday` and `last week`), `has:image|video|
// file|link|voice` and `is:dm|group`. Parsed into the filters /v1/messages/search takes; what
// cannot be mapped is searched as text, and said so. No vscode import: unit-tested.
import type { MessageSearchParams } from '../api/types';

export type SearchFilter =
  | { kind: 'from'; name: string }
  | { kind: 'in'; chat: string }
  | { kind: 'account'; network: string }
  | { kind: 'before'; at: number; text: string }
  | { kind: 'after'; at: number; text: string }
  | { kind: 'has'; media: 'image' | 'video' | 'file' | 'link' }
  | { kind: 'is'; chatType: 'single' | 'group' };

export interface ParsedSearch {
  /** The words searched as text (literal; all must match). */
  words: string[];
  filters: SearchFilter[];
  /** Filter words that could not be mapped: searched as text, and said so. */
  unmapped: string[];
}

/** `key:value`, `key:"quoted value"`, `"a phrase"` or a word. */
const TOKEN = /(\w+):"([^"]*)"?|(\w+):(\S+)|"([^"]*)"?|(\S+)/g;

function startOfDay(d: Date, days = 0): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days).getTime();
}

/**
 * A date word, as the start of that local day (or that period): `today`, `yesterday`, `last
 * week` (7 days back), `last month`, `2026-11-30`, `2026-11-30T14:00`. Undefined when unreadable.
 */
export function parseDateWord(text: string, now: Date): number | undefined {
  const v = text.trim().toLowerCase().replace(/[_-]+(?=[a-z])/g, ' ');
  if (v === 'today') return startOfDay(now);
  if (v === 'yesterday') return startOfDay(now, -1);
  if (v === 'last week' || v === 'lastweek' || v === 'week') return startOfDay(now, -7);
  if (v === 'last month' || v === 'lastmonth' || v === 'month') return startOfDay(now, -30);
  const days = /^(\d{1,3})\s*d(ays?)?$/.exec(v);
  if (days) return startOfDay(now, -Number(days[1]));
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2}))?$/.exec(v);
  if (iso) {
    const [y, m, d, h, mi] = iso.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number];
    const at = new Date(y, m - 1, d, h, mi);
    if (at.getFullYear() !== y || at.getMonth() !== m - 1 || at.getDate() !== d) return undefined;
    return at.getTime();
  }
  return undefined;
}

export function parseSearchQuery(text: string, now: Date): ParsedSearch {
  const words: string[] = [];
  const filters: SearchFilter[] = [];
  const unmapped: string[] = [];
  // "last week" is two words: join it when it follows before:/after:.
  const source = text.replace(/\b(before|after):last\s+(week|month)\b/gi, '$1:"last $2"');
  for (const m of source.matchAll(TOKEN)) {
    const key = (m[1] ?? m[3])?.toLowerCase();
    const value = m[2] ?? m[4];
    if (key !== undefined && value !== undefined) {
      const raw = m[0];
      const filter = readFilter(key, value, now);
      if (filter) filters.push(filter);
      else if (KEYS.has(key)) {
        unmapped.push(raw);
        words.push(...value.split(/\s+/).filter(Boolean));
      } else words.push(raw);
      continue;
    }
    const phrase = m[5];
    if (phrase !== undefined) words.push(...phrase.split(/\s+/).filter(Boolean));
    else if (m[6]) words.push(m[6]);
  }
  return { words, filters, unmapped };
}

const KEYS = new Set(['from', 'in', 'account', 'before', 'after', 'has', 'is']);

function readFilter(key: string, value: string, now: Date): SearchFilter | undefined {
  const v = value.trim();
  if (!v) return undefined;
  switch (key) {
    case 'from':
      return { kind: 'from', name: v };
    case 'in':
      return { kind: 'in', chat: v };
    case 'account':
      return { kind: 'account', network: v };
    case 'before':
    case 'after': {
      const at = parseDateWord(v, now);
      return at === undefined ? undefined : { kind: key, at, text: v };
    }
    case 'has': {
      const media = v.toLowerCase();
      return media === 'image' || media === 'video' || media === 'file' || media === 'link' ? { kind: 'has', media } : undefined;
    }
    case 'is': {
      const t = v.toLowerCase();
      return t === 'dm' || t === 'direct' || t === 'single' ? { kind: 'is', chatType: 'single' } : t === 'group' ? { kind: 'is', chatType: 'group' } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The request for a parsed query, once names are resolved: `from:` to a sender (`me`, or a user
 * ID), `in:` to chat IDs, `account:` to account IDs. A filter that resolved to nothing makes the
 * search find nothing (`empty`), rather than silently searching everywhere.
 */
export function searchParams(
  parsed: ParsedSearch,
  resolved: { sender?: string; chatIDs?: string[]; accountIDs?: string[] },
): { params: MessageSearchParams; empty: boolean } {
  const params: MessageSearchParams = {};
  if (parsed.words.length) params.query = parsed.words.join(' ');
  let empty = false;
  const media = new Set<'image' | 'video' | 'file' | 'link'>();
  for (const f of parsed.filters) {
    switch (f.kind) {
      case 'from':
        if (resolved.sender) params.sender = resolved.sender;
        else empty = true;
        break;
      case 'in':
        if (resolved.chatIDs?.length) params.chatIDs = resolved.chatIDs;
        else empty = true;
        break;
      case 'account':
        if (resolved.accountIDs?.length) params.accountIDs = resolved.accountIDs;
        else empty = true;
        break;
      case 'before':
        params.dateBefore = new Date(params.dateBefore ? Math.min(Date.parse(params.dateBefore), f.at) : f.at).toISOString();
        break;
      case 'after':
        params.dateAfter = new Date(params.dateAfter ? Math.max(Date.parse(params.dateAfter), f.at) : f.at).toISOString();
        break;
      case 'has':
        media.add(f.media);
        break;
      case 'is':
        params.chatType = f.chatType;
        break;
    }
  }
  if (media.size) params.mediaTypes = [...media];
  return { params, empty };
}

/** Where the words of the query are in a snippet (the quick pick's own highlights), case-insensitive. */
export function highlights(text: string, words: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  const out: [number, number][] = [];
  for (const w of words) {
    const needle = w.toLowerCase();
    if (!needle) continue;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) out.push([at, at + needle.length]);
  }
  out.sort((a, b) => a[0] - b[0]);
  // Overlaps merged: the pick draws ranges, not nested ones.
  const merged: [number, number][] = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** A snippet of a message around the first matched word, at most `max` characters. */
export function snippet(text: string, words: readonly string[], max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const lower = flat.toLowerCase();
  const first = words.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, Math.min(first - Math.floor(max / 3), flat.length - max));
  return `${start > 0 ? '…' : ''}${flat.slice(start, start + max)}${start + max < flat.length ? '…' : ''}`;
}
