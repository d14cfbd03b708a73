// The chat page: a conversation (a window of messages the host sends as diffs), a composer, and
// the chat's details beside it (or behind a toggle on narrow panels). The HTML is drawn once by
// the host; everything after is a message, applied in place, so scroll position, the composer's
// text and focus survive. Message HTML goes through DOMPurify with strict rules; every other
// string from the network is set as text. Links and attachments are opened by the host.
import DOMPurify from 'dompurify';
import type { ChatPageRequest, ChatPageState, ChatPageStrings, ChatPageUpdate, ChatStateUpdate, ViewMessage, ViewParticipant } from '../webviews/protocol';
import { compareSortKeys } from '../model/conversation';
import { initials as initialsOf } from '../text/format';
import { allowedClass, isAllowedHref, PURIFY_CONFIG } from '../webviews/sanitizeRules';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<ChatPageState, ChatPageRequest>();
const body = document.body;
const chatID = body.dataset.chatId ?? '';
const isGroup = body.dataset.group === 'true';
const S = readStrings();
const saved = vscode.getState();
const pageState: ChatPageState = saved && saved.chatID === chatID ? { ...saved } : { chatID, title: document.title };
const GROUP_WINDOW_MS = 5 * 60_000;
const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

function readStrings(): ChatPageStrings {
  try {
    // The host's own words for this page (not an API body), in a data attribute it escaped.
    // eslint-disable-next-line no-restricted-properties
    return JSON.parse(body.dataset.strings ?? '{}') as ChatPageStrings;
  } catch {
    return {};
  }
}
const t = (key: string, ...args: Array<string | number>) => (S[key] ?? key).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));

function saveState(): void {
  vscode.setState(pageState);
}

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

/** Message HTML as a fragment of allowed elements only. */
function sanitize(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, { ...PURIFY_CONFIG, ALLOWED_TAGS: [...PURIFY_CONFIG.ALLOWED_TAGS], ALLOWED_ATTR: [...PURIFY_CONFIG.ALLOWED_ATTR], FORBID_CONTENTS: [...PURIFY_CONFIG.FORBID_CONTENTS] });
}

/** Message HTML as plain text (a reply's quote). */
function htmlText(html: string | undefined): string {
  if (!html) return '';
  return (sanitize(html).textContent ?? '').replace(/\s+/g, ' ').trim();
}

// ---- elements ---------------------------------------------------------------------------------

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
const scroller = $('messages');
const list = $<HTMLOListElement>('message-list');
const topStatus = $('top-status');
const bottomStatus = $('bottom-status');
const jump = $<HTMLButtonElement>('jump');
const input = $<HTMLTextAreaElement>('input');
const sendButton = $<HTMLButtonElement>('send');
const composerNote = $('composer-note');
const replyBar = $('reply-bar');
const replyText = $('reply-text');
const detailsToggle = $<HTMLButtonElement>('details-toggle');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, className: string, data: Record<string, string>, title?: string): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  for (const [k, v] of Object.entries(data)) b.dataset[k] = v;
  if (title) {
    b.title = title;
    b.setAttribute('aria-label', title);
  }
  return b;
}

// ---- the window -------------------------------------------------------------------------------

const messages = new Map<string, ViewMessage>();
const rendered = new Map<string, { node: HTMLLIElement; version: string }>();
const assets = new Map<string, string>();
let atStart = false;
let atEnd = true;
let unseen = 0;
let loading: 'older' | 'newer' | 'none' = 'none';
let firstWindow = true;
let restoring = !!pageState.anchorID && !pageState.atBottom;
let editing: string | undefined;
let replyTo: string | undefined = pageState.replyTo;
let maxLength = 60_000;

function sortedMessages(): ViewMessage[] {
  return [...messages.values()].sort((x, y) => compareSortKeys(x.sortKey, y.sortKey));
}

function isAtBottom(): boolean {
  if (!scroller) return true;
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
}

/** The first message at least partly in view, and how far its top is below the view's top. */
function anchor(): { id: string; offset: number } | undefined {
  if (!scroller || !list) return undefined;
  const top = scroller.getBoundingClientRect().top;
  for (const node of list.children) {
    const rect = node.getBoundingClientRect();
    if (rect.bottom > top && node instanceof HTMLElement && node.dataset.id) return { id: node.dataset.id, offset: rect.top - top };
  }
  return undefined;
}

