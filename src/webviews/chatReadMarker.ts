// When an open chat is marked read in Beeper: while its panel is visible and active, the window
// focused, and the user at the newest message, a moment after that message came into view
// (debounced). The model takes Beeper's answer, so the tree's count and the badge follow.
import type * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { BeeperClient } from '../api/client';
import type { Chat, Message } from '../api/types';
import type { BeeperModel } from '../model/model';

/** Mark read this long after the newest message came into view. */
const MARK_READ_DELAY_MS = 600;

export interface ReadMarkerDeps {
  readonly chatID: string;
  model: BeeperModel;
  client(): Promise<BeeperClient>;
  chat(): Chat | undefined;
  /** The page is ready, the panel visible and active, the window focused, the view at the newest message. */
  looking(): boolean;
  newest(): Message | undefined;
  log: { debug(message: string): void };
}

export class ReadMarker implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastMarked: string | undefined;
  /** Marks sent (read through the testing port). */
  marked = 0;

  constructor(private readonly d: ReadMarkerDeps) {}

  /** Something changed (focus, scroll, a new message): mark read soon if the user is looking at the newest. */
  check(): void {
    clearTimeout(this.timer);
    const chat = this.d.model.chat(this.d.chatID) ?? this.d.chat();
    if (!chat || !this.d.looking()) return;
    const newest = this.d.newest();
    if (!newest) return;
    const unread = chat.unreadCount > 0 || chat.isMarkedUnread;
    if (!unread && (this.lastMarked === newest.id || !newest.isUnread)) return;
    this.timer = setTimeout(() => void this.mark(newest.id), MARK_READ_DELAY_MS);
  }

  private async mark(messageID: string): Promise<void> {
    try {
      const client = await this.d.client();
      this.lastMarked = messageID;
      this.marked++;
      this.d.model.upsertChat(await client.markChatRead(this.d.chatID, messageID));
    } catch (e) {
      // Marked on the next change instead.
      this.d.log.debug(`Could not mark the chat read yet: ${describeError(e)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
