// Chat details panels: one webview per chat (opening it again reveals it), filled from
// GET /v1/chats/{chatID}. Panels survive a window reload through a serializer and fetch their
// chat again. The webview may only run media/chat.js and may only ask for a few named actions.
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { Chat } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { chatDetailsHtml, chatErrorHtml, chatStateUpdate, type PageFrame } from './chatDetailsHtml';
import type { ChatPageUpdate } from './protocol';
import { classifyImageUrl } from './html';
import { pageFrame, panelOptions } from './panelFrame';
import { defaultMediaRoots, mapLimit, readLocalImageWithSize } from './localMedia';

const CHAT_PANEL_VIEW_TYPE = 'beeper.chat';
/** Participants shown at first; each "Show more" adds this many. */
const FIRST_PARTICIPANTS = 100;
const MORE_PARTICIPANTS = 200;
/** The most the API returns for a limited request; past it the full list (-1) is fetched once. */
const MAX_PARTICIPANT_REQUEST = 500;
/** Local avatars inlined into one panel, at most; past it participants get initials. */
const PANEL_IMAGE_BUDGET_BYTES = 4 * 1024 * 1024;
/** Avatar files read at once. */
const AVATAR_CONCURRENCY = 8;

interface PanelState {
  chatID: string;
  title?: string;
}

type FromWebview = { type: 'copy'; value: string } | { type: 'openInBeeper' } | { type: 'refresh' } | { type: 'showMoreParticipants' } | { type: 'ready' };

