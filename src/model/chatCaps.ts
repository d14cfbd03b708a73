// What a chat's network accepts, from its capabilities (the spec's ChatCapabilities): which files
// and how large, whether code blocks survive, and how a text too long for it is split. No vscode
// import: unit-tested.
import type { ChatCapabilities } from '../api/types';

/** The Matrix message type a file is sent as (the keys of `capabilities.attachments`). */
export function msgtypeOf(mimeType: string): 'm.image' | 'm.video' | 'm.audio' | 'm.file' {
  if (mimeType.startsWith('image/')) return 'm.image';
  if (mimeType.startsWith('video/')) return 'm.video';
  if (mimeType.startsWith('audio/')) return 'm.audio';
  return 'm.file';
}

function mimeMatches(pattern: string, mimeType: string): boolean {
  if (pattern === '*/*' || pattern === '*') return true;
  if (pattern.endsWith('/*')) return mimeType.startsWith(pattern.slice(0, -1));
  return pattern.toLowerCase() === mimeType.toLowerCase();
}

export type AttachmentVerdict =
  | { ok: true }
  /** The network takes no files of this kind (or this type); `accepts` lists the kinds it takes. */
  | { ok: false; reason: 'type'; accepts: string[] }
  | { ok: false; reason: 'size'; maxSize: number };

/**
 * Whether the network takes this file. Without attachment capabilities nothing is known and the
 * file goes (the server has the last word); with them, a missing type is rejected, as the spec says.
 */
export function attachmentVerdict(caps: ChatCapabilities | undefined, mimeType: string, size: number): AttachmentVerdict {
  const table = caps?.attachments;
  if (!table) return { ok: true };
  const accepts = Object.entries(table)
    .filter(([, c]) => Object.values(c.mimeTypes ?? {}).some((level) => level > 0))
    .map(([type]) => type);
  const entry = table[msgtypeOf(mimeType)];
  const level = entry ? Math.max(-2, ...Object.entries(entry.mimeTypes ?? {}).filter(([p]) => mimeMatches(p, mimeType)).map(([, l]) => l)) : -2;
  if (!entry || level <= 0) return { ok: false, reason: 'type', accepts };
  if (entry.maxSize !== undefined && size > entry.maxSize) return { ok: false, reason: 'size', maxSize: entry.maxSize };
  return { ok: true };
}

/** Whether fenced code blocks survive on this network (unknown: yes). */
export function codeBlocksSurvive(caps: ChatCapabilities | undefined): boolean {
  const f = caps?.formatting;
  if (!f) return true;
  return (f['code_block'] ?? f['codeBlock'] ?? 0) > 0;
}

/**
 * A text too long for one message, in parts of at most `max` characters: cut at a paragraph, a
 * line, a sentence or a space near the end of each part, never inside a surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  if (max <= 0) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const floor = Math.floor(max * 0.5);
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const at = window.lastIndexOf(sep);
      if (at >= floor) {
        cut = at + sep.length;
        break;
      }
    }
    if (cut < 0) cut = max;
    // Never split a surrogate pair.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts.filter((p) => p.length > 0);
}
