// When a message becomes a notification, and how many: pure rules, no vscode import.
// - `beeper.notifications`: mentionsAndDirect (default) | all | off;
// - never for the user's own messages, hidden or deleted ones, or muted chats;
// - not while that chat's panel is visible and the window is focused;
// - at most one per chat per 30 s; later ones are folded into "3 new messages from …".
import type { Chat, Message } from '../api/types';

export type NotificationMode = 'mentionsAndDirect' | 'all' | 'off';

export interface NotifyContext {
  mode: NotificationMode;
  /** The user's own IDs on the chat's account (a mention names one of them). */
  selfIDs: ReadonlySet<string>;
  /** The chat's panel is visible and the window focused: the user is looking at it. */
  looking: boolean;
}

export function shouldNotify(message: Message, chat: Chat | undefined, ctx: NotifyContext): boolean {
  if (ctx.mode === 'off' || ctx.looking) return false;
  if (message.isSender || message.isHidden || message.isDeleted || message.type === 'REACTION') return false;
  if (chat?.isMuted) return false;
  if (ctx.mode === 'all') return true;
  if (chat?.type === 'single') return true;
  return mentionsUser(message, ctx.selfIDs);
}

export function mentionsUser(message: Message, selfIDs: ReadonlySet<string>): boolean {
  return (message.mentions ?? []).some((m) => m === '@room' || selfIDs.has(m));
}

export function normalizeMode(value: unknown): NotificationMode {
  return value === 'all' || value === 'off' ? value : 'mentionsAndDirect';
}

/** What the gate decides for one message. */
export type GateDecision = { show: true } | { show: false; folded: number };

/**
 * One notification per chat per window: the first message shows at once; later ones within the
 * window are counted, and when the window ends `flush` is called with the count (if any), which
 * shows "N new messages from …" and opens a new window.
 */
export class NotificationGate {
  private readonly windows = new Map<string, { folded: number; senders: string[]; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly flush: (chatID: string, folded: number, senders: string[]) => void,
    private readonly windowMs = 30_000,
  ) {}

  offer(chatID: string, sender: string): GateDecision {
    const open = this.windows.get(chatID);
    if (open) {
      open.folded++;
      if (!open.senders.includes(sender) && open.senders.length < 3) open.senders.push(sender);
      return { show: false, folded: open.folded };
    }
    this.openWindow(chatID);
    return { show: true };
  }

  private openWindow(chatID: string): void {
    const timer = setTimeout(() => {
      const w = this.windows.get(chatID);
      this.windows.delete(chatID);
      if (w && w.folded > 0) {
        this.openWindow(chatID);
        this.flush(chatID, w.folded, w.senders);
      }
    }, this.windowMs);
    timer.unref?.();
    this.windows.set(chatID, { folded: 0, senders: [], timer });
  }

  /** Chats with an open window (bounded by the chats that wrote in the last 30 s). */
  get size(): number {
    return this.windows.size;
  }

  dispose(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }
}
