// Sending from a chat panel: the composer's text and Send File go through the chat's Outbox
// (src/model/outbox.ts); its local entries show in the window at once as "Sending…", are replaced
// by the server's message, and a failure says why and offers Retry (which first checks whether
// the message arrived, so nothing is sent twice).
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { BeeperClient } from '../api/client';
import type { Account, Chat, Message, Page } from '../api/types';
import type { BeeperModel } from '../model/model';
import { checkOutgoing, localMessage, Outbox, type OutgoingProblem, type OutgoingSend } from '../model/outbox';
import type { ConversationSession } from '../model/session';
import type { WindowDiff } from '../model/conversation';
import { untrusted } from '../text/untrusted';
import { escapeHtml } from './html';

export interface ChatSendingDeps {
  readonly chatID: string;
  client(): Promise<BeeperClient>;
  model: BeeperModel;
  session: ConversationSession;
  chat(): Chat | undefined;
  account(): Account | undefined;
  /** The window changed: the page gets the diff. */
  show(diff: WindowDiff): void;
  htmlToText(html: string, maxChars?: number): string;
  log: { debug(message: string): void };
}

export class ChatSending {
  readonly outbox: Outbox;
  /** POSTs of messages (read through the testing port). */
  sends = 0;

  constructor(private readonly d: ChatSendingDeps) {
    const conversation = () => d.session.conversation;
    this.outbox = new Outbox(
      { chatID: d.chatID, client: () => d.client(), toText: (html) => d.htmlToText(html), debug: (m) => d.log.debug(m) },
      {
        changed: (o) => {
          // Sent, and the server's message is already here (the socket was quicker): the local entry goes.
          if (o.pendingID && conversation().get(o.pendingID)) d.show(conversation().remove(o.localID));
          else if (!o.pendingID) d.show(conversation().upsert(this.localMessage(o)));
        },
        // Found by looking it up: it goes through the model like a socket event would.
        resolved: (o, m) => d.model.messageEvent(d.chatID, 'upserted', [o.pendingID ?? o.localID], [m]),
        arrived: (o, m) => d.show(conversation().upsert(m, o.localID)),
      },
    );
  }

  private localMessage(o: OutgoingSend): Message {
    const account = this.d.account();
    return localMessage(o, { chatID: this.d.chatID, accountID: this.d.chat()?.accountID ?? '', selfID: account?.user?.id, selfName: account?.user?.fullName }, escapeHtml);
  }

  /** Sends in flight stay in a window that starts over (unless the page already has the server's copy). */
  localEntries(page: Page<Message>): Message[] {
    return this.outbox
      .entries()
      .filter((o) => o.text && !(o.pendingID && page.items.some((p) => p.id === o.pendingID)))
      .map((o) => this.localMessage(o));
  }

  /** Sends an uploaded file (Send File to Chat): the message shows when the socket or a poll brings it. */
  async sendAttachment(upload: { uploadID: string; fileName?: string; mimeType?: string }): Promise<string> {
    this.sends++;
    return this.outbox.sendAttachment(upload);
  }

  /** Sends text from the composer: shown at once as pending, then resolved by its pending ID. */
  async send(text: string, replyTo?: string): Promise<{ ok: boolean; error?: string }> {
    const problem = checkOutgoing(text, { readOnly: this.d.chat()?.isReadOnly });
    if (problem) return { ok: false, error: problemText(problem) };
    const o = this.outbox.create(text, replyTo);
    const session = this.d.session;
    if (!session.conversation.atEnd || session.mode !== 'list') await session.loadNewest();
    this.sends++;
    await this.outbox.attempt(o);
    return { ok: !o.error, error: o.error && untrusted(o.error, 300) };
  }

  /** Retry of a failed send; for a send the network refused (FAIL_*), the failed copy is hidden, then sent again. */
  async retry(id: string): Promise<void> {
    if (this.outbox.find(id)) {
      const before = this.outbox.posts;
      await this.outbox.retry(id);
      this.sends += this.outbox.posts - before;
      return;
    }
    const conversation = this.d.session.conversation;
    const failed = conversation.get(id);
    if (!failed?.isSender || !failed.sendStatus || !/^FAIL/.test(failed.sendStatus.status)) return;
    const text = failed.text ? this.d.htmlToText(failed.text).trim() : '';
    try {
      await (await this.d.client()).deleteMessage(this.d.chatID, id, false);
      this.d.show(conversation.remove(id));
    } catch (e) {
      this.d.log.debug(`The failed copy of a message could not be hidden; it is sent again anyway: ${describeError(e)}`);
    }
    if (text) await this.send(text, failed.linkedMessageID);
  }

  dispose(): void {
    this.outbox.dispose();
  }
}

function problemText(problem: OutgoingProblem): string {
  switch (problem.kind) {
    case 'readOnly':
      return vscode.l10n.t('This chat is read-only.');
    case 'empty':
      return vscode.l10n.t('There is nothing to send.');
    case 'tooLong':
      return vscode.l10n.t('This message is {0} characters long; the most that can be sent at once is {1}.', problem.length, problem.max);
  }
}
