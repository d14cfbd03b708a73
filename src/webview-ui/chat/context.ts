// What the chat page's modules share: the VS Code handle, the page's words, what it keeps across
// a reload, the elements of the shell, and small DOM helpers. Every string from the network is
// set as text (textContent, attributes); only message HTML goes through the sanitizer.
import type { ChatPageRequest, ChatPageState, ChatPageStrings } from '../../webviews/protocol';
import { emptyWindow } from '../../webviews/chatPageState';
import { vscodeApi } from '../vscodeApi';

export const vscode = vscodeApi<ChatPageState, ChatPageRequest>();
export const body = document.body;
export const chatID = body.dataset.chatId ?? '';

function readStrings(): ChatPageStrings {
  try {
    // The host's own words for this page (not an API body), in a data attribute it escaped.
    // eslint-disable-next-line no-restricted-properties
    return JSON.parse(body.dataset.strings ?? '{}') as ChatPageStrings;
  } catch {
    // No words: the keys (English) show instead.
    return {};
  }
}
const S = readStrings();
export const t = (key: string, ...args: Array<string | number>) => (S[key] ?? key).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));

const saved = vscode.getState();
export const pageState: ChatPageState = saved && saved.chatID === chatID ? { ...saved } : { chatID, title: document.title };
export function saveState(): void {
  vscode.setState(pageState);
}

/** The page's shared state: the window (same reducer as the host's mirror), images by key, the chat's kind. */
export const view = {
  window: emptyWindow(),
  /** Avatars by key (each sent once). */
  images: new Map<string, string>(),
  /** Attachment images by asset key, once fetched. */
  assets: new Map<string, string>(),
  isGroup: false,
  editing: undefined as string | undefined,
  /** What the network takes: no reactions at all, or only these (from the chat's state). */
  reactions: { off: false, allowed: undefined as string[] | undefined },
};

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
export const scroller = $('messages');
export const list = $<HTMLOListElement>('message-list');

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label: string, className: string, data: Record<string, string>, title?: string): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  for (const [k, v] of Object.entries(data)) b.dataset[k] = v;
  if (title) {
    b.title = title;
    b.setAttribute('aria-label', title);
  }
  return b;
}

/** An avatar: the image by key when the page has it, else initials. */
export function avatarNode(key: string | undefined, name: string, className: string, initialsOf: (name: string) => string): HTMLElement {
  const src = key ? view.images.get(key) : undefined;
  if (src) {
    const img = el('img', className);
    img.src = src;
    img.alt = '';
    if (key) img.dataset.imageKey = key;
    return img;
  }
  const ph = el('span', `${className} placeholder`, initialsOf(name));
  ph.setAttribute('aria-hidden', 'true');
  if (key) ph.dataset.imageKey = key;
  return ph;
}