export class ChatPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
    private readonly accountLabel: (accountID: string) => string | undefined,
    private readonly model: BeeperModel,
    private readonly loader: ModelLoader,
  ) {
    this.disposables.push(
      model.onDidChange((change) => {
        if (change.kind === 'chat') this.panels.get(change.id)?.onModelChat();
        else if (change.kind === 'chatDeleted') this.panels.get(change.id)?.onDeleted();
      }),
      vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          const chatID = isPanelState(state) ? state.chatID : undefined;
          if (!chatID || this.panels.has(chatID)) {
            // Nothing to restore (or a duplicate): close rather than show an empty panel.
            panel.dispose();
            return Promise.resolve();
          }
          this.adopt(panel, { chatID, title: (state as PanelState).title });
          return Promise.resolve();
        },
      }),
      connection.onDidChange(() => {
        for (const panel of this.panels.values()) void panel.load();
      }),
    );
  }

  /** Opens the chat's panel, or reveals it when it is already open. */
  async open(chatID: string, title?: string): Promise<ChatPanel> {
    const existing = this.panels.get(chatID);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CHAT_PANEL_VIEW_TYPE, title || vscode.l10n.t('Chat'), vscode.ViewColumn.Active, this.webviewOptions());
    const chatPanel = this.adopt(panel, { chatID, title });
    await chatPanel.loaded;
    return chatPanel;
  }

  get(chatID: string): ChatPanel | undefined {
    return this.panels.get(chatID);
  }

  get openChatIDs(): string[] {
    return [...this.panels.keys()];
  }

  /** The chat's panel is open and visible (notifications stay quiet then, with the window focused). */
  isVisible(chatID: string): boolean {
    return this.panels.get(chatID)?.panel.visible ?? false;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // Avatars are https:, data:, or local files inlined by the extension after a root check.
    return { ...panelOptions(this.extensionUri), enableFindWidget: true, retainContextWhenHidden: false };
  }

  private adopt(panel: vscode.WebviewPanel, state: PanelState): ChatPanel {
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'beeper.svg');
    const chatPanel = new ChatPanel(panel, state, this.extensionUri, this.connection, this.accountLabel, this.model);
    this.panels.set(state.chatID, chatPanel);
    // Re-read with the rest of the screen after a reconnect or on a poll.
    const watch = this.loader.watch(state.chatID);
    panel.onDidDispose(() => {
      watch.dispose();
      this.panels.delete(state.chatID);
      chatPanel.dispose();
    });
    return chatPanel;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export class ChatPanel implements vscode.Disposable {
  chat: Chat | undefined;
  /** Resolves when the first load (successful or not) has been rendered. */
  readonly loaded: Promise<void>;
  /** The HTML last given to the webview (tests inspect it). */
  html = '';
  /** How many participants the page lists now (100, then 200 more per "Show more"). */
  private shownParticipants = FIRST_PARTICIPANTS;
  /** Inlined image bytes in the last render (tests read it). */
  imageBytes = 0;
  /** Live updates posted to the page (tests read them). */
  readonly updates: ChatPageUpdate[] = [];
  private abort: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly state: PanelState,
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
    private readonly accountLabel: (accountID: string) => string | undefined,
    private readonly model: BeeperModel,
  ) {
    this.disposables.push(panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this.loaded = this.load();
  }

  get chatID(): string {
    return this.state.chatID;
  }

  /** Fetches the chat and renders it; a failure renders an error page with "Try again". */
  async load(): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    try {
      const client = await this.connection.client();
      const wanted = this.shownParticipants > MAX_PARTICIPANT_REQUEST ? -1 : this.shownParticipants;
      const chat = await client.getChat(this.chatID, { maxParticipantCount: wanted }, { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.chat = chat;
      // The model learns what the panel read (the tree row updates too).
      this.model.upsertChat(chat);
      this.panel.title = chat.title.slice(0, 80) || vscode.l10n.t('Chat');
      await this.render(chat);
    } catch (e) {
      if (abort.signal.aborted) return;
      const err = e instanceof BeeperApiError ? e : undefined;
      this.setHtml(
        chatErrorHtml(
          this.frame(),
          this.chatID,
          err?.kind === 'notFound' ? vscode.l10n.t('Chat not found') : vscode.l10n.t('Could not load this chat'),
          err?.message ?? describeError(e),
          err?.kind === 'notFound' ? vscode.l10n.t('It may have been deleted, or it belongs to an account that is no longer signed in.') : err?.hint,
        ),
      );
    }
  }

  private async render(chat: Chat, loadingMore = false): Promise<void> {
    const config = vscode.workspace.getConfiguration('beeper');
    const remoteImages = config.get<boolean>('loadRemoteImages') ?? true;
    const roots = [...defaultMediaRoots(), ...(config.get<string[]>('localMediaRoots') ?? []).filter((r) => typeof r === 'string' && r.length > 0)];
    // Only the participants on the page are rendered (and their avatars read).
    const shown = chat.participants.items.slice(0, this.shownParticipants);
    const pageChat: Chat = { ...chat, participants: { ...chat.participants, items: shown, hasMore: chat.participants.hasMore || chat.participants.items.length > shown.length } };
    let budget = PANEL_IMAGE_BUDGET_BYTES;
    const seen = new Map<string, string>();
    const resolve = async (raw: string | null | undefined): Promise<string | undefined> => {
      const source = classifyImageUrl(raw, remoteImages);
      if (source.kind === 'url') return source.url.length <= 64 * 1024 ? source.url : undefined;
      if (source.kind !== 'file' || budget <= 0) return undefined;
      const image = await readLocalImageWithSize(source.path, roots);
      if (!image) return undefined;
      // The same file twice costs once; past the budget, initials.
      if (seen.has(image.key)) return seen.get(image.key);
      if (image.bytes > budget) return undefined;
      budget -= image.bytes;
      seen.set(image.key, image.url);
      return image.url;
    };
    const chatAvatar = await resolve(chat.imgURL);
    const avatars = new Map<string, string>();
    await mapLimit(shown, AVATAR_CONCURRENCY, async (p) => {
      const url = await resolve(p.imgURL);
      if (url) avatars.set(p.id, url);
    });
    this.imageBytes = PANEL_IMAGE_BUDGET_BYTES - budget;
    this.setHtml(
      chatDetailsHtml(this.frame(remoteImages), {
        chat: pageChat,
        accountLabel: this.accountLabel(chat.accountID),
        avatars,
        chatAvatar,
        now: Date.now(),
        loadingMore,
        moreCount: Math.min(MORE_PARTICIPANTS, Math.max(0, chat.participants.total - shown.length)),
      }),
    );
  }

  private frame(remoteImages = vscode.workspace.getConfiguration('beeper').get<boolean>('loadRemoteImages') ?? true): PageFrame {
    return pageFrame(this.panel.webview, this.extensionUri, 'chat', remoteImages);
  }

  /**
   * The model has newer data for this chat (an event, a poll): the page redraws its state in
   * place by message; participants stay as loaded (Refresh reads them again).
   */
  onModelChat(): void {
    const fresh = this.model.chat(this.chatID);
    // The panel's own read, stored in the model a moment ago, is already on the page.
    if (!fresh || !this.chat || fresh === this.chat) return;
    this.chat = { ...fresh, participants: this.chat.participants };
    this.panel.title = fresh.title.slice(0, 80) || vscode.l10n.t('Chat');
    this.post(chatStateUpdate(this.chat, Date.now(), (message, ...args) => vscode.l10n.t(message, ...args)));
  }

  /** The chat was deleted in Beeper: the page says so and keeps what it shows. */
  onDeleted(): void {
    this.post({ type: 'deleted', message: vscode.l10n.t('This chat was deleted in Beeper, or left.') });
  }

  private post(update: ChatPageUpdate): void {
    this.updates.push(update);
    if (this.updates.length > 50) this.updates.shift();
    void this.panel.webview.postMessage(update);
  }

  private setHtml(html: string): void {
    this.html = html;
    this.panel.webview.html = html;
  }

  /** Handles what the page asks for; anything else is ignored (the page is not trusted). */
  async onMessage(message: unknown): Promise<void> {
    const m = message as FromWebview;
    switch (m?.type) {
      case 'copy': {
        // Only the chat's own identifiers can be copied from the page.
        const allowed = [this.chat?.id, this.chat?.localChatID, this.chat?.accountID, this.chatID].filter(Boolean);
        if (typeof m.value !== 'string' || !allowed.includes(m.value)) return;
        await vscode.env.clipboard.writeText(m.value);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', m.value), 3000);
        return;
      }
      case 'openInBeeper':
        await vscode.commands.executeCommand('beeper.focusChat', this.chatID);
        return;
      case 'refresh':
        await this.load();
        return;
      case 'showMoreParticipants': {
        if (!this.chat) return;
        this.shownParticipants += MORE_PARTICIPANTS;
        // Already fetched (a full list): just show more of it. Otherwise fetch the larger page.
        if (this.chat.participants.items.length >= Math.min(this.shownParticipants, this.chat.participants.total) || !this.chat.participants.hasMore) {
          await this.render(this.chat);
          return;
        }
        await this.render(this.chat, true);
        await this.load();
        return;
      }
      default:
        return;
    }
  }

  dispose(): void {
    this.abort?.abort();
    for (const d of this.disposables) d.dispose();
  }
}

function isPanelState(state: unknown): state is PanelState {
  return typeof state === 'object' && state !== null && typeof (state as PanelState).chatID === 'string' && (state as PanelState).chatID.length > 0;
}