function restoreAnchor(a: { id: string; offset: number } | undefined): void {
  if (!a || !scroller) return;
  const node = rendered.get(a.id)?.node;
  if (!node) return;
  const top = scroller.getBoundingClientRect().top;
  scroller.scrollTop += node.getBoundingClientRect().top - top - a.offset;
}

/** New messages from others that arrived below the view while the user reads back. */
let arrivedBelow = 0;
type WindowUpdate = Extract<ChatPageUpdate, { type: 'window' }>;
const queuedWindows: WindowUpdate[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** Window changes are applied together, once per frame: a burst of events is one layout, not many. */
function queueWindow(update: WindowUpdate): void {
  queuedWindows.push(update);
  flushTimer ??= setTimeout(flushWindows, 16);
}

/** Applies queued window changes at once (a message that refers to what they bring in). */
function flushNow(): void {
  if (!flushTimer) return;
  clearTimeout(flushTimer);
  flushWindows();
}

function flushWindows(): void {
  flushTimer = undefined;
  const batch = queuedWindows.splice(0);
  if (!batch.length) return;
  const stick = isAtBottom() && atEnd;
  const keep = anchor();
  let reset = false;
  let grew = false;
  for (const update of batch) {
    if (update.reason === 'older' || update.reason === 'newer' || update.reason === 'reset') loading = 'none';
    if (update.reason === 'reset') {
      messages.clear();
      reset = true;
      arrivedBelow = 0;
    }
    if (update.reason === 'live' && !stick) arrivedBelow += update.upserted.filter((m) => !messages.has(m.id) && !m.mine).length;
    if (update.reason === 'live' || update.reason === 'newer') grew = true;
    for (const id of update.removed) messages.delete(id);
    for (const m of update.upserted) messages.set(m.id, m);
    atStart = update.atStart;
    atEnd = update.atEnd;
  }
  if (stick) arrivedBelow = 0;
  unseen = batch[batch.length - 1]!.unseen + arrivedBelow;
  render();
  if (firstWindow) {
    firstWindow = false;
    if (restoring && pageState.anchorID && rendered.has(pageState.anchorID)) {
      restoreAnchor({ id: pageState.anchorID, offset: pageState.anchorOffset ?? 0 });
      restoring = false;
    } else if (!restoring) scrollToBottom();
  } else if (reset) {
    scrollToBottom();
  } else if (stick && grew) {
    scrollToBottom();
  } else {
    restoreAnchor(keep);
  }
  updateChrome();
  // A short window (a few messages) cannot scroll: ask for more at once.
  maybeLoad();
}

function scrollToBottom(): void {
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
}

/** Puts the DOM in the order of the window, reusing each message's node while it is unchanged. */
function render(): void {
  if (!list) return;
  const sorted = sortedMessages();
  const wanted: HTMLElement[] = [];
  let previous: ViewMessage | undefined;
  for (const m of sorted) {
    const day = new Date(m.time).toDateString();
    if (!previous || new Date(previous.time).toDateString() !== day) wanted.push(daySeparator(m.time));
    const continued = !!previous && previous.senderID === m.senderID && new Date(m.time).getTime() - new Date(previous.time).getTime() < GROUP_WINDOW_MS && new Date(previous.time).toDateString() === day;
    const version = versionOf(m) + (continued ? ':c' : '') + (assetsReady(m) ? ':a' : '');
    let entry = rendered.get(m.id);
    if (!entry || entry.version !== version) {
      if (editing === m.id && entry) {
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
    if (!messages.has(id)) {
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
    node.textContent = key === today.toDateString() ? t('Today') : key === yesterday.toDateString() ? t('Yesterday') : date.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    daySeparators.set(key, node);
    if (daySeparators.size > 400) daySeparators.delete(daySeparators.keys().next().value!);
  }
  return node;
}

function versionOf(m: ViewMessage): string {
  return JSON.stringify([m.html, m.edited, m.deleted, m.reactions, m.send, m.replyTo, m.attachments?.map((a) => a.src), m.links, m.sender]);
}

function assetsReady(m: ViewMessage): boolean {
  return !!m.attachments?.some((a) => a.assetKey && assets.has(a.assetKey));
}

function relative(iso: string): string {
  const ms = Date.now() - new Date(iso).getTime();
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (ms < 60_000) return t('just now');
  if (ms < 3_600_000) return rtf.format(-Math.round(ms / 60_000), 'minute');
  if (ms < 86_400_000) return new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

function timeNode(iso: string): HTMLTimeElement {
  const time = el('time', 'time', relative(iso));
  time.dateTime = iso;
  time.title = new Date(iso).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'medium' });
  return time;
}

function renderMessage(m: ViewMessage, continued: boolean): HTMLLIElement {
  const li = el('li', `msg${m.mine ? ' mine' : ''}${continued ? ' continued' : ''}${m.send ? ` ${m.send.state}` : ''}`);
  li.dataset.id = m.id;
  li.id = `msg-${m.id}`;
  li.tabIndex = -1;
  li.dataset.vscodeContext = JSON.stringify({ webviewSection: 'message', messageID: m.id, mine: m.mine, canEdit: m.canEdit, canDelete: m.canDelete, preventDefaultContextMenuItems: true });
  if (isGroup && !m.mine) {
    if (continued) li.append(el('span', 'avatar-gap'));
    else if (m.avatar) {
      const img = el('img', 'avatar');
      img.src = m.avatar;
      img.alt = '';
      li.append(img);
    } else {
      const ph = el('span', 'avatar placeholder', initialsOf(m.sender));
      ph.setAttribute('aria-hidden', 'true');
      li.append(ph);
    }
  }
  const bubble = el('div', 'bubble');
  if (!continued) {
    const meta = el('div', 'meta');
    // Names in groups; in a direct chat the side (and the header) says who wrote.
    if (isGroup) meta.append(el('bdi', 'sender', m.mine ? t('You') : m.sender), ' ');
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
  else if (m.html) content.append(sanitize(m.html));
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
    title.href = link.url;
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
    edited.title = new Date(m.edited).toLocaleString();
    footer.append(edited);
  }
  if (m.send?.state === 'pending') footer.append(el('span', 'send-state', t('Sending…')));
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
  const src = a.src ?? (a.assetKey ? assets.get(a.assetKey) : undefined);
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
  bar.append(button('↩', 'icon', { reply: m.id }, t('Reply')), button('☺', 'icon', { reactMenu: m.id }, t('React')), button('⧉', 'icon', { copyText: m.id }, t('Copy text')));
  if (m.canEdit) bar.append(button('✎', 'icon', { edit: m.id }, t('Edit')));
  if (m.canDelete) bar.append(button('🗑', 'icon', { delete: m.id }, t('Delete')));
  bar.append(button('↗', 'icon', { openMessage: m.id }, t('Open in Beeper')));
  return bar;
}

function updateChrome(): void {
  if (topStatus) {
    topStatus.textContent = loading === 'older' ? t('Loading older messages…') : atStart ? t('This is the start of the conversation.') : '';
  }
  if (bottomStatus) bottomStatus.textContent = loading === 'newer' ? t('Loading newer messages…') : '';
  if (jump) {
    const show = !atEnd || (!isAtBottom() && unseen > 0);
    jump.hidden = !show;
    jump.textContent = unseen > 0 ? t('Jump to newest ({0})', unseen) : t('Jump to newest');
  }
}

// ---- loading as the user scrolls --------------------------------------------------------------

function maybeLoad(): void {
  if (!scroller || loading !== 'none' || firstWindow) return;
  if (!atStart && scroller.scrollTop < 400) request({ type: 'loadOlder' }, 'older');
  else if (!atEnd && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 400) request({ type: 'loadNewer' }, 'newer');
}

function request(message: ChatPageRequest, which: 'older' | 'newer'): void {
  loading = which;
  updateChrome();
  vscode.postMessage(message);
}

let lastAtBottom: boolean | undefined;
let scrollTimer: ReturnType<typeof setTimeout> | undefined;
scroller?.addEventListener(
  'scroll',
  () => {
    maybeLoad();
    if (scrollTimer) return;
    scrollTimer = setTimeout(() => {
      scrollTimer = undefined;
      const bottom = isAtBottom() && atEnd;
      if (bottom) {
        unseen = 0;
        arrivedBelow = 0;
      }
      const a = anchor();
      pageState.anchorID = a?.id;
      pageState.anchorOffset = a?.offset;
      pageState.atBottom = bottom;
      saveState();
      updateChrome();
      if (bottom !== lastAtBottom) {
        lastAtBottom = bottom;
        vscode.postMessage({ type: 'viewport', atBottom: bottom });
      }
    }, 150);
  },
  { passive: true },
);

jump?.addEventListener('click', () => {
  unseen = 0;
  arrivedBelow = 0;
  if (atEnd) {
    scrollToBottom();
    updateChrome();
  } else vscode.postMessage({ type: 'jumpToNewest' });
});

// ---- the composer -----------------------------------------------------------------------------

let requestCounter = 0;
let draftTimer: ReturnType<typeof setTimeout> | undefined;

function setNote(text: string | undefined, kind: 'info' | 'error' = 'info'): void {
  if (!composerNote) return;
  composerNote.textContent = text ?? '';
  composerNote.hidden = !text;
  composerNote.className = `composer-note ${kind}`;
}

function sendNow(): void {
  if (!input || input.disabled) return;
  const text = input.value;
  if (!text.trim()) return;
  if (text.length > maxLength) {
    setNote(t('This message is {0} characters long; the most that can be sent at once is {1}.', text.length, maxLength), 'error');
    return;
  }
  vscode.postMessage({ type: 'send', requestID: ++requestCounter, text, replyTo });
  input.value = '';
  autosize();
  setReply(undefined);
  setNote(undefined);
  pageState.draft = '';
  saveState();
  vscode.postMessage({ type: 'draft', text: '' });
  unseen = 0;
  if (!atEnd) vscode.postMessage({ type: 'jumpToNewest' });
}

function autosize(): void {
  if (!input) return;
  input.style.height = 'auto';
  input.style.height = `${Math.min(200, input.scrollHeight)}px`;
}

input?.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    sendNow();
  } else if (event.key === 'Escape' && replyTo) {
    setReply(undefined);
  }
});
input?.addEventListener('input', () => {
  autosize();
  pageState.draft = input.value;
  saveState();
  if (input.value.length > maxLength) setNote(t('{0} of at most {1} characters.', input.value.length, maxLength), 'error');
  else if (composerNote && !composerNote.hidden && composerNote.classList.contains('error')) setNote(undefined);
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => vscode.postMessage({ type: 'draft', text: input.value }), 400);
});
sendButton?.addEventListener('click', () => sendNow());

