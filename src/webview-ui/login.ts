// The login display page: swaps in a refreshed code or the next display without reloading,
// using only src and textContent (never markup), and sends "cancel" to the extension.
import type { LoginPageRequest, LoginPageUpdate } from '../webviews/protocol';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<undefined, LoginPageRequest>();
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = byId<HTMLImageElement>('code');
const waiting = byId<HTMLElement>('waiting');
const instructions = byId<HTMLElement>('instructions');
const heading = byId<HTMLElement>('heading');
const display = byId<HTMLElement>('display');
const KINDS = new Set(['qr', 'emoji', 'nothing']);

window.addEventListener('message', (event: MessageEvent<LoginPageUpdate>) => {
  const m = event.data;
  if (m?.type !== 'display') return;
  const kind = KINDS.has(m.kind) ? m.kind : 'nothing';
  const src = typeof m.imageSrc === 'string' && /^(data:image\/|https:)/.test(m.imageSrc) ? m.imageSrc : '';
  if (src) {
    code.src = src;
    code.hidden = false;
  } else {
    code.removeAttribute('src');
    code.hidden = true;
  }
  code.alt = String(m.alt ?? '');
  code.className = kind;
  display.className = `display display-${kind}`;
  waiting.hidden = !!src && kind !== 'nothing';
  instructions.textContent = String(m.instructions ?? '');
  heading.textContent = String(m.heading ?? '');
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (target?.dataset.action === 'cancel') vscode.postMessage({ type: 'cancel' });
});
vscode.postMessage({ type: 'ready' });
