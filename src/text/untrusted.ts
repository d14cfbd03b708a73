// Text written by someone else (a server's error message, a chat title, a bridge's status text),
// made safe to show in VS Code's own UI. Notifications turn `[label](command:…)` into a link that
// runs a command; quick picks and status texts render `$(icon)`. This is the one place that
// neutralizes both, strips control and bidi characters, and cuts the length. No vscode import.

/**
 * Characters that are never shown and that nothing legitimate needs in someone else's text:
 * control characters (except tab and line breaks, which each caller handles its own way), bidi
 * embeddings, overrides, isolates and marks, and the other default-ignorable code points (soft
 * hyphen, combining grapheme joiner, Hangul fillers, Mongolian and plain variation selectors
 * U+FE00–FE0D, word joiners and invisible operators U+2060–206F, the byte-order mark, shorthand
 * format controls, musical formatting, and the whole tag and variation-selector supplement
 * U+E0000–E0FFF). Emoji presentation selectors (U+FE0E/FE0F), the zero-width joiner and
 * non-joiner, and the tags of a subdivision flag are judged by `stripInvisible` in context.
 */
const ALWAYS =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0d\\ufeff\\uffa0\\ufff0-\\ufff8\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e0fff}';
/** Kept as they are, in this order: a subdivision flag (🏴 + tags + cancel tag), then runs to judge. */
// The selectors and joiners are matched on their own on purpose (they are what is judged), not as part of the character before them.
// eslint-disable-next-line no-misleading-character-class
const HIDDEN = new RegExp(`\\u{1f3f4}[\\u{e0020}-\\u{e007e}]{2,7}\\u{e007f}|[\\u200c\\u200d]+|[\\ufe0e\\ufe0f]+|[${ALWAYS}]+`, 'gu');
// eslint-disable-next-line no-misleading-character-class
const ALWAYS_ONE = new RegExp(`[${ALWAYS}]`, 'u');
/** A character a joiner may sit beside: shown, not a space, not Latin (Latin text never needs one). */
const JOINABLE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20e3\ufe0f\p{M}\p{L}\p{N}]/u;
const LATIN = /[\p{Script=Latin}\p{ASCII}]/u;

function joinable(ch: string | undefined): boolean {
  return ch !== undefined && JOINABLE.test(ch) && !LATIN.test(ch) && !ALWAYS_ONE.test(ch);
}
/** The code point that ends just before `offset`, and the one that starts at `offset`. */
function before(text: string, offset: number): string | undefined {
  if (offset <= 0) return undefined;
  const low = text.charCodeAt(offset - 1);
  return low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? text.slice(offset - 2, offset) : text[offset - 1];
}
function at(text: string, offset: number): string | undefined {
  const cp = text.codePointAt(offset);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/**
 * Someone else's text with every hidden character removed, and how many code points went. What a
 * stranger can hide in a message (tag characters that spell words, variation selectors that
 * carry bytes, zero-width runs) never reaches a language model or a confirmation. What emoji
 * need stays: one presentation selector after a shown character (❤️, 1️⃣), a single joiner
 * between two emoji or between letters of a script that joins (👨‍👩‍👧, Persian, Devanagari),
 * skin tones and flags (regional indicators are shown characters; 🏴 subdivision flags keep their
 * tags). Line breaks and tabs are left to the caller.
 */
export function stripInvisible(value: string): { text: string; removed: number } {
  let removed = 0;
  const text = value.replace(HIDDEN, (run: string, offset: number, whole: string) => {
    const first = run.codePointAt(0)!;
    if (first === 0x1f3f4) return run;
    const count = Array.from(run).length;
    if (first === 0x200c || first === 0x200d) {
      if (count === 1 && joinable(before(whole, offset)) && joinable(at(whole, offset + run.length))) return run;
    } else if (first === 0xfe0e || first === 0xfe0f) {
      const base = before(whole, offset);
      if (base !== undefined && !/\s/u.test(base) && !ALWAYS_ONE.test(base) && base !== '\u200d' && base !== '\u200c') {
        removed += count - 1;
        return run[0]!;
      }
    }
    removed += count;
    return '';
  });
  return { text, removed };
}

/** A word joiner: invisible, and nothing that renders markup matches across it. */
const JOINER = '\u2060';

/**
 * Untrusted text for a notification, a quick-pick row, a status bar text or an input box.
 * - `](` (the middle of a Markdown link) is split, so no link or command link can form;
 * - `$(` (a codicon) is split, so no icon is drawn from someone else's text;
 * - control, bidi and zero-width characters are removed, line breaks become spaces;
 * - the result is at most `max` characters, with "…" when cut.
 */
export function untrusted(value: unknown, max = 300): string {
  const text = stripInvisible(asText(value))
    .text.replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .trim();
  const cut = text.length > max ? `${Array.from(text).slice(0, max - 1).join('')}…` : text;
  // Applied after cutting, so a cut can never join the pieces back together.
  return cut.replace(/\]\s*\(/g, `]${JOINER}(`).replace(/\$\(/g, `$${JOINER}(`);
}

/** A value from JSON as text: strings as they are, numbers and booleans printed, anything else empty. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** A label for a row or a title: like `untrusted`, with a stand-in for empty text. */
export function untrustedLabel(value: unknown, max = 200, empty = '(untitled)'): string {
  return untrusted(value, max) || empty;
}
