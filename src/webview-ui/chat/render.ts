// The chat page's rendering: a message as DOM (sanitized HTML, attachments, link cards,
// reactions, its toolbar), day separators, and the list kept in the window's order with minimal
// moves (nodes already in place stay, so focus and selection inside them survive).
import DOMPurify from 'dompurify';
import type { ViewMessage } from '../../webviews/protocol';
import { sortedMessages } from '../../webviews/chatPageState';
import { allowedClass, isAllowedHref, PURIFY_CONFIG } from '../../webviews/sanitizeRules';
import { initials as initialsOf } from '../../text/format';
import { avatarNode, button, el, list, t, view } from './context';

const GROUP_WINDOW_MS = 5 * 60_000;

// ---- sanitizing -------------------------------------------------------------------------------

DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
  const tag = node.nodeName.toLowerCase();
  if (data.attrName === 'class') {
    const keep = allowedClass(tag, data.attrValue);
    if (keep) data.attrValue = keep;
    else data.keepAttr = false;
  } else if (data.attrName === 'href') {
    if (tag !== 'a' || !isAllowedHref(data.attrValue)) data.keepAttr = false;
  }
});

/**
 * Message HTML as a fragment of allowed elements only. Links lose their `href`: VS Code's webview
 * host hands every `<a href>` click to its own opener (mailto: with no question, vscode: URIs to
 * other extensions), whatever the page does. A link keeps its URL as `data-link`, and a click asks
 * the extension, whose confirmation shows the real URL.
 */
export function sanitize(html: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(html, { ...PURIFY_CONFIG, ALLOWED_TAGS: [...PURIFY_CONFIG.ALLOWED_TAGS], ALLOWED_ATTR: [...PURIFY_CONFIG.ALLOWED_ATTR], FORBID_CONTENTS: [...PURIFY_CONFIG.FORBID_CONTENTS] });
  for (const a of Array.from(fragment.querySelectorAll('a'))) {
    const href = a.getAttribute('href');
    a.removeAttribute('href');
    if (href && isAllowedHref(href)) asLink(a, href.trim());
  }
  return fragment;
}

/** An element that opens `url` only through the extension: focusable, announced as a link, titled with the URL. */
export function asLink(node: HTMLElement, url: string): void {
  node.dataset.link = url;
  node.setAttribute('role', 'link');
  node.tabIndex = 0;
  node.title = url;
}

/**
 * Marks the host's code links in a rendered message: each link's text, in order, in the text
 * nodes that are not already a web link. The element names only the link's number; a click asks
 * the host, which holds the file.
 */
export function markCode(root: HTMLElement, code: NonNullable<ViewMessage['code']>): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('[data-code]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let node = walker.nextNode() as Text | null;
  let from = 0;
  for (const link of code) {
    while (node) {
      const at = node.data.indexOf(link.text, from);
      if (at < 0) {
        node = walker.nextNode() as Text | null;
        from = 0;
        continue;
      }
      // A web link whose text is the reference (a permalink written as a link) becomes the code link.
      const owner = node.parentElement?.closest<HTMLElement>('[data-link]');
      if (owner) {
        if (owner.textContent?.trim() === link.text) {
          owner.removeAttribute('data-link');
          owner.dataset.code = String(link.n);
          owner.classList.add('code-link');
          owner.title = link.title;
          node = walker.nextNode() as Text | null;
          from = 0;
          break;
        }
        node = walker.nextNode() as Text | null;
        from = 0;
        continue;
      }
      const hit = node.splitText(at);
      const rest = hit.splitText(link.text.length);
      const span = el('span', 'code-link');
      span.dataset.code = String(link.n);
      span.setAttribute('role', 'link');
      span.tabIndex = 0;
      span.title = link.title;
      hit.replaceWith(span);
      span.append(hit);
      // The walker goes on from the text after the link.
      walker.currentNode = rest;
      node = rest;
      from = 0;
      break;
    }
  }
}