function setReply(id: string | undefined): void {
  replyTo = id;
  pageState.replyTo = id;
  saveState();
  if (!replyBar || !replyText) return;
  const m = id ? messages.get(id) : undefined;
  replyBar.hidden = !id;
  replyText.textContent = '';
  if (id) {
    replyText.append(el('span', 'muted', t('Replying to {0}', m ? (m.mine ? t('yourself') : m.sender) : '…')), ' ', el('span', 'quote-text', m ? htmlText(m.html).slice(0, 120) : ''));
    input?.focus();
  }
}

// ---- actions ----------------------------------------------------------------------------------

function startEdit(id: string): void {
  const m = messages.get(id);
  const node = rendered.get(id)?.node;
  if (!m || !node) return;
  editing = id;
  const bodyNode = node.querySelector('.body');
  const editor = el('div', 'editor');
  const area = el('textarea', 'edit-input');
  area.value = htmlText(m.html);
  area.setAttribute('aria-label', t('Edit message'));
  const save = button(t('Save'), 'primary small', { saveEdit: id });
  const cancel = button(t('Cancel'), 'secondary small', { cancelEdit: id });
  editor.append(area, save, cancel);
  if (bodyNode) bodyNode.replaceWith(editor);
  else node.querySelector('.bubble')?.append(editor);
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      save.click();
    } else if (event.key === 'Escape') cancel.click();
  });
  area.focus();
}

