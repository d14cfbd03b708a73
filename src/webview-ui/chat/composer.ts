// The composer: Enter sends (once), Shift+Enter makes a new line, the draft is kept in the page's
// state and given to the host (a pause in typing, or the page going away), replies, the length
// limit, and the read-only state the host sends.
import type { ChatPageUpdate } from '../../webviews/protocol';
import { $, button, el, pageState, saveState, t, view, vscode } from './context';
import { htmlText } from './render';

type ComposerUpdate = Extract<ChatPageUpdate, { type: 'composer' }>;

export const input = $<HTMLTextAreaElement>('input');
const sendButton = $<HTMLButtonElement>('send');
const composerNote = $('composer-note');
const replyBar = $('reply-bar');
const replyText = $('reply-text');

let requestCounter = 0;
let draftTimer: ReturnType<typeof setTimeout> | undefined;
let maxLength = 60_000;
export let replyTo: string | undefined = pageState.replyTo;

export function nextRequestID(): number {
  return ++requestCounter;
}

export function setNote(text: string | undefined, kind: 'info' | 'error' = 'info'): void {
  if (!composerNote) return;
  composerNote.textContent = text ?? '';
  composerNote.hidden = !text;
  composerNote.className = `composer-note ${kind}`;
}

function autosize(): void {
  if (!input) return;
  input.style.height = 'auto';
  input.style.height = `${Math.min(200, input.scrollHeight)}px`;
}

function sendNow(): void {
  if (!input || input.disabled) return;
  const text = input.value;
  if (!text.trim()) return;
  if (text.length > maxLength) {
    // Over the network's limit: say so, and offer to send it in parts or as a text file.
    setNote(t('This message is {0} characters long; the most that can be sent at once is {1}.', text.length, maxLength), 'error');
    const parts = Math.ceil(text.length / maxLength);
    composerNote?.append(' ', button(t('Send in {0} parts', parts), 'link-button', { sendLong: 'split' }), ' ', button(t('Send as a file'), 'link-button', { sendLong: 'file' }));
    return;
  }
  vscode.postMessage({ type: 'send', requestID: nextRequestID(), text, replyTo });
  input.value = '';
  autosize();
  setReply(undefined);
  setNote(undefined);
  pageState.draft = '';
  saveState();
  clearTimeout(draftTimer);
  vscode.postMessage({ type: 'draft', text: '' });
  view.window.unseen = 0;
  view.window.arrivedBelow = 0;
  if (!view.window.atEnd) vscode.postMessage({ type: 'jumpToNewest' });
}

/** Starts (or ends) a reply; `focus`: the user asked for it now (not a state being redrawn). */
export function setReply(id: string | undefined, focus = true): void {
  replyTo = id;
  pageState.replyTo = id;
  saveState();
  if (!replyBar || !replyText) return;
  const m = id ? view.window.messages.get(id) : undefined;
  replyBar.hidden = !id;
  replyText.textContent = '';
  if (id) {
    replyText.append(el('span', 'muted', t('Replying to {0}', m ? (m.mine ? t('yourself') : m.sender) : '…')), ' ', el('span', 'quote-text', m ? htmlText(m.html).slice(0, 120) : ''));
    if (focus) input?.focus();
  }
}

/** The host's word on the composer: read-only or not, the limit, a draft, text to insert (Send Selection). */
export function applyComposer(update: ComposerUpdate): void {
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
    } else if (!input.value && update.draftUndo !== undefined && update.draft) {
      // Local and Beeper's drafts disagreed: the winner shows, and Undo (Ctrl+Z) brings back the other.
      // Only a focused page can keep an undo step (and a redraw must not take the focus).
      input.value = update.draftUndo;
      if (document.hasFocus()) {
        input.focus();
        input.select();
        if (!document.execCommand('insertText', false, update.draft)) input.value = update.draft;
      } else input.value = update.draft;
      autosize();
      pageState.draft = input.value;
      saveState();
    } else if (!input.value && (pageState.draft || update.draft)) {
      // The page's own draft (this window) wins over the host's copy (another session).
      input.value = pageState.draft || update.draft || '';
      autosize();
    }
  }
  // Redrawn, not asked for: the page must not take the focus (it would close a quick pick the user has open).
  if (replyTo) setReply(replyTo, false);
}

/** The chat is gone: nothing can be sent. */
export function disableComposer(): void {
  if (input) input.disabled = true;
  if (sendButton) sendButton.disabled = true;
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
  // Near the network's limit: a quiet countdown.
  else if (input.value.length >= maxLength * 0.9) setNote(t('{0} characters left', maxLength - input.value.length));
  else if (composerNote && !composerNote.hidden) setNote(undefined);
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => vscode.postMessage({ type: 'draft', text: input.value }), 400);
  // The host writes it to Beeper after 2 s of quiet, or when the panel is left.
});
sendButton?.addEventListener('click', () => sendNow());
composerNote?.addEventListener('click', (event) => {
  const how = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('[data-send-long]')?.dataset.sendLong : undefined;
  if (!input || (how !== 'split' && how !== 'file')) return;
  const text = input.value;
  vscode.postMessage({ type: 'sendLong', requestID: nextRequestID(), text, how });
  input.value = '';
  autosize();
  setNote(undefined);
  pageState.draft = '';
  saveState();
  clearTimeout(draftTimer);
  vscode.postMessage({ type: 'draft', text: '' });
});
$('cancel-reply')?.addEventListener('click', () => setReply(undefined));
