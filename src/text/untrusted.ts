// Text written by someone else (a server's error message, a chat title, a bridge's status text),
// made safe to show in VS Code's own UI. Notifications turn `[label](command:…)` into a link that
// runs a command; quick picks and status texts render `$(icon)`. This is the one place that
// neutralizes both, strips control and bidi characters, and cuts the length. No vscode import.

/**
 * Control characters (except tab and line breaks, which each caller handles its own way), bidi
 * embeddings/overrides/isolates and marks, zero-width spaces. The zero-width joiner and
 * non-joiner (U+200D, U+200C) stay: emoji sequences (👨‍👩‍👧) and scripts such as Persian and
 * Devanagari need them, and they hide no text. Shared with the chat tools' quoting.
 */
// eslint-disable-next-line no-control-regex
export const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
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
  const text = asText(value)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(INVISIBLE, '')
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