/** Message HTML as plain text (a reply's quote). */
export function htmlText(html: string | undefined): string {
  if (!html) return '';
  return (sanitize(html).textContent ?? '').replace(/\s+/g, ' ').trim();
}

// ---- the list ---------------------------------------------------------------------------------

/** Rendered message nodes by ID, with the version they show. */
export const rendered = new Map<string, { node: HTMLLIElement; version: string }>();

/** Puts the DOM in the order of the window, reusing each message's node while it is unchanged. */
export function render(): void {
  if (!list) return;
  const sorted = sortedMessages(view.window);
  const wanted: HTMLElement[] = [];
  let previous: ViewMessage | undefined;
  for (const m of sorted) {
    const day = new Date(m.time).toDateString();
    if (!previous || new Date(previous.time).toDateString() !== day) wanted.push(daySeparator(m.time));
    const continued = !!previous && previous.senderID === m.senderID && new Date(m.time).getTime() - new Date(previous.time).getTime() < GROUP_WINDOW_MS && new Date(previous.time).toDateString() === day;
    const version = versionOf(m) + (continued ? ':c' : '') + (assetsReady(m) ? ':a' : '') + (m.avatar && view.images.has(m.avatar) ? ':i' : '') + (view.isGroup ? ':g' : '');
    let entry = rendered.get(m.id);
    if (!entry || entry.version !== version) {
      if (view.editing === m.id && entry) {
        // Being edited: keep the editor; the new content shows after saving or cancelling.
      } else {
        const node = renderMessage(m, continued);
        entry = { node, version };
        rendered.set(m.id, entry);
      }
    }
    wanted.push(entry.node);
    previous = m;
  }
  for (const [id, entry] of rendered) {
    if (!view.window.messages.has(id)) {
      entry.node.remove();
      rendered.delete(id);
    }
  }
  // Minimal moves: nodes already in place stay (focus and selection inside them survive).
  let cursor = list.firstElementChild;
  for (const node of wanted) {
    if (cursor === node) {
      cursor = cursor.nextElementSibling;
      continue;
    }
    list.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}

const daySeparators = new Map<string, HTMLLIElement>();
function daySeparator(iso: string): HTMLLIElement {
  const date = new Date(iso);
  const key = date.toDateString();
  let node = daySeparators.get(key);
  if (!node) {
    node = el('li', 'day');
    node.setAttribute('role', 'separator');
    const today = new Date();
    const yesterday = new Date(Date.now() - 86_400_000);
    node.textContent = key === today.toDateString() ? t('Today') : key === yesterday.toDateString() ? t('Yesterday') : formatDate(date, 'day');
    daySeparators.set(key, node);
    if (daySeparators.size > 400) daySeparators.delete(daySeparators.keys().next().value!);
  }
  return node;
}

// A message's version, once per message object (a changed message comes as a new object): a
// redraw of 250 messages does not serialize 250 messages' HTML again.
const versions = new WeakMap<ViewMessage, string>();
function versionOf(m: ViewMessage): string {
  let v = versions.get(m);
  if (v === undefined) versions.set(m, (v = versionKey(m)));
  return v;
}

function versionKey(m: ViewMessage): string {
  return JSON.stringify([m.html, m.edited, m.deleted, m.reactions, m.send, m.replyTo, m.attachments?.map((a) => a.src), m.links, m.sender, m.code]);
}

function assetsReady(m: ViewMessage): boolean {
  return !!m.attachments?.some((a) => a.assetKey && view.assets.has(a.assetKey));
}

// Formatters are made once: making an Intl formatter per message (a date-time format per time,
// its full title and a relative one) was a third of the page's work while scrolling through history.
let formats: { relative: Intl.RelativeTimeFormat; time: Intl.DateTimeFormat; dayTime: Intl.DateTimeFormat; full: Intl.DateTimeFormat; plain: Intl.DateTimeFormat; day: Intl.DateTimeFormat } | undefined;
function fmt(): NonNullable<typeof formats> {
  formats ??= {
    relative: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }),
    time: new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }),
    dayTime: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }),
    full: new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' }),
    // What Date#toLocaleString() shows with no options.
    plain: new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }),
    day: new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
  };
  return formats;
}

