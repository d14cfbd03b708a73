// One chat's panel: the conversation, a composer and the chat's details. It wires the parts and
// renders; it owns no data. The chat comes from the model (the loader reads it there), the
// messages from a ConversationSession (src/model/session.ts), sends from an Outbox
// (src/model/outbox.ts), message actions from ChatActions, images from ChatImages. The page is a
// shell: everything on it is a message, and every `ready` replays the current state from memory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { splitText } from '../model/chatCaps';
import { describeError } from '../api/errors';
import type { Chat, Message } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { ConversationSession } from '../model/session';
import { reconcileDraft, type DraftSync } from '../model/draftSync';
import type { Triage } from '../model/triage';
import { MAX_MESSAGE_CHARS } from '../text/format';
import { untrusted } from '../text/untrusted';
import type { AssetCache } from './assetCache';
import { ChatActions } from './chatActions';
import { ChatDetails } from './chatDetails';
import { chatLoadErrorHtml, chatShellHtml } from './chatDetailsHtml';
import { ChatImages } from './chatImages';
import { ChatSending } from './chatSending';
import { ReadMarker } from './chatReadMarker';
import { ChatPageMirror } from './chatPageState';
import { ChatWindow } from './chatWindow';
import { WindowFlow } from './windowFlow';
import { pageFrame } from './panelFrame';
import { WebviewPanelBase } from './panelBase';
import { chatPageStrings } from './chatStrings';
import type { ChatPageRequest, ChatPageUpdate } from './protocol';
import { chatRequestValidators } from './validate';
import { setting } from '../host/settings';
import type { CodeLinkResolver } from '../host/codeLinks';

export interface ChatPanelServices {
  connection: ConnectionService;
  model: BeeperModel;
  loader: ModelLoader;
  assets: AssetCache;
  extensionUri: vscode.Uri;
  /** Where avatars are copied for the page (the extension's storage, a resource root). */
  imageDir: string;
  accountLabel(accountID: string): string | undefined;
  /** Drafts: kept locally, written to Beeper when the composer is left. */
  drafts: DraftSync;
  /** The triage verbs (opening a chat dismisses its due reminder). */
  triage: Triage;
  liveMode(): string;
  htmlToText(html: string, maxChars?: number): string;
  /** Code in messages that opens in the editor (files inside the workspace). */
  codeLinks?: CodeLinkResolver;
  log: { debug(message: string): void; warn(message: string): void };
}

