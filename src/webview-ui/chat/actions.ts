// What the user does to messages and the chat from the page: buttons and links. Links are never
// followed by the page: the host shows the real URL and asks first. Edits happen in place.
import { $, body, button, el, t, view, vscode } from './context';
import { nextRequestID, setReply } from './composer';
import { htmlText, render, rendered } from './render';

const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
const detailsToggle = $<HTMLButtonElement>('details-toggle');

export function startEdit(id: string): void {
  const m = view.window.messages.get(id);
  const node = rendered.get(id)?.node;
  if (!m || !node) return;
  view.editing = id;
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
  const id = view.editing;
  view.editing = undefined;
  if (id) rendered.delete(id);
  render();
}

function showReactMenu(id: string, anchorNode: HTMLElement): void {
  document.querySelector('.react-menu')?.remove();
  const menu = el('div', 'react-menu');
  menu.setAttribute('role', 'menu');
  // A network that takes only some reactions offers those (and no "any emoji").
  const allowed = view.reactions.allowed;
  for (const key of allowed ? allowed.slice(0, 8) : QUICK_REACTIONS) {
    const b = button(key, 'icon', { react: key, id }, t('React with {0}', key));
    b.setAttribute('role', 'menuitem');
    menu.append(b);
  }
  if (!allowed || allowed.length > 8) {
    const any = button('…', 'icon', { pickReaction: id }, allowed ? t('More reactions…') : t('Any emoji…'));
    any.setAttribute('role', 'menuitem');
    menu.append(any);
  }
  anchorNode.closest('.msg')?.append(menu);
  (menu.firstElementChild as HTMLElement | null)?.focus();
}

// A link is focusable (tabindex 0, role link): Enter opens it, as it would a real link.
document.addEventListener('keydown', (event) => {
  const target = event.target instanceof HTMLElement ? event.target : null;
  if (event.key !== 'Enter' || !target) return;
  if (target.dataset.code !== undefined) {
    event.preventDefault();
    openCode(target);
  } else if (target.dataset.link) {
    event.preventDefault();
    vscode.postMessage({ type: 'openLink', url: target.dataset.link });
  }
});

/** A code link: the host opens the file (the page knows only the message and the link's number). */
function openCode(target: HTMLElement): void {
  const id = target.closest<HTMLElement>('.msg')?.dataset.id;
  const n = Number(target.dataset.code);
  if (id && Number.isSafeInteger(n)) vscode.postMessage({ type: 'openCode', id, n });
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (!target.closest('.react-menu') && !target.closest('[data-react-menu]')) document.querySelector('.react-menu')?.remove();
  const code = target.closest<HTMLElement>('[data-code]');
  if (code) {
    event.preventDefault();
    openCode(code);
    return;
  }
  // Links inside messages have no href (see sanitize): the host shows the URL and opens it.
  const link = target.closest<HTMLElement>('[data-link]');
  if (link || target.closest('a')) {
    event.preventDefault();
    if (link?.dataset.link) vscode.postMessage({ type: 'openLink', url: link.dataset.link });
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
    if (text.trim()) vscode.postMessage({ type: 'edit', requestID: nextRequestID(), id: d.saveEdit, text });
    stopEdit();
  } else if (d.cancelEdit) stopEdit();
  else if (d.delete) vscode.postMessage({ type: 'delete', id: d.delete });
  else if (d.openMessage) vscode.postMessage({ type: 'openInBeeper', messageID: d.openMessage });
  else if (d.save) vscode.postMessage({ type: 'saveAttachment', id: d.save, index: Number(d.index) });
  else if (d.unfold) {
    b.parentElement?.querySelector('.body')?.classList.remove('folded');
    b.remove();
  }
  else if (b === detailsToggle) {
    const open = body.classList.toggle('details-open');
    detailsToggle.setAttribute('aria-expanded', String(open));
  }
});

