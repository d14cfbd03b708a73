// VS Code notifications for new messages, quiet by default (see rules.ts). Text from the network
// (sender, chat title, message) goes through the untrusted-text helper. "Open" reveals the
// chat's panel; "Mark as Read" marks it read in Beeper and updates the model with the answer.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Message } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { untrusted } from '../text/untrusted';
import { checkOutgoing } from '../model/outbox';
import { loadMessageText } from '../text/messageTextLoader';
import { NotificationGate, normalizeMode, shouldNotify } from './rules';
import { setting } from '../host/settings';

/** Where notifications appear and replies are typed: VS Code's, unless the testing port stands in. */
export interface NotifierUi {
  show(text: string, ...actions: string[]): Thenable<string | undefined>;
  ask(options: vscode.InputBoxOptions): Thenable<string | undefined>;
}

const VSCODE_UI: NotifierUi = {
  show: (text, ...actions) => vscode.window.showInformationMessage(text, ...actions),
  ask: (options) => vscode.window.showInputBox(options),
};

export class MessageNotifier implements vscode.Disposable {
  private gate: NotificationGate;
  private readonly subscription: { dispose(): void };
  /** Notifications shown (read through the testing port). */
  shown = 0;
  private ui: NotifierUi = VSCODE_UI;

  constructor(
    private readonly connection: ConnectionService,
    private readonly model: BeeperModel,
    private readonly loader: ModelLoader,
    /** True when this chat's panel is visible (the window's focus is checked here). */
    private readonly panelVisible: (chatID: string) => boolean,
    windowMs = 30_000,
  ) {
    this.gate = this.makeGate(windowMs);
    this.subscription = model.onDidChange((change) => {
      if (change.kind === 'arrived') this.onMessages(change.chatID, change.messages);
    });
  }

  /** The testing port: another UI (undefined: VS Code's again) and another per-chat window. */
  useForTesting(ui: NotifierUi | undefined, windowMs = 30_000): void {
    this.ui = ui ?? VSCODE_UI;
    this.gate.dispose();
    this.gate = this.makeGate(windowMs);
  }

  private makeGate(ms: number): NotificationGate {
    return new NotificationGate((chatID, folded, senders) => this.showFolded(chatID, folded, senders), ms);
  }

  /**
   * New messages from the socket, handed on after their chat was read (so the model knows
   * whether it is muted and direct). A chat that could not be read notifies nothing.
   */
  onMessages(chatID: string, messages: Message[]): void {
    const mode = normalizeMode(setting('notifications'));
    if (mode === 'off' || messages.every((m) => m.isSender)) return;
    const chat = this.model.chat(chatID);
    if (!chat) return;
    const account = this.model.accounts.find((a) => a.accountID === (chat?.accountID ?? messages[0]?.accountID));
    const selfIDs = new Set(account ? [account.user.id] : []);
    const looking = vscode.window.state.focused && this.panelVisible(chatID);
    for (const message of messages) {
      if (!shouldNotify(message, chat, { mode, selfIDs, looking })) continue;
      const sender = untrusted(message.senderName || message.senderID, 80);
      if (!this.gate.offer(chatID, sender).show) continue;
      const title = untrusted(chat?.title, 80);
      const where = chat?.type === 'single' || !title ? sender : vscode.l10n.t('{0} in {1}', sender, title);
      // present() says what went wrong itself (Mark as Read, Reply); nothing else depends on it.
      void this.present(chatID, `${where}: ${lineOf(message)}`).catch(() => undefined);
    }
  }

  private showFolded(chatID: string, folded: number, senders: string[]): void {
    const chat = this.model.chat(chatID);
    if (chat?.isMuted) return;
    const from = senders.join(', ') || untrusted(chat?.title, 80);
    const text = folded === 1 ? vscode.l10n.t('1 new message from {0}', from) : vscode.l10n.t('{0} new messages from {1}', folded, from);
    const title = untrusted(chat?.title, 80);
    // present() says what went wrong itself (Mark as Read, Reply); nothing else depends on it.
    void this.present(chatID, chat?.type === 'group' && title ? `${text} (${title})` : text).catch(() => undefined);
  }

  private async present(chatID: string, text: string): Promise<void> {
    this.shown++;
    const open = vscode.l10n.t('Open');
    const markRead = vscode.l10n.t('Mark as Read');
    const reply = vscode.l10n.t('Reply');
    const chat = this.model.chat(chatID);
    const canReply = !chat?.isReadOnly;
    const choice = canReply ? await this.ui.show(text, reply, open, markRead) : await this.ui.show(text, open, markRead);
    if (choice === reply) {
      await this.reply(chatID);
    } else if (choice === open) {
      await vscode.commands.executeCommand('beeper.openChat', chatID);
    } else if (choice === markRead) {
      try {
        const client = await this.connection.client();
        this.model.upsertChat(await client.markChatRead(chatID));
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not mark the chat as read, because: {0}', untrusted(describeError(e), 300)));
        // The error was just shown; this re-read only puts the row back as the server has it.
        void this.loader.refreshChat(chatID).catch(() => undefined);
      }
    }
  }

  /** "Reply" on a notification: an input box, then a send. The chat's panel shows it when open. */
  async reply(chatID: string): Promise<boolean> {
    const chat = this.model.chat(chatID);
    const text = await this.ui.ask({
      title: vscode.l10n.t('Reply to {0}', untrusted(chat?.title, 80) || vscode.l10n.t('chat')),
      prompt: vscode.l10n.t('Markdown is allowed. Enter sends.'),
      validateInput: (v) => {
        const problem = checkOutgoing(v);
        return problem?.kind === 'tooLong' ? vscode.l10n.t('At most {0} characters.', problem.max.toLocaleString()) : undefined;
      },
    });
    if (!text || checkOutgoing(text)) return false;
    try {
      const client = await this.connection.client();
      await client.sendMessage(chatID, { text });
      vscode.window.setStatusBarMessage(vscode.l10n.t('Beeper: reply sent to {0}', untrusted(chat?.title, 80)), 4000);
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: the reply was not sent. {0}', untrusted(describeError(e), 300)));
      return false;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.gate.dispose();
  }
}

/** A message's first line, or what it is when it has no text, in the user's language. */
function lineOf(message: Message): string {
  const line = loadMessageText().firstLine(message);
  if ('text' in line) return untrusted(line.text, 200);
  switch (line.kind) {
    case 'photo':
      return vscode.l10n.t('Sent a photo');
    case 'video':
      return vscode.l10n.t('Sent a video');
    case 'voice':
      return vscode.l10n.t('Sent a voice message');
    case 'file':
      return vscode.l10n.t('Sent a file');
    case 'sticker':
      return vscode.l10n.t('Sent a sticker');
    case 'location':
      return vscode.l10n.t('Shared a location');
    case 'message':
      return vscode.l10n.t('New message');
  }
}