/** A date with one of the page's formatters; an invalid date (a formatter would throw) is empty. */
function formatDate(date: Date, format: 'time' | 'dayTime' | 'full' | 'plain' | 'day'): string {
  return Number.isNaN(date.getTime()) ? '' : fmt()[format].format(date);
}

/** A date as Date#toLocaleString() shows it (with the page's one formatter). */
export function localeString(iso: string): string {
  return formatDate(new Date(iso), 'plain');
}

export function relative(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const ms = Date.now() - date.getTime();
  if (ms < 60_000) return t('just now');
  if (ms < 3_600_000) return fmt().relative.format(-Math.round(ms / 60_000), 'minute');
  return formatDate(date, ms < 86_400_000 ? 'time' : 'dayTime');
}

function timeNode(iso: string): HTMLTimeElement {
  const time = el('time', 'time', relative(iso));
  time.dateTime = iso;
  time.title = formatDate(new Date(iso), 'full');
  return time;
}

function renderMessage(m: ViewMessage, continued: boolean): HTMLLIElement {
  const li = el('li', `msg${m.mine ? ' mine' : ''}${continued ? ' continued' : ''}${m.send ? ` ${m.send.state}` : ''}`);
  li.dataset.id = m.id;
  li.id = `msg-${m.id}`;
  li.tabIndex = -1;
  li.dataset.vscodeContext = JSON.stringify({ webviewSection: 'message', messageID: m.id, mine: m.mine, canEdit: m.canEdit, canDelete: m.canDelete, preventDefaultContextMenuItems: true });
  if (view.isGroup && !m.mine) {
    if (continued) li.append(el('span', 'avatar-gap'));
    else li.append(avatarNode(m.avatar, m.sender, 'avatar', initialsOf));
  }
  const bubble = el('div', 'bubble');
  if (!continued) {
    const meta = el('div', 'meta');
    // Names in groups; in a direct chat the side (and the header) says who wrote.
    if (view.isGroup) meta.append(el('bdi', 'sender', m.mine ? t('You') : m.sender), ' ');
    meta.append(timeNode(m.time));
    bubble.append(meta);
  }
  if (m.replyTo) {
    const quote = el('button', 'quote');
    quote.type = 'button';
    quote.dataset.reveal = m.replyTo.id;
    if (m.replyTo.missing) quote.textContent = t('Reply to a message that is not available');
    else {
      quote.append(el('bdi', 'quote-sender', m.replyTo.sender ?? ''), el('span', 'quote-text', htmlText(m.replyTo.html).slice(0, 200) || t('Attachment')));
    }
    quote.title = t('Go to the message this replies to');
    bubble.append(quote);
  }
  const content = el('div', 'body');
  if (m.deleted) content.append(el('em', 'deleted', t('Message deleted')));
  else if (m.html) {
    content.append(sanitize(m.html));
    if (m.code?.length) markCode(content, m.code);
  }
  if (m.notice) content.classList.add('notice');
  if (content.childNodes.length) bubble.append(content);
  // A very long message is folded to a few lines until asked for.
  if (!m.deleted && m.html && m.html.length > 3000) {
    content.classList.add('folded');
    bubble.append(button(t('Show all ({0} characters)', (content.textContent ?? '').length.toLocaleString()), 'link-button', { unfold: m.id }));
  }
  for (const a of m.attachments ?? []) bubble.append(renderAttachment(m, a));
  for (const link of m.links ?? []) {
    const card = el('div', 'link-card');
    if (link.img) {
      const img = el('img', 'link-img');
      img.src = link.img;
      img.alt = '';
      card.append(img);
    }
    const text = el('div', 'link-text');
    const title = el('a', 'link-title', link.title || link.url);
    asLink(title, link.url);
    text.append(title);
    if (link.summary) text.append(el('p', 'link-summary', link.summary));
    text.append(el('span', 'link-url', link.url));
    card.append(text);
    bubble.append(card);
  }
  const footer = el('div', 'footer');
  if (continued) footer.append(timeNode(m.time));
  if (m.edited && !m.deleted) {
    const edited = el('span', 'edited', t('edited'));
    edited.title = localeString(m.edited);
    footer.append(edited);
  }
  if (m.send?.state === 'pending') footer.append(el('span', 'send-state', t('Sending…')));
  else if (m.receipt) {
    // Quiet: sent → delivered → read (by whom in groups, when in direct chats), as the host worded it.
    const receipt = el('span', `receipt ${m.receipt.state}`, m.receipt.text);
    if (m.receipt.at) receipt.title = localeString(m.receipt.at);
    footer.append(receipt);
  }
  if (footer.childNodes.length) bubble.append(footer);
  if (m.send?.state === 'failed') {
    const failed = el('div', 'send-failed');
    failed.setAttribute('role', 'alert');
    failed.append(el('span', 'codicon-error', t('Not sent: {0}', m.send.reason ?? t('unknown error'))), ' ', button(t('Retry'), 'link-button', { retry: m.id }));
    bubble.append(failed);
  }
  if (m.reactions?.length) {
    const chips = el('div', 'reactions');
    for (const r of m.reactions) {
      const chip = button(`${r.key} ${r.count}`, `chip${r.mine ? ' mine' : ''}`, { react: r.key, id: m.id }, r.who);
      chip.setAttribute('aria-pressed', String(r.mine));
      chips.append(chip);
    }
    bubble.append(chips);
  }
  li.append(bubble);
  if (!m.deleted && !m.send) li.append(toolbar(m));
  return li;
}