function stopEdit(): void {
  const id = editing;
  editing = undefined;
  if (id) rendered.delete(id);
  render();
}

function showReactMenu(id: string, anchorNode: HTMLElement): void {
  document.querySelector('.react-menu')?.remove();
  const menu = el('div', 'react-menu');
  menu.setAttribute('role', 'menu');
  for (const key of QUICK_REACTIONS) {
    const b = button(key, 'icon', { react: key, id }, t('React with {0}', key));
    b.setAttribute('role', 'menuitem');
    menu.append(b);
  }
  const any = button('…', 'icon', { pickReaction: id }, t('Any emoji…'));
  any.setAttribute('role', 'menuitem');
  menu.append(any);
  anchorNode.closest('.msg')?.append(menu);
  (menu.firstElementChild as HTMLElement | null)?.focus();
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (!target.closest('.react-menu') && !target.closest('[data-react-menu]')) document.querySelector('.react-menu')?.remove();
  // Links inside messages: never followed by the page; the host shows the URL and opens it.
  const link = target.closest('a');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) vscode.postMessage({ type: 'openLink', url: href });
    return;
  }
  const b = target.closest('button');
  if (!b || b.hasAttribute('disabled')) return;
  const d = b.dataset;
  if (d.copy !== undefined) {
    vscode.postMessage({ type: 'copy', value: d.copy });
    b.classList.add('copied');
    setTimeout(() => b.classList.remove('copied'), 1200);
  } else if (d.action === 'openInBeeper' || d.action === 'refresh' || d.action === 'showMoreParticipants') {
    vscode.postMessage({ type: d.action });
  } else if (d.reveal) vscode.postMessage({ type: 'reveal', id: d.reveal });
  else if (d.retry) vscode.postMessage({ type: 'retry', id: d.retry });
  else if (d.react && d.id) {
    document.querySelector('.react-menu')?.remove();
    vscode.postMessage({ type: 'react', id: d.id, key: d.react });
  } else if (d.reactMenu) showReactMenu(d.reactMenu, b);
  else if (d.pickReaction) {
    document.querySelector('.react-menu')?.remove();
    vscode.postMessage({ type: 'pickReaction', id: d.pickReaction });
  } else if (d.reply) setReply(d.reply);
  else if (d.copyText) vscode.postMessage({ type: 'copyText', id: d.copyText });
  else if (d.edit) startEdit(d.edit);
  else if (d.saveEdit) {
    const area = b.parentElement?.querySelector('textarea');
    const text = area?.value ?? '';
    if (text.trim()) vscode.postMessage({ type: 'edit', requestID: ++requestCounter, id: d.saveEdit, text });
    stopEdit();
  } else if (d.cancelEdit) stopEdit();
  else if (d.delete) vscode.postMessage({ type: 'delete', id: d.delete });
  else if (d.openMessage) vscode.postMessage({ type: 'openInBeeper', messageID: d.openMessage });
  else if (d.save) vscode.postMessage({ type: 'saveAttachment', id: d.save, index: Number(d.index) });
  else if (d.unfold) {
    b.parentElement?.querySelector('.body')?.classList.remove('folded');
    b.remove();
  }
  else if (b.id === 'cancel-reply') setReply(undefined);
  else if (b === detailsToggle) {
    const open = body.classList.toggle('details-open');
    detailsToggle.setAttribute('aria-expanded', String(open));
  }
});

