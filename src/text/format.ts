// The project's text vocabulary, written once: how a person's handle and name read, initials,
// sizes, relative times, Markdown fences, MIME types by file name and by content type, and the
// longest message the extension sends. Pure: no vscode import (ESLint enforces it), used by the
// model, the views, the tools and the webview pages alike.
import { stripInvisible } from './untrusted';

/** The longest message the extension sends at once (composer, notification Reply, send tool). */
export const MAX_MESSAGE_CHARS = 20_000;

/** Anything with the name fields the API gives people (users, participants, accounts' users). */
export interface PersonLike {
  id?: string;
  fullName?: string | null;
  username?: string | null;
  phoneNumber?: string | null;
  email?: string | null;
}

/** The name a person goes by: full name, else username, phone, email, else the ID. */
export function personName(p: PersonLike): string {
  return p.fullName || p.username || p.phoneNumber || p.email || p.id || '';
}

/** The handle shown beside a name: `@username`, else the phone number, else the email. */
export function handleOf(p: PersonLike): string | undefined {
  if (p.username) return p.username.startsWith('@') ? p.username : `@${p.username}`;
  return p.phoneNumber || p.email || undefined;
}

/** The handle when it says more than the name beside it. */
export function handleBeside(p: PersonLike, name: string): string | undefined {
  const handle = handleOf(p);
  return handle && handle !== name ? handle : undefined;
}

/** The initials shown when there is no usable avatar (first and last word). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1);
  return letters.map((w) => Array.from(w)[0] ?? '').join('').toUpperCase() || '?';
}

/** "812 B", "1.2 MB", "15 GB"; undefined for an unknown size. */
export function formatBytes(n: number | undefined): string | undefined {
  if (n === undefined || !Number.isFinite(n) || n < 0) return undefined;
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** "connection_required" → "Connection required". */
export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const UNITS: [number, string][] = [
  [365 * 24 * 3600_000, 'y'],
  [30 * 24 * 3600_000, 'mo'],
  [7 * 24 * 3600_000, 'w'],
  [24 * 3600_000, 'd'],
  [3600_000, 'h'],
  [60_000, 'm'],
];

/** "now", "5m", "3h", "2d", "4w"... compact enough for a tree row. */
export function relativeTime(iso: string | undefined, now: number): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const diff = Math.max(0, now - t);
  for (const [ms, unit] of UNITS) if (diff >= ms) return `${Math.floor(diff / ms)}${unit}`;
  return 'now';
}

/** A Markdown fence no text can close from inside: longer than any run of backticks in it. */
export function fenceFor(body: string): string {
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block with an optional language (a safe identifier, else none). */
export function fenced(body: string, language = ''): string {
  const fence = fenceFor(body);
  const lang = /^[\w+#.-]{1,40}$/.test(language) && language !== 'plaintext' ? language : '';
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** File extension (lower case, no dot) → MIME type: the one table. */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', bmp: 'image/bmp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', json: 'application/json', zip: 'application/zip',
  mp4: 'video/mp4', mov: 'video/quicktime', mp3: 'audio/mpeg', ogg: 'audio/ogg', wav: 'audio/wav', csv: 'text/csv',
  ts: 'text/plain', js: 'text/javascript', html: 'text/html', log: 'text/plain',
};

/** Raster images a page may show (SVG is never shown: it can carry script). */
const RASTER_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

/** A file's MIME type from its name; `application/octet-stream` when unknown. */
export function mimeTypeOf(fileName: string): string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** The raster image type of a file name, or undefined (not an image a page may show). */
export function rasterImageTypeOf(fileName: string): string | undefined {
  const type = mimeTypeOf(fileName);
  return RASTER_IMAGES.has(type) ? type : undefined;
}

/** The file extension (with its dot) for a raster image content type, or undefined. */
export function rasterImageExtension(contentType: string | undefined): string | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!RASTER_IMAGES.has(type)) return undefined;
  const ext = Object.entries(MIME_BY_EXTENSION).find(([e, t]) => t === type && e !== 'jpeg')?.[0];
  return ext ? `.${ext}` : undefined;
}

/** Names Windows keeps for devices, with or without an extension (`CON`, `nul.txt`, `COM1`). */
const RESERVED_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;

/**
 * A file name someone else chose, made safe to propose in a Save dialog: hidden, bidi and control
 * characters removed (`invoice‮fdp.exe` shows as what it is, `invoicefdp.exe`), no path
 * separators or characters Windows refuses, no leading dots (no dotfiles), no trailing dots or
 * spaces, never a Windows device name, at most 200 characters with the extension kept.
 */
export function safeFileName(value: unknown, fallback = 'attachment'): string {
  const text = typeof value === 'string' ? value : '';
  let name = stripInvisible(text)
    .text.replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (!name || /^_+$/.test(name)) return fallback;
  if (RESERVED_NAME.test(name)) name = `_${name}`;
  const chars = Array.from(name);
  if (chars.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = `${chars.slice(0, 200 - Array.from(ext).length).join('').replace(/[\s.]+$/, '')}${ext}`;
  }
  return name;
}

/** Where a Save dialog starts: Downloads when there is one, else the workspace, else the home folder. */
export function saveFolder(home: string, hasDownloads: boolean, workspace: string | undefined, join: (...parts: string[]) => string): string {
  if (hasDownloads) return join(home, 'Downloads');
  return workspace ?? home;
}