function renderAttachment(m: ViewMessage, a: NonNullable<ViewMessage['attachments']>[number]): HTMLElement {
  const src = a.src ?? (a.assetKey ? view.assets.get(a.assetKey) : undefined);
  if (a.kind === 'image' && a.assetKey) {
    const figure = el('figure', 'image');
    const img = el('img', 'attachment-image');
    img.alt = a.name;
    if (a.width && a.height) {
      const w = Math.min(360, a.width);
      img.width = w;
      img.height = Math.round((a.height / a.width) * w);
    }
    if (src) img.src = src;
    else img.classList.add('loading');
    img.dataset.assetKey = a.assetKey;
    figure.append(img);
    return figure;
  }
  const card = el('div', 'file-card');
  const icon = el('span', `file-icon kind-${a.kind}`);
  icon.setAttribute('aria-hidden', 'true');
  const text = el('div', 'file-text');
  text.append(el('bdi', 'file-name', a.name), el('span', 'file-detail', a.detail));
  card.append(icon, text, button(t('Save As…'), 'secondary small', { save: m.id, index: String(a.index) }), button(t('Open in Beeper'), 'secondary small', { openMessage: m.id }));
  return card;
}

function toolbar(m: ViewMessage): HTMLElement {
  const bar = el('div', 'toolbar');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', t('Message actions'));
  bar.append(button('↩', 'icon', { reply: m.id }, t('Reply')));
  // React only where the network takes reactions.
  if (!view.reactions.off) bar.append(button('☺', 'icon', { reactMenu: m.id }, t('React')));
  bar.append(button('⧉', 'icon', { copyText: m.id }, t('Copy text')));
  if (m.canEdit) bar.append(button('✎', 'icon', { edit: m.id }, t('Edit')));
  if (m.canDelete) bar.append(button('🗑', 'icon', { delete: m.id }, t('Delete')));
  bar.append(button('↗', 'icon', { openMessage: m.id }, t('Open in Beeper')));
  return bar;
}