// ---- chat state and participants (the details column) ----------------------------------------

function applyState(update: ChatStateUpdate): void {
  for (const node of document.querySelectorAll('.chat-title bdi')) node.textContent = update.title;
  pageState.title = update.title;
  saveState();
  const unread = $('unread');
  if (unread) {
    unread.textContent = update.unread;
    if (update.mentions) unread.append(el('span', 'muted', ` (${update.mentions})`));
  }
  const activity = $('activity');
  if (activity) {
    activity.textContent = '';
    if (update.activity.iso) {
      const time = el('time', undefined, update.activity.text);
      time.dateTime = update.activity.iso;
      time.title = update.activity.title ?? '';
      activity.append(time);
    } else activity.textContent = update.activity.text;
  }
  const flags = $('flags');
  if (flags) {
    flags.textContent = '';
    if (!update.flags.length) flags.textContent = update.noFlags;
    update.flags.forEach((f, i) => {
      if (i > 0) flags.append(' ');
      flags.append(el('span', 'tag', f));
    });
  }
}

function applyParticipants(update: { items: ViewParticipant[]; count: string; more?: string; loading?: boolean }): void {
  const ul = $('participants');
  const count = $('participant-count');
  if (count) count.textContent = update.count;
  if (ul) {
    ul.textContent = '';
    for (const p of update.items) {
      const li = el('li', `participant${p.self ? ' self' : ''}`);
      if (p.avatar) {
        const img = el('img', 'avatar');
        img.src = p.avatar;
        img.alt = '';
        li.append(img);
      } else li.append(el('span', 'avatar placeholder', initialsOf(p.name)));
      li.append(el('bdi', 'name', p.name));
      if (p.handle) li.append(el('bdi', 'handle', p.handle));
      for (const b of p.badges) li.append(' ', el('span', 'tag', b));
      ul.append(li);
    }
  }
  const more = $<HTMLButtonElement>('show-more');
  if (more) {
    more.hidden = !update.more;
    more.textContent = update.loading ? t('Loading more participants…') : (update.more ?? '');
    more.disabled = !!update.loading;
  }
}

