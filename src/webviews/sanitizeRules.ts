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

/** Links may go to http(s) and mailto only. */
export const ALLOWED_URI = /^(?:https?:|mailto:)/i;

export function isAllowedHref(href: string): boolean {
  const trimmed = href.trim();
  if (!ALLOWED_URI.test(trimmed)) return false;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:';
  } catch {
    // Not a URL: not a link.
    return false;
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

/** Where a link may be opened from a message: the parsed URL, or undefined. */
export function linkTarget(raw: string): URL | undefined {
  if (!isAllowedHref(raw)) return undefined;
  try {
    return new URL(raw.trim());
  } catch {
    // Not a URL: nothing to open.
    return undefined;
  }
}
