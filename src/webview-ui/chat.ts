// The chat page: a shell the host fills by messages. The window of messages (diffs applied once
// per frame with the shared reducer, src/webviews/chatPageState.ts), scrolling that asks for
// older and newer pages, "Jump to newest", and the dispatch of the host's messages to the
// modules in ./chat/: render (messages as DOM, sanitized), composer, details, actions. On every
// start (a reload, or VS Code bringing back a page it discarded) it says `ready`, and the host
// replays everything.
import type { ChatPageUpdate } from '../webviews/protocol';
import { applyWindowBatch, type WindowUpdate } from '../webviews/chatPageState';
import { $, list, pageState, saveState, scroller, t, view, vscode } from './chat/context';
import { relative, render, rendered } from './chat/render';
import { applyComposer, disableComposer, setNote, setReply } from './chat/composer';
import { applyImages, applyParticipants, applyState } from './chat/details';
import { startEdit } from './chat/actions';

const topStatus = $('top-status');
const bottomStatus = $('bottom-status');
const jump = $<HTMLButtonElement>('jump');
let firstWindow = true;
let restoring = !!pageState.anchorID && !pageState.atBottom;

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

function scrollToBottom(): void {
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
}

// ---- window changes, once per frame ------------------------------------------------------------

const queuedWindows: WindowUpdate[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

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
  try {
    applyWindows(batch);
  } finally {
    // The host sends the next window updates once these are drawn (it paces them by this).
    const seq = Math.max(...batch.map((u) => u.seq ?? 0));
    if (seq > 0) vscode.postMessage({ type: 'applied', seq });
  }
}

function applyWindows(batch: WindowUpdate[]): void {
  const stick = isAtBottom() && view.window.atEnd;
  const keep = anchor();
  const { reset, grew } = applyWindowBatch(view.window, batch, stick);
  render();
  if (firstWindow) {
    firstWindow = false;
    if (restoring && pageState.anchorID && rendered.has(pageState.anchorID)) {
      restoreAnchor({ id: pageState.anchorID, offset: pageState.anchorOffset ?? 0 });
      restoring = false;
    } else if (!restoring) scrollToBottom();
  } else if (reset || (stick && grew)) {
    scrollToBottom();
  } else {
    restoreAnchor(keep);
  }
  // A short window (a few messages) cannot scroll: ask for more at once. (Its reads come before
  // the chrome's writes; it updates the chrome itself when it asks.)
  if (!maybeLoad()) updateChrome();
}

/** Sets a text only when it changes: an unchanged write still costs the page a layout of every message. */
function setText(node: HTMLElement | null, text: string): void {
  if (node && node.textContent !== text) node.textContent = text;
}

function updateChrome(): void {
  const w = view.window;
  // Reads (layout) before writes: a write before a read makes the browser lay the list out twice.
  const hideJump = !(!w.atEnd || (!isAtBottom() && w.unseen > 0));
  setText(topStatus, w.loading === 'older' ? t('Loading older messages…') : w.atStart ? t('This is the start of the conversation.') : '');
  setText(bottomStatus, w.loading === 'newer' ? t('Loading newer messages…') : '');
  if (jump) {
    if (jump.hidden !== hideJump) jump.hidden = hideJump;
    setText(jump, w.unseen > 0 ? t('Jump to newest ({0})', w.unseen) : t('Jump to newest'));
  }
}

// ---- loading as the user scrolls --------------------------------------------------------------

/** Asks for older or newer messages when the view is near an end of the window; whether it asked. */
function maybeLoad(): boolean {
  const w = view.window;
  if (!scroller || w.loading !== 'none' || firstWindow) return false;
  if (!w.atStart && scroller.scrollTop < 400) request('loadOlder', 'older');
  else if (!w.atEnd && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 400) request('loadNewer', 'newer');
  else return false;
  return true;
}

function request(type: 'loadOlder' | 'loadNewer', which: 'older' | 'newer'): void {
  view.window.loading = which;
  updateChrome();
  vscode.postMessage({ type });
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
      const bottom = isAtBottom() && view.window.atEnd;
      if (bottom) {
        view.window.unseen = 0;
        view.window.arrivedBelow = 0;
      }
      const a = anchor();
      pageState.anchorID = a?.id;
      pageState.anchorOffset = a?.offset;
      pageState.atBottom = bottom;
      saveState();
      // Where the page saved its place (the end-to-end test waits on it instead of a fixed time).
      document.body.dataset.anchor = a?.id ?? '';
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
  view.window.unseen = 0;
  view.window.arrivedBelow = 0;
  if (view.window.atEnd) {
    scrollToBottom();
    updateChrome();
  } else vscode.postMessage({ type: 'jumpToNewest' });
});

// ---- messages from the host -------------------------------------------------------------------

function reveal(update: Extract<ChatPageUpdate, { type: 'reveal' }>): void {
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
}

window.addEventListener('message', (event: MessageEvent<ChatPageUpdate>) => {
  const update = event.data;
  if (!update || typeof update !== 'object') return;
  switch (update.type) {
    case 'state':
      applyState(update);
      render();
      return;
    case 'participants':
      applyParticipants(update);
      return;
    case 'images':
      applyImages(update.images);
      return;
    case 'deleted': {
      const banner = $('banner');
      if (banner) {
        banner.textContent = update.message;
        banner.hidden = false;
      }
      disableComposer();
      return;
    }
    case 'window':
      queueWindow(update);
      return;
    case 'loading':
      view.window.loading = update.which;
      updateChrome();
      if (update.error) setText(topStatus, update.error);
      return;
    case 'asset':
      view.assets.set(update.key, update.src);
      for (const img of document.querySelectorAll<HTMLImageElement>('img[data-asset-key]')) {
        if (img.dataset.assetKey === update.key) {
          img.src = update.src;
          img.classList.remove('loading');
        }
      }
      return;
    case 'reveal':
      reveal(update);
      return;
    case 'response':
      if (!update.ok && update.error) setNote(update.error, 'error');
      return;
    case 'composer':
      applyComposer(update);
      return;
    case 'startReply':
      flushNow();
      if (view.window.messages.has(update.id)) setReply(update.id);
      return;
    case 'startEdit':
      if (view.window.messages.get(update.id)?.canEdit) startEdit(update.id);
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

window.addEventListener('focus', () => vscode.postMessage({ type: 'viewport', atBottom: isAtBottom() && view.window.atEnd }));

saveState();
vscode.postMessage({ type: 'ready', anchorID: restoring ? pageState.anchorID : undefined });
