// A message's Matrix HTML as one line of plain text for a notification. The HTML is parsed by
// htmlparser2 (a real tokenizer, never regular expressions); only text content is kept, block
// elements and <br> break lines, and the first non-empty line is returned. No vscode import.
import { Parser } from 'htmlparser2';
import type { Message } from '../api/types';

const BLOCKS = new Set(['p', 'div', 'br', 'li', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr']);
/** Content that is never text (and Matrix's reply fallback, which quotes another message). */
const SKIP = new Set(['script', 'style', 'mx-reply', 'head', 'title', 'svg', 'math', 'iframe', 'object', 'noscript', 'template', 'select', 'textarea']);

/**
 * Message HTML as plain text. With `skipQuotes`, quoted words (`<blockquote>`) are left out: what
 * remains is the author's own (the catch-up asks whether *they* asked the user something).
 */
export function htmlToText(html: string, maxChars = 2000, options: { skipQuotes?: boolean } = {}): string {
  let out = '';
  let skipping = 0;
  const skip = options.skipQuotes ? new Set([...SKIP, 'blockquote']) : SKIP;
  const parser = new Parser(
    {
      onopentag(name) {
        if (skip.has(name)) skipping++;
        else if (BLOCKS.has(name)) out += '\n';
      },
      onclosetag(name) {
        if (skip.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCKS.has(name)) out += '\n';
      },
      ontext(text) {
        if (skipping === 0 && out.length < maxChars) out += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html.length > maxChars * 4 ? html.slice(0, maxChars * 4) : html);
  parser.end();
  return out;
}

/** What a message without text is, for its notification line (worded, and translated, by the notifier). */
export type MessageKindLine = 'photo' | 'video' | 'voice' | 'file' | 'sticker' | 'location' | 'message';

/** The first line of a message for a notification, or its kind when it has no text. */
export function firstLine(message: Message): { text: string } | { kind: MessageKindLine } {
  const text = message.text ? htmlToText(message.text) : '';
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (line) return { text: line };
  switch (message.type) {
    case 'IMAGE':
      return { kind: 'photo' };
    case 'VIDEO':
      return { kind: 'video' };
    case 'VOICE':
    case 'AUDIO':
      return { kind: 'voice' };
    case 'FILE':
      return { kind: 'file' };
    case 'STICKER':
      return { kind: 'sticker' };
    case 'LOCATION':
      return { kind: 'location' };
    default:
      return { kind: 'message' };
  }
}
