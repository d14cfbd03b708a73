// The rules for message HTML (Matrix HTML written by other people). The chat page hands them to
// DOMPurify; they live here, without a DOM, so they are unit-tested on their own. Pure.

/** The only elements a message may keep. Everything else is dropped (its text kept, except below). */
export const ALLOWED_TAGS = ['b', 'strong', 'i', 'em', 'u', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'p', 'br', 'a'];

/** The only attributes: a link's target and a code block's language class (checked below). */
export const ALLOWED_ATTR = ['href', 'class'];

/**
 * Elements dropped together with everything inside them: Matrix's reply fallback (a copy of
 * another message, which could be forged) and content that is never text.
 */
export const FORBID_CONTENTS = ['mx-reply', 'script', 'style', 'iframe', 'form', 'object', 'embed', 'svg', 'math', 'template', 'noscript', 'title', 'head', 'select', 'textarea', 'button', 'img', 'video', 'audio'];

/** Links a message may carry: http(s), and mailto (offered as an address to copy, never opened). */
export const ALLOWED_URI = /^(?:https?:|mailto:)/i;

/** True for an href a message may keep (as a `data-link`; the page never holds a real href). */
export function isAllowedHref(href: string): boolean {
  return linkKind(href) !== undefined;
}

/** What a link is: a web page the user may open after our confirmation, an email address to copy, or nothing. */
export function linkKind(raw: string): 'web' | 'mail' | undefined {
  const trimmed = raw.trim();
  if (!ALLOWED_URI.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname ? 'web' : undefined;
    return url.protocol === 'mailto:' && url.pathname ? 'mail' : undefined;
  } catch {
    // Not a URL: not a link.
    return undefined;
  }
}

/** A class survives only as a code block's language (`language-ts`) on <code> or <pre>. */
export function allowedClass(tag: string, value: string): string | undefined {
  if (tag !== 'code' && tag !== 'pre') return undefined;
  const lang = value
    .split(/\s+/)
    .find((c) => /^language-[A-Za-z0-9_+#.-]{1,40}$/.test(c));
  return lang;
}

/** What the page gives DOMPurify (with hooks that apply isAllowedHref and allowedClass). */
export const PURIFY_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  FORBID_CONTENTS,
  ALLOWED_URI_REGEXP: ALLOWED_URI,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
} as const;

/** Where a link may be opened from a message (http and https only): the parsed URL, or undefined. */
export function linkTarget(raw: string): URL | undefined {
  return linkKind(raw) === 'web' ? new URL(raw.trim()) : undefined;
}

/** The address of a mailto: link (decoded, without its query), or undefined. */
export function mailAddress(raw: string): string | undefined {
  if (linkKind(raw) !== 'mail') return undefined;
  const path = new URL(raw.trim()).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    // Badly escaped: the raw path is still what the link names.
    return path;
  }
}
