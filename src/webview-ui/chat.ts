// The chat details page. Sends named actions to the extension and remembers which chat it shows
// so the panel can come back after a window reload. It never builds HTML from data.
import type { ChatPageRequest, ChatPageState } from '../webviews/protocol';
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
vscode.postMessage({ type: 'ready' });
