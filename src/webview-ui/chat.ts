// The chat details page. Sends named actions to the extension, remembers which chat it shows so
// the panel can come back after a window reload, and redraws in place when the host sends an
// update (live changes). It never builds HTML from data: updates set text content only.
import type { ChatPageRequest, ChatPageState, ChatPageUpdate, ChatStateUpdate } from '../webviews/protocol';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<ChatPageState, ChatPageRequest>();
const chatID = document.body.dataset.chatId;
if (chatID) vscode.setState({ chatID, title: document.title });

const ACTIONS = new Set<string>(['openInBeeper', 'refresh', 'showMoreParticipants']);

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (!target || target.hasAttribute('disabled')) return;
  if (target.dataset.copy !== undefined) {
    vscode.postMessage({ type: 'copy', value: target.dataset.copy });
    target.classList.add('copied');
    setTimeout(() => target.classList.remove('copied'), 1200);
  } else if (target.dataset.action && ACTIONS.has(target.dataset.action)) {
    vscode.postMessage({ type: target.dataset.action as 'openInBeeper' | 'refresh' | 'showMoreParticipants' });
  }
});

function applyState(update: ChatStateUpdate): void {
  const title = document.querySelector('#chat-title bdi');
  if (title) title.textContent = update.title;
  if (chatID) vscode.setState({ chatID, title: update.title });
  const unread = document.getElementById('unread');
  if (unread) {
    unread.textContent = update.unread;
    if (update.mentions) {
      const span = document.createElement('span');
      span.className = 'muted';
      span.textContent = ` (${update.mentions})`;
      unread.append(span);
    }
  }
  const activity = document.getElementById('activity');
  if (activity) {
    activity.textContent = '';
    if (update.activity.iso) {
      const time = document.createElement('time');
      time.dateTime = update.activity.iso;
      time.title = update.activity.title ?? '';
      time.textContent = update.activity.text;
      activity.append(time);
    } else activity.textContent = update.activity.text;
  }
  const flags = document.getElementById('flags');
  if (flags) {
    flags.textContent = '';
    if (!update.flags.length) flags.textContent = update.noFlags;
    update.flags.forEach((f, i) => {
      if (i > 0) flags.append(' ');
      const tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = f;
      flags.append(tag);
    });
  }
}

window.addEventListener('message', (event: MessageEvent<ChatPageUpdate>) => {
  const update = event.data;
  if (!update || typeof update !== 'object') return;
  if (update.type === 'state') applyState(update);
  else if (update.type === 'deleted') {
    const banner = document.getElementById('banner');
    if (banner) {
      banner.textContent = update.message;
      banner.hidden = false;
    }
  }
});

vscode.postMessage({ type: 'ready' });