// ---- messages from the host -------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<ChatPageUpdate>) => {
  const update = event.data;
  if (!update || typeof update !== 'object') return;
  switch (update.type) {
    case 'state':
      applyState(update);
      return;
    case 'deleted': {
      const banner = $('banner');
      if (banner) {
        banner.textContent = update.message;
        banner.hidden = false;
      }
      if (input) input.disabled = true;
      if (sendButton) sendButton.disabled = true;
      return;
    }
    case 'window':
      queueWindow(update);
      return;
    case 'loading':
      loading = update.which;
      updateChrome();
      if (update.error && topStatus) topStatus.textContent = update.error;
      return;
    case 'asset': {
      assets.set(update.key, update.src);
      for (const img of document.querySelectorAll<HTMLImageElement>('img[data-asset-key]')) {
        if (img.dataset.assetKey === update.key) {
          img.src = update.src;
          img.classList.remove('loading');
        }
      }
      return;
    }
    case 'reveal': {
      // The window change that brought the message in may still be queued.
      flushNow();
      if (update.notFound) {
        setNote(update.notFound);
        return;
      }
      const node = rendered.get(update.id)?.node;
      if (!node) return;
      if (update.restore) {
        restoreAnchor({ id: update.id, offset: pageState.anchorOffset ?? 0 });
        restoring = false;
        return;
      }
      node.scrollIntoView({ block: 'center' });
      node.classList.add('highlight');
      node.focus({ preventScroll: true });
      setTimeout(() => node.classList.remove('highlight'), 1600);
      return;
    }
    case 'response':
      if (!update.ok && update.error) setNote(update.error, 'error');
      return;
    case 'composer': {
      maxLength = update.maxLength;
      if (input) {
        input.disabled = !!update.disabled;
        if (sendButton) sendButton.disabled = !!update.disabled;
        input.placeholder = update.disabled ? '' : t('Message (Enter to send, Shift+Enter for a new line)');
        if (update.disabled) setNote(update.disabled);
        if (update.insert !== undefined) {
          input.value = update.insert;
          autosize();
          pageState.draft = input.value;
          saveState();
          input.focus();
          input.setSelectionRange(input.value.length, input.value.length);
        } else if (!input.value && (pageState.draft || update.draft)) {
          // The page's own draft (this window) wins over the host's copy (another session).
          input.value = pageState.draft || update.draft || '';
          autosize();
        }
      }
      if (replyTo) setReply(replyTo);
      return;
    }
    case 'participants':
      applyParticipants(update);
      return;
    case 'startReply':
      flushNow();
      if (messages.has(update.id)) setReply(update.id);
      return;
    case 'startEdit':
      if (messages.get(update.id)?.canEdit) startEdit(update.id);
      return;
  }
});

// A preview or avatar image that does not load leaves no broken-image icon.
document.addEventListener(
  'error',
  (event) => {
    if (event.target instanceof HTMLImageElement && !event.target.classList.contains('attachment-image')) event.target.remove();
  },
  true,
);

// Relative times stay current.
setInterval(() => {
  for (const time of document.querySelectorAll<HTMLTimeElement>('.msg time')) time.textContent = relative(time.dateTime);
}, 60_000);

window.addEventListener('focus', () => vscode.postMessage({ type: 'viewport', atBottom: isAtBottom() && atEnd }));

saveState();
vscode.postMessage({ type: 'ready', anchorID: restoring ? pageState.anchorID : undefined });