export class ChatPanel extends WebviewPanelBase<ChatPageRequest, ChatPageUpdate> {
  readonly loaded: Promise<void>;
  readonly session: ConversationSession;
  readonly sending: ChatSending;
  readonly actions: ChatActions;
  readonly images: ChatImages;
  private readonly window: ChatWindow;
  /** What the page shows once current, as data (the same reducer the page uses). */
  readonly page = new ChatPageMirror();
  /** Window updates go no faster than the page draws them. */
  private readonly flow = new WindowFlow();
  readonly details: ChatDetails;
  private pageKind: 'none' | 'chat' | 'error' = 'none';
  private abort: AbortController | undefined;
  private atBottom = true;
  private readonly reads: ReadMarker;
  /** Local and Beeper's drafts were reconciled (once, when the chat first shows). */
  private draftReconciled = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  /** Opening at a message (a search result): the window read around it, instead of the newest. */
  private anchorLoad: Promise<boolean> | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    readonly chatID: string,
    private readonly s: ChatPanelServices,
    private readonly anchor?: string,
  ) {
    super(panel, chatRequestValidators, s.log);
    this.images = new ChatImages(panel.webview, s.imageDir, () => this.remoteImages(), s.log);
    this.details = new ChatDetails({
      chatID,
      model: s.model,
      loader: s.loader,
      images: this.images,
      accountLabel: (id) => s.accountLabel(id),
      post: (u) => this.post(u),
      setTitle: (title) => (this.panel.title = title),
    });
    this.session = new ConversationSession(chatID, () => s.connection.client(), {
      window: (reason, diff) => {
        this.window.post(reason, diff);
        if (reason === 'reset') this.maybeMarkRead();
      },
      failed: (which, e) => {
        const reason = untrusted(describeError(e));
        const t = vscode.l10n.t;
        const error = which === 'older' ? t('Could not load older messages: {0}', reason) : which === 'newer' ? t('Could not load newer messages: {0}', reason) : which === 'open' ? t('That message could not be shown: {0}', reason) : t('Could not load messages: {0}', reason);
        this.post({ type: 'loading', which: 'none', error });
      },
      localEntries: (page) => this.sending.localEntries(page),
      settle: (named, m) => this.sending.outbox.settle(named, m)?.localID,
    });
    this.sending = new ChatSending({
      chatID,
      client: () => s.connection.client(),
      model: s.model,
      session: this.session,
      chat: () => this.chat,
      account: () => this.details.account(),
      show: (diff) => this.window.post('live', diff),
      htmlToText: (html, max) => s.htmlToText(html, max),
      log: s.log,
    });
    this.window = new ChatWindow({
      chatID,
      session: this.session,
      webview: panel.webview,
      assets: s.assets,
      client: () => s.connection.client(),
      post: (u) => this.post(u),
      context: () => ({ selfIDs: this.details.selfIDs(), names: this.details.names(), avatars: this.details.avatars, remoteImages: this.remoteImages(), t: (m, ...a) => vscode.l10n.t(m, ...a), caps: this.chat?.capabilities, now: Date.now() }),
      log: s.log,
      disposed: () => this.disposed,
      codeLinks: s.codeLinks,
      // Beside the chat, so the conversation stays in view: another group when there is one.
      editorColumn: () => vscode.window.tabGroups.all.find((g) => g.viewColumn !== this.panel.viewColumn)?.viewColumn ?? vscode.ViewColumn.Beside,
    });
    this.actions = new ChatActions({
      chatID,
      client: () => s.connection.client(),
      message: (id) => this.conversation.get(id),
      selfIDs: () => this.details.selfIDs(),
      upsert: (m) => this.window.post('live', this.conversation.upsert(m)),
      remove: (id) => this.window.post('live', this.conversation.delete(id)),
      htmlToText: (html, max) => s.htmlToText(html, max),
      caps: () => this.chat?.capabilities,
      log: s.log,
    });
    this.reads = new ReadMarker({
      chatID,
      model: s.model,
      client: () => s.connection.client(),
      chat: () => this.chat,
      looking: () => this.ready && this.atBottom && this.panel.active && this.panel.visible && vscode.window.state.focused && this.conversation.atEnd,
      newest: () => this.conversation.newest(),
      log: s.log,
    });
    this.loaded = this.load();
  }

  /** Marks read sent (read through the testing port). */
  get markedRead(): number {
    return this.reads.marked;
  }

  get conversation() {
    return this.session.conversation;
  }

  private remoteImages(): boolean {
    return setting('loadRemoteImages');
  }

  get chat(): Chat | undefined {
    return this.details.chat;
  }

  // ---- the chat ------------------------------------------------------------------------------

  /** Reads the chat through the loader (into the model), then shows it; `messages`: start the window over too. */
  async load(messages = true): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    // Opening: the page starts, the chat is read and its newest messages are read, all at once.
    const opening = this.pageKind === 'none';
    if (opening) this.showShell();
    if (opening && !this.conversation.loaded) {
      if (this.anchor) this.anchorLoad = this.session.openAt(this.anchor);
      else void this.session.loadNewest();
    }
    try {
      await this.details.read(abort.signal);
      if (abort.signal.aborted) return;
      // Opening a chat whose reminder came due dismisses it (its Inbox row leaves the top).
      if (opening) void this.s.triage.dismissDueReminder(this.chatID).catch((e: unknown) => this.s.log.warn(`Could not dismiss a due reminder: ${describeError(e)}`));
      if (this.pageKind !== 'chat') {
        // Back from the error page: a new shell, filled when it says `ready`.
        this.showShell();
        return;
      }
      // A page that is ready already (it started before the chat was read) is filled now.
      if (opening) {
        if (this.ready) await this.replay({});
        return;
      }
      await this.postChat();
      await this.details.postParticipants();
      if (messages && this.ready) await this.session.loadNewest();
    } catch (e) {
      if (abort.signal.aborted) return;
      this.pageKind = 'error';
      this.setHtml(chatLoadErrorHtml(pageFrame(this.panel.webview, this.s.extensionUri, 'chat', false), this.chatID, e));
    }
  }

  private showShell(): void {
    this.pageKind = 'chat';
    this.setHtml(chatShellHtml(pageFrame(this.panel.webview, this.s.extensionUri, 'chat', this.remoteImages()), this.chatID, chatPageStrings()));
  }

  /** The chat's state as the model has it now (header, details, composer). */
  private async postChat(): Promise<void> {
    await this.details.postChat();
    this.postComposer();
  }

  private postComposer(insert?: string): void {
    let draft = this.s.drafts.local(this.chatID)?.text;
    let draftUndo: string | undefined;
    if (!this.draftReconciled && this.chat) {
      // The first time the chat shows: Beeper's draft (another device) and the local one meet.
      this.draftReconciled = true;
      const r = reconcileDraft(this.s.drafts.local(this.chatID), this.s.drafts.server(this.chatID));
      draft = r.text || undefined;
      draftUndo = r.undo;
      if (r.push) this.pushDraft();
      else void this.s.drafts.agreed(this.chatID, r.text);
    }
    this.post({
      type: 'composer',
      // The network's own limit when it states one (the composer counts down near it).
      maxLength: Math.min(MAX_MESSAGE_CHARS, this.chat?.capabilities?.maxTextLength ?? MAX_MESSAGE_CHARS),
      draft,
      draftUndo,
      insert,
      disabled: this.chat?.isReadOnly ? vscode.l10n.t('This chat is read-only: only its admins can post here.') : undefined,
    });
  }

  /** Every `ready`: the page gets the whole current state from memory; messages are read only the first time. */
  protected async replay(ready: { anchorID?: string }): Promise<void> {
    this.flow.restart();
    if (!this.chat || this.pageKind !== 'chat') return;
    this.details.postImages(true);
    await this.postChat();
    await this.details.postParticipants();
    if (this.page.deleted) this.post({ type: 'deleted', message: this.page.deleted });
    // Opening at a message: its window is on its way (three reads at most); the newest is not read.
    if (this.anchorLoad && !this.conversation.loaded && (await this.anchorLoad)) this.anchorLoad = undefined;
    if (this.conversation.loaded) this.window.replay();
    else {
      await this.session.loadNewest();
      // After a window reload: back where the user was reading.
      if (ready.anchorID) await this.reveal(ready.anchorID, true);
    }
    this.maybeMarkRead();
  }

  /** A ready page gets window updates as fast as it applies them (the rest wait, merged); see WindowFlow. */
  protected override post(update: ChatPageUpdate): void {
    if (!this.ready) return super.post(update);
    for (const u of this.flow.offer(update, this.pageHas)) super.post(u);
  }

  private readonly pageHas = (id: string) => this.page.window.messages.has(id);

  protected override observe(update: ChatPageUpdate): void {
    this.page.apply(update);
  }

  protected override isState(update: ChatPageUpdate): boolean {
    return !['response', 'startReply', 'startEdit', 'reveal'].includes(update.type) && !(update.type === 'composer' && update.insert !== undefined);
  }

  /** The model has newer data for this chat (an event, a poll): the page redraws it in place. */
  onModelChat(): void {
    const fresh = this.s.model.chat(this.chatID);
    if (!fresh || !this.chat || this.pageKind !== 'chat') return;
    const newer = fresh.lastActivity !== this.chat.lastActivity;
    void this.postChat();
    // Without a socket, a newer last activity means new messages: read them.
    if (newer && this.ready && this.s.liveMode() !== 'live') void this.session.catchUp();
    this.maybeMarkRead();
  }

  onDeleted(): void {
    this.post({ type: 'deleted', message: vscode.l10n.t('This chat was deleted in Beeper, or left.') });
  }

  onMessageEvent(change: 'upserted' | 'deleted', ids: string[], messages: Message[]): void {
    const diff = this.session.applyEvent(change, ids, messages);
    if (diff.upserted.length || diff.removed.length || !this.conversation.atEnd) this.window.post('live', diff);
    this.maybeMarkRead();
  }

  /** Brings a message into view: from the window, or by opening the window at it. */
  async reveal(id: string, restore = false): Promise<void> {
    if (await this.session.openAt(id)) this.post({ type: 'reveal', id, restore });
    else if (!restore) this.post({ type: 'reveal', id, notFound: vscode.l10n.t('That message could not be found. Open the chat in Beeper to see it.') });
  }

  /** Puts text in the composer for a last edit before the user sends it (Send Selection). */
  async prefill(text: string): Promise<void> {
    await this.s.drafts.typed(this.chatID, text);
    this.postComposer(text);
    this.panel.reveal();
    await this.whenReady();
  }

  startReply(id: string): void {
    this.post({ type: 'startReply', id });
  }

  startEdit(id: string): void {
    this.post({ type: 'startEdit', id });
  }

  // ---- read state --------------------------------------------------------------------------

  protected override onViewStateChanged(): void {
    // The composer was left (the tab hidden): its draft goes to Beeper now.
    if (!this.panel.visible && this.draftTimer) this.pushDraft();
    // Shown again: what waited for a hidden page (its timers run slowly) goes at once.
    if (this.panel.visible && this.ready) for (const u of this.flow.release()) super.post(u);
    this.maybeMarkRead();
  }

  /** The local draft goes to Beeper; a failure (offline) keeps it pending for the next connection. */
  private pushDraft(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.s.drafts.push(this.chatID).catch((e: unknown) => this.s.log.debug(`Draft kept locally for now: ${describeError(e)}`));
  }

  /** While the panel is visible, focused and at the newest message, the chat is marked read (debounced). */
  maybeMarkRead(): void {
    this.reads.check();
  }

  // ---- what the page asks ------------------------------------------------------------------

  protected async onRequest(m: ChatPageRequest): Promise<void> {
    const a = this.actions;
    switch (m.type) {
      case 'ready':
        return;
      case 'copy': {
        // Only the chat's own identifiers can be copied from the page.
        if (![this.chat?.id, this.chat?.localChatID, this.chat?.accountID, this.chatID].includes(m.value)) return;
        await vscode.env.clipboard.writeText(m.value);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', untrusted(m.value, 200)), 3000);
        return;
      }
      case 'openInBeeper':
        return a.openInBeeper(m.messageID);
      case 'refresh':
        return this.load();
      case 'showMoreParticipants':
        return this.showMoreParticipants();
      case 'loadOlder':
        return this.session.loadOlder();
      case 'loadNewer':
        return this.session.loadNewer();
      case 'jumpToNewest':
        return this.session.loadNewest();
      case 'reveal':
        return this.reveal(m.id);
      case 'send': {
        const result = await this.sending.send(m.text, m.replyTo);
        this.post({ type: 'response', requestID: m.requestID, ok: result.ok, error: result.ok ? undefined : result.error });
        return;
      }
      case 'sendLong': {
        const result = await this.sendLong(m.text, m.how);
        this.post({ type: 'response', requestID: m.requestID, ok: result.ok, error: result.error });
        return;
      }
      case 'retry':
        return this.sending.retry(m.id);
      case 'react':
        return a.react(m.id, m.key);
      case 'pickReaction':
        return a.pickReaction(m.id);
      case 'edit': {
        const result = await a.edit(m.id, m.text);
        this.post({ type: 'response', requestID: m.requestID, ok: result.ok, error: result.error });
        return;
      }
      case 'delete':
        return a.delete(m.id);
      case 'copyText':
        return a.copyText(m.id);
      case 'openLink':
        return a.openLink(m.url);
      case 'openCode':
        return this.window.openCode(m.id, m.n);
      case 'saveAttachment':
        return a.saveAttachment(m.id, m.index);
      case 'draft':
        await this.s.drafts.typed(this.chatID, m.text);
        // Sent (the composer emptied): Beeper's draft goes at once; typing: after 2 s of quiet.
        clearTimeout(this.draftTimer);
        if (!m.text) this.pushDraft();
        else this.draftTimer = setTimeout(() => this.pushDraft(), DRAFT_IDLE_MS);
        return;
      case 'viewport':
        this.atBottom = m.atBottom;
        this.maybeMarkRead();
        return;
      case 'applied':
        if (this.ready) for (const u of this.flow.applied(m.seq)) super.post(u);
        return;
    }
  }

  /** A text over the network's limit: its parts one after the other, or a text file. */
  private async sendLong(text: string, how: 'split' | 'file'): Promise<{ ok: boolean; error?: string }> {
    const max = Math.min(MAX_MESSAGE_CHARS, this.chat?.capabilities?.maxTextLength ?? MAX_MESSAGE_CHARS);
    if (how === 'split') {
      const parts = splitText(text, max);
      if (parts.length > 20) return { ok: false, error: vscode.l10n.t('That would be {0} messages; send it as a file instead.', parts.length) };
      for (const part of parts) {
        const result = await this.sending.send(part);
        if (!result.ok) return result;
      }
      return { ok: true };
    }
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'beeper-message-'));
    const file = path.join(dir, 'message.txt');
    await fs.promises.writeFile(file, text);
    const sent = await vscode.commands.executeCommand<string | undefined>('beeper.sendFile', vscode.Uri.file(file), { chatID: this.chatID, title: this.chat?.title });
    return sent ? { ok: true } : { ok: false, error: vscode.l10n.t('The file was not sent.') };
  }

  private async showMoreParticipants(): Promise<void> {
    if (await this.details.showMore()) await this.load(false);
  }

  override dispose(): void {
    // The panel closed: a draft typed in the last 2 s goes to Beeper too.
    if (this.draftTimer) this.pushDraft();
    this.abort?.abort();
    this.sending.dispose();
    this.reads.dispose();
    super.dispose();
  }
}

/** Typing pauses this long before the draft goes to Beeper. */
const DRAFT_IDLE_MS = 2000;
