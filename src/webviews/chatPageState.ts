// What the chat page shows, as data: the reducer of the host's updates. The page applies window
// changes with it (once per frame, a burst as one batch), and the host keeps a mirror of the
// page with it (what the page shows now: the testing port reads it, and it is bounded like the
// page). Pure: no DOM, no vscode; unit-tested in Node.
import { compareSortKeys } from '../model/conversation';
import type { ChatPageUpdate, ChatStateUpdate, ViewMessage, ViewParticipant } from './protocol';

export type WindowUpdate = Extract<ChatPageUpdate, { type: 'window' }>;

export interface WindowState {
  messages: Map<string, ViewMessage>;
  atStart: boolean;
  atEnd: boolean;
  /** Shown on "Jump to newest (N)". */
  unseen: number;
  /** New messages from others that arrived below the view while the user reads back. */
  arrivedBelow: number;
  loading: 'older' | 'newer' | 'none';
}

export function emptyWindow(): WindowState {
  return { messages: new Map(), atStart: false, atEnd: true, unseen: 0, arrivedBelow: 0, loading: 'none' };
}

/**
 * Applies a batch of window updates. `stick`: the view was at the newest message (then new
 * messages are seen, not counted). Returns whether the window started over, or grew at the end.
 */
export function applyWindowBatch(state: WindowState, batch: readonly WindowUpdate[], stick: boolean): { reset: boolean; grew: boolean } {
  let reset = false;
  let grew = false;
  for (const update of batch) {
    if (update.reason !== 'live') state.loading = 'none';
    if (update.reason === 'reset') {
      state.messages.clear();
      state.arrivedBelow = 0;
      reset = true;
    }
    if (update.reason === 'live' && !stick) state.arrivedBelow += update.upserted.filter((m) => !state.messages.has(m.id) && !m.mine).length;
    if (update.reason === 'live' || update.reason === 'newer') grew = true;
    for (const id of update.removed) state.messages.delete(id);
    for (const m of update.upserted) state.messages.set(m.id, m);
    state.atStart = update.atStart;
    state.atEnd = update.atEnd;
  }
  if (stick) state.arrivedBelow = 0;
  const last = batch[batch.length - 1];
  if (last) state.unseen = last.unseen + state.arrivedBelow;
  return { reset, grew };
}

/** The window's messages in the order they show: by sort key. */
export function sortedMessages(state: WindowState): ViewMessage[] {
  return [...state.messages.values()].sort((x, y) => compareSortKeys(x.sortKey, y.sortKey) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The whole page as data: what the page shows after the same updates. */
export class ChatPageMirror {
  state: ChatStateUpdate | undefined;
  participants: { items: ViewParticipant[]; count: string; more?: string } | undefined;
  readonly images = new Map<string, string>();
  readonly assets = new Map<string, string>();
  readonly window = emptyWindow();
  deleted: string | undefined;
  composerDisabled: string | undefined;
  error: string | undefined;

  apply(update: ChatPageUpdate): void {
    switch (update.type) {
      case 'state':
        this.state = update;
        return;
      case 'participants':
        this.participants = { items: update.items, count: update.count, more: update.more };
        return;
      case 'images':
        for (const [k, v] of Object.entries(update.images)) this.images.set(k, v);
        return;
      case 'asset':
        this.assets.set(update.key, update.src);
        return;
      case 'window':
        applyWindowBatch(this.window, [update], true);
        this.error = undefined;
        return;
      case 'loading':
        this.window.loading = update.which;
        this.error = update.error;
        return;
      case 'deleted':
        this.deleted = update.message;
        return;
      case 'composer':
        this.composerDisabled = update.disabled;
        return;
      default:
        return;
    }
  }

  /** The page started over: it knows nothing until the host replays. */
  clear(): void {
    this.state = undefined;
    this.participants = undefined;
    this.images.clear();
    this.assets.clear();
    Object.assign(this.window, emptyWindow());
    this.deleted = undefined;
    this.composerDisabled = undefined;
    this.error = undefined;
  }

  messages(): ViewMessage[] {
    return sortedMessages(this.window);
  }

  /** An image's src by key (avatars), or undefined. */
  image(key: string | undefined): string | undefined {
    return key ? this.images.get(key) : undefined;
  }
}
