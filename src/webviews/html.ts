// Pure helpers for webview HTML: escaping, nonces, the Content-Security-Policy and the image
// policy. No vscode import, so the rules that keep webviews safe are unit-tested on their own.
import { randomBytes } from 'node:crypto';
import { asText } from '../text/untrusted';

/** Escapes text for use in HTML content and in double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return asText(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Text from the network, made safe to show: bidi overrides and control characters removed (they
 * can disguise what a name says), and very long values cut so a 10,000-character title cannot
 * push everything else off screen. Escape the result too; this is not an HTML escape.
 */
export function displayText(value: unknown, max = 500): string {
  // eslint-disable-next-line no-control-regex
  const clean = asText(value).replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/**
 * The policy every Beeper webview uses: nothing by default; scripts only with the nonce; styles
 * and fonts from the extension's own folder; images as data: (file: avatars are inlined by the
 * extension after checking where they live) and, only when `remoteImages` is on
 * (beeper.loadRemoteImages), from https: hosts. No scripts, frames, fetches or sockets reach the
 * network: a remote image is the only request a page can make, and only when allowed.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string, remoteImages = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    // The extension's own resources (the attachment cache) are images too; never the network unless allowed.
    remoteImages ? `img-src ${cspSource} https: data:` : `img-src ${cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export type ImageSource = { kind: 'url'; url: string } | { kind: 'file'; path: string } | { kind: 'none' };

/**
 * What an avatar URL may become: https: and data:image URLs are used as they are; a file: URL is
 * returned as a path for the caller to check against the allowed roots; anything else
 * (http:, javascript:, blob:, relative paths, svg data with script) becomes a placeholder.
 */
export function classifyImageUrl(raw: string | null | undefined, remoteImages = true): ImageSource {
  if (!raw || typeof raw !== 'string') return { kind: 'none' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // Not a URL at all: initials.
    return { kind: 'none' };
  }
  if (url.protocol === 'https:') return remoteImages ? { kind: 'url', url: url.href } : { kind: 'none' };
  if (url.protocol === 'data:') {
    return /^data:image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml)[;,]/i.test(raw.trim()) ? { kind: 'url', url: raw.trim() } : { kind: 'none' };
  }
  if (url.protocol === 'file:') {
    // file://host/share/… and file:////host/share/… name another computer: never read.
    if (url.host !== '' || /^\/{2}/.test(url.pathname)) return { kind: 'none' };
    try {
      const filePath = decodeURIComponent(url.pathname).replace(/^\/([a-zA-Z]:)/, '$1');
      if (/^[\\/]{2}/.test(filePath)) return { kind: 'none' };
      return { kind: 'file', path: filePath };
    } catch {
      // A malformed %-escape: not a path we can trust.
      return { kind: 'none' };
    }
  }
  return { kind: 'none' };
}

/** What every Beeper webview page needs from the panel that shows it. */
export interface PageFrame {
  cspSource: string;
  nonce: string;
  /** beeper.loadRemoteImages: lets https: images through the CSP. */
  remoteImages?: boolean;
  scriptUri: string;
  styleUri: string;
  t: (message: string, ...args: Array<string | number>) => string;
}

/** The start of a page up to its <body>: the CSP, the stylesheet, an escaped title. */
export function pageStart(frame: PageFrame, title: string, bodyAttributes = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(frame.cspSource, frame.nonce, frame.remoteImages))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(frame.styleUri)}">
<title>${escapeHtml(displayText(title, 200))}</title>
</head>
<body${bodyAttributes}>`;
}

/** The end of a page: its one script, with the nonce. */
export function pageEnd(frame: PageFrame): string {
  return `<script nonce="${escapeHtml(frame.nonce)}" src="${escapeHtml(frame.scriptUri)}"></script>
</body>
</html>`;
}
