// Chat panels: one webview per chat (opening it again reveals it) with the conversation, a
// composer and the chat's details. The page is drawn once; after that the host sends messages
// (a window diff, an image that is ready, the chat's new state). Messages live in a Conversation
// (src/model/conversation.ts), a bounded window of pages; the page renders exactly that window.
// Panels survive a window reload through a serializer, with their draft and scroll position.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { Chat, Message, Page } from '../api/types';
import type { BeeperClient } from '../api/client';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { Conversation, isLocal, type WindowDiff } from '../model/conversation';
import { checkOutgoing, localMessage, Outbox, type OutgoingProblem, type OutgoingSend } from '../model/outbox';
import { untrusted } from '../text/untrusted';
import { handleBeside, MAX_MESSAGE_CHARS, personName } from '../text/format';
import { AssetCache } from './assetCache';
import { chatDetailsHtml, chatErrorHtml, chatStateUpdate, type PageFrame } from './chatDetailsHtml';
import type { ChatPageRequest, ChatPageUpdate, ViewMessage, ViewParticipant } from './protocol';
import { classifyImageUrl, displayText, escapeHtml } from './html';
import { assetKeyOf, viewOf, type ViewContext } from './messageView';
import { pageFrame, panelOptions } from './panelFrame';
import { linkTarget } from './sanitizeRules';
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
/** A reply quote's message is fetched at most this many at a time per window change. */
const QUOTE_FETCHES = 8;
/** Older pages read at most to find a message (a reply's quote, the place before a reload). */
const REVEAL_PAGES = 40;
/** Mark read this long after the newest message came into view. */
const MARK_READ_DELAY_MS = 600;

interface PanelState {
  chatID: string;
  title?: string;
}

export interface ChatPanelServices {
  /** Where attachment images are cached (the extension's global storage). */
  assetDir: vscode.Uri;
  /** Drafts per chat, across panel closes and reloads. */
  drafts: vscode.Memento;
  /** How live updates run now ('live' means socket events arrive). */
  liveMode(): string;
  /** Matrix HTML to plain text (a parser, never regular expressions). */
  htmlToText(html: string, maxChars?: number): string;
  /** The Beeper log: what failed quietly goes here. */
  log: { debug(message: string): void; warn(message: string): void };
}

export class ChatPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly assets: AssetCache;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
    private readonly accountLabel: (accountID: string) => string | undefined,
    private readonly model: BeeperModel,
    private readonly loader: ModelLoader,
    private readonly services: ChatPanelServices,
  ) {
    this.assets = new AssetCache(services.assetDir.fsPath);
    this.disposables.push(
      model.onDidChange((change) => {
        if (change.kind === 'chat') this.panels.get(change.id)?.onModelChat();
        else if (change.kind === 'chatDeleted') this.panels.get(change.id)?.onDeleted();
        else if (change.kind === 'messages') this.panels.get(change.chatID)?.onMessageEvent(change.change, change.ids, change.messages);
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
      vscode.window.onDidChangeWindowState(() => {
        for (const panel of this.panels.values()) panel.maybeMarkRead();
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

  /** The panel the user is looking at (webview context menus act on it). */
  get active(): ChatPanel | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p;
    return undefined;
  }

  /** The chat's panel is open and visible (notifications stay quiet then, with the window focused). */
  isVisible(chatID: string): boolean {
    return this.panels.get(chatID)?.panel.visible ?? false;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // Avatars are https:, data:, or local files inlined by the extension after a root check;
    // attachment images come from the cache folder.
    return { ...panelOptions(this.extensionUri, [this.services.assetDir]), enableFindWidget: true, retainContextWhenHidden: false };
  }

  private adopt(panel: vscode.WebviewPanel, state: PanelState): ChatPanel {
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'beeper.svg');
    const chatPanel = new ChatPanel(panel, state, this.extensionUri, this.connection, this.accountLabel, this.model, this.services, this.assets);
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
  /** Updates posted to the page, the newest 200 (tests read them). */
  readonly updates: ChatPageUpdate[] = [];
  /** The messages the page shows: a bounded window. */
  readonly conversation = new Conversation();
  /** Page requests for messages made to the API (tests and benchmarks). */
  readonly stats = { pageRequests: 0, sends: 0, markedRead: 0 };
  private abort: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pageKind: 'none' | 'chat' | 'error' = 'none';
  private ready = false;
  private readonly readyWaiters: Array<() => void> = [];
  private loadingMessages: Promise<void> | undefined;
  /** Sends not confirmed yet (src/model/outbox.ts). */
  readonly outbox: Outbox;
  private readonly quoteCache = new Map<string, Message>();
  private readonly assetSrc = new Map<string, string>();
  private atBottom = true;
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private lastMarked: string | undefined;
  private avatars = new Map<string, string>();
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly state: PanelState,
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
    private readonly accountLabel: (accountID: string) => string | undefined,
    private readonly model: BeeperModel,
    private readonly services: ChatPanelServices,
    private readonly assets: AssetCache,
  ) {
    this.outbox = new Outbox(
      { chatID: state.chatID, client: () => this.connection.client(), toText: (html) => this.services.htmlToText(html), debug: (m) => this.services.log.debug(m) },
      {
        changed: (o) => {
          // Sent, and the server's message is already here (the socket was quicker): the local entry goes.
          if (o.pendingID && this.conversation.get(o.pendingID)) this.postWindow('live', this.conversation.remove(o.localID));
          else if (!o.pendingID) this.postWindow('live', this.conversation.upsert(this.localMessage(o)));
        },
        resolved: (o, m) => this.model.messageEvent(this.chatID, 'upserted', [o.pendingID ?? o.localID], [m]),
        arrived: (o, m) => this.postWindow('live', this.conversation.upsert(m, o.localID)),
      },
    );
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => this.maybeMarkRead()),
    );
    this.loaded = this.load();
  }

  get chatID(): string {
    return this.state.chatID;
  }

  /** Resolves once the page's script has said `ready` (tests wait for it). */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Fetches the chat and draws the page (once); after that, reloads update it by message, and
   * the messages start over at the newest unless `messages` is false (more participants).
   */
  async load(messages = true): Promise<void> {
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
      if (this.pageKind !== 'chat') await this.render(chat);
      else {
        this.post(chatStateUpdate(chat, Date.now(), (message, ...args) => vscode.l10n.t(message, ...args)));
        await this.postParticipants(chat);
        if (this.ready) {
          this.postComposer();
          if (messages) await this.loadNewest('reset');
        }
      }
    } catch (e) {
      if (abort.signal.aborted) return;
      const err = e instanceof BeeperApiError ? e : undefined;
      this.pageKind = 'error';
      this.ready = false;
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

  private remoteImages(): boolean {
    return vscode.workspace.getConfiguration('beeper').get<boolean>('loadRemoteImages') ?? true;
  }

  /** Avatars the page may show: https: (when allowed), data:, or local files inlined after a root check. */
  private async resolveAvatars(chat: Chat): Promise<{ chatAvatar?: string; avatars: Map<string, string>; shown: Chat['participants']['items'] }> {
    const config = vscode.workspace.getConfiguration('beeper');
    const remoteImages = this.remoteImages();
    const roots = [...defaultMediaRoots(), ...(config.get<string[]>('localMediaRoots') ?? []).filter((r) => typeof r === 'string' && r.length > 0)];
    const shown = chat.participants.items.slice(0, this.shownParticipants);
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
    this.avatars = avatars;
    return { chatAvatar, avatars, shown };
  }

  private async render(chat: Chat, loadingMore = false): Promise<void> {
    const { chatAvatar, avatars, shown } = await this.resolveAvatars(chat);
    const pageChat: Chat = { ...chat, participants: { ...chat.participants, items: shown, hasMore: chat.participants.hasMore || chat.participants.items.length > shown.length } };
    this.pageKind = 'chat';
    this.ready = false;
    this.setHtml(
      chatDetailsHtml(this.frame(), {
        chat: pageChat,
        accountLabel: this.accountLabel(chat.accountID),
        avatars,
        chatAvatar,
        now: Date.now(),
        loadingMore,
        moreCount: Math.min(MORE_PARTICIPANTS, Math.max(0, chat.participants.total - shown.length)),
        composer: { strings: pageStrings() },
      }),
    );
  }

  /** The participants list, by message (after "Show more" or a refresh). */
  private async postParticipants(chat: Chat, loading = false): Promise<void> {
    const { avatars, shown } = await this.resolveAvatars(chat);
    const t = vscode.l10n.t;
    const hasMore = chat.participants.hasMore || chat.participants.items.length > shown.length;
    const items: ViewParticipant[] = shown.map((p) => {
      const name = displayText(personName(p), 200);
      const handle = handleBeside(p, name);
      return {
        name,
        handle: handle ? displayText(handle, 200) : undefined,
        badges: [p.isSelf && t('You'), p.isAdmin && t('Admin'), p.isPending && t('Pending'), p.isNetworkBot && t('Bot')].filter((b): b is string => !!b),
        avatar: avatars.get(p.id),
        self: !!p.isSelf,
      };
    });
    this.post({
      type: 'participants',
      items,
      count: hasMore ? t('{0} of {1}', shown.length, chat.participants.total) : String(chat.participants.total || shown.length),
      more: hasMore ? t('Show {0} more', Math.min(MORE_PARTICIPANTS, Math.max(0, chat.participants.total - shown.length))) : undefined,
      loading,
    });
  }

  private frame(): PageFrame {
    return pageFrame(this.panel.webview, this.extensionUri, 'chat', this.remoteImages());
  }

  /**
   * The model has newer data for this chat (an event, a poll): the page redraws its state in
   * place by message. Without a socket, a newer last activity means new messages: read them.
   */
  onModelChat(): void {
    const fresh = this.model.chat(this.chatID);
    // The panel's own read, stored in the model a moment ago, is already on the page.
    if (!fresh || !this.chat || fresh === this.chat) return;
    const newer = fresh.lastActivity !== this.chat.lastActivity;
    this.chat = { ...fresh, participants: this.chat.participants };
    this.panel.title = fresh.title.slice(0, 80) || vscode.l10n.t('Chat');
    this.post(chatStateUpdate(this.chat, Date.now(), (message, ...args) => vscode.l10n.t(message, ...args)));
    this.postComposer();
    if (newer && this.ready && this.services.liveMode() !== 'live') void this.catchUp();
    this.maybeMarkRead();
  }

  /** The chat was deleted in Beeper: the page says so and keeps what it shows. */
  onDeleted(): void {
    this.post({ type: 'deleted', message: vscode.l10n.t('This chat was deleted in Beeper, or left.') });
  }

  // ---- messages ----------------------------------------------------------------------------

  private context(): ViewContext {
    const names = new Map<string, string>();
    const selfIDs = new Set<string>();
    for (const p of this.chat?.participants.items ?? []) {
      names.set(p.id, p.fullName || p.username || p.id);
      if (p.isSelf) selfIDs.add(p.id);
    }
    const account = this.chat ? this.model.accounts.find((a) => a.accountID === this.chat!.accountID) : undefined;
    if (account?.user?.id) selfIDs.add(account.user.id);
    return {
      selfIDs,
      names,
      avatars: this.avatars,
      quoted: (id) => this.conversation.get(id) ?? this.quoteCache.get(id),
      assetSrc: (key) => this.assetSrc.get(key),
      remoteImages: this.remoteImages(),
      t: (message, ...args) => vscode.l10n.t(message, ...args),
    };
  }

  private views(messages: Message[]): ViewMessage[] {
    const ctx = this.context();
    return messages.map((m) => viewOf(m, ctx)).filter((v): v is ViewMessage => !!v);
  }

  /** Sends a window change to the page, then fetches what it refers to (quotes, images). */
  private postWindow(reason: 'reset' | 'older' | 'newer' | 'live', diff: WindowDiff): void {
    const hidden = diff.upserted.filter((m) => m.isHidden).map((m) => m.id);
    // Replies to a message that changed show the new quote.
    const changed = new Set(diff.upserted.map((m) => m.id));
    const quoting = reason === 'live' ? this.conversation.messages().filter((m) => m.linkedMessageID && changed.has(m.linkedMessageID) && !changed.has(m.id)) : [];
    this.post({
      type: 'window',
      reason,
      upserted: this.views([...diff.upserted, ...quoting]),
      removed: [...diff.removed, ...hidden],
      atStart: this.conversation.atStart,
      atEnd: this.conversation.atEnd,
      unseen: this.conversation.unseenNewer,
    });
    void this.fetchQuotes(diff.upserted);
    void this.fetchImages(diff.upserted);
  }

  private async fetchQuotes(messages: Message[]): Promise<void> {
    const missing = [...new Set(messages.map((m) => m.linkedMessageID).filter((id): id is string => !!id && !this.conversation.get(id) && !this.quoteCache.has(id)))].slice(0, QUOTE_FETCHES);
    if (!missing.length) return;
    const client = await this.connection.client().catch((e: unknown) => void this.services.log.debug(`Reply quotes not fetched: ${describeError(e)}`));
    if (!client) return;
    const found: Message[] = [];
    await mapLimit(missing, 4, async (id) => {
      // A quote that cannot be fetched shows as "not available"; the page says so.
      const m = await client.getMessage(this.chatID, id).catch((e: unknown) => void this.services.log.debug(`A quoted message could not be fetched: ${describeError(e)}`));
      if (m) {
        this.quoteCache.set(id, m);
        found.push(m);
      }
    });
    while (this.quoteCache.size > 200) this.quoteCache.delete(this.quoteCache.keys().next().value!);
    if (!found.length || this.disposed) return;
    const ids = new Set(found.map((m) => m.id));
    const replies = this.conversation.messages().filter((m) => m.linkedMessageID && ids.has(m.linkedMessageID));
    if (replies.length) this.post({ type: 'window', reason: 'live', upserted: this.views(replies), removed: [], atStart: this.conversation.atStart, atEnd: this.conversation.atEnd, unseen: this.conversation.unseenNewer });
  }

  private async fetchImages(messages: Message[]): Promise<void> {
    const wanted: string[] = [];
    for (const m of messages) {
      if (m.isDeleted || m.isHidden) continue;
      for (const a of m.attachments ?? []) {
        const key = assetKeyOf(a);
        if (key && a.type === 'img' && !a.isSticker && !this.assetSrc.has(key) && !wanted.includes(key)) wanted.push(key);
      }
    }
    if (!wanted.length) return;
    const client = await this.connection.client().catch((e: unknown) => void this.services.log.debug(`Images not fetched: ${describeError(e)}`));
    if (!client) return;
    await mapLimit(wanted, 3, async (key) => {
      // An image that cannot be fetched keeps its placeholder card.
      const file = await this.assets.get(key, client).catch((e: unknown) => void this.services.log.debug(`An attachment image could not be fetched: ${describeError(e)}`));
      if (!file || this.disposed) return;
      const src = this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString();
      this.assetSrc.set(key, src);
      this.post({ type: 'asset', key, src });
    });
  }

  private async fetchPage(client: BeeperClient, params: { cursor?: string; direction?: 'before' | 'after' }): Promise<Page<Message>> {
    this.stats.pageRequests++;
    return client.listMessages(this.chatID, params);
  }

  /** One message load at a time: a second request while one runs waits for it (no duplicate page). */
  private exclusive(run: () => Promise<void>): Promise<void> {
    if (this.loadingMessages) return this.loadingMessages;
    const job = run().finally(() => {
      if (this.loadingMessages === job) this.loadingMessages = undefined;
    });
    this.loadingMessages = job;
    return job;
  }

  private loadNewest(reason: 'reset'): Promise<void> {
    return this.exclusive(async () => {
      try {
        const client = await this.connection.client();
        const page = await this.fetchPage(client, {});
        const diff = this.conversation.reset(this.withOutgoing(page));
        this.postWindow(reason, diff);
        this.maybeMarkRead();
      } catch (e) {
        this.post({ type: 'loading', which: 'none', error: vscode.l10n.t('Could not load messages: {0}', untrusted(describeError(e))) });
      }
    });
  }

  /** Local entries of sends still in flight stay in a window that starts over. */
  private withOutgoing(page: Page<Message>): Page<Message> {
    const local = this.outbox.entries().filter((o) => o.text && !(o.pendingID && page.items.some((p) => p.id === o.pendingID))).map((o) => this.localMessage(o));
    return local.length ? { ...page, items: [...page.items, ...local] } : page;
  }

  /** The page before the window (scrolling up). */
  loadOlder(): Promise<void> {
    return this.loadBeside('older');
  }

  /** The page after a window that stops short of the newest (scrolling down). */
  loadNewer(): Promise<void> {
    return this.loadBeside('newer');
  }

  private loadBeside(side: 'older' | 'newer'): Promise<void> {
    return this.exclusive(async () => {
      const older = side === 'older';
      const cursor = older ? this.conversation.olderCursor : this.conversation.newerCursor;
      if ((older ? this.conversation.atStart : this.conversation.atEnd) || !cursor) {
        this.post({ type: 'loading', which: 'none' });
        return;
      }
      try {
        const client = await this.connection.client();
        const page = await this.fetchPage(client, { cursor, direction: older ? 'before' : 'after' });
        this.postWindow(side, older ? this.conversation.addOlder(page) : this.conversation.addNewer(page));
      } catch (e) {
        const reason = untrusted(describeError(e));
        this.post({ type: 'loading', which: 'none', error: older ? vscode.l10n.t('Could not load older messages: {0}', reason) : vscode.l10n.t('Could not load newer messages: {0}', reason) });
      }
    });
  }

  /** Without socket events: the newest page, merged into a window that reaches the newest message. */
  private catchUp(): Promise<void> {
    if (!this.conversation.atEnd) return Promise.resolve();
    return this.exclusive(async () => {
      try {
        const client = await this.connection.client();
        const page = await this.fetchPage(client, {});
        const diff: WindowDiff = { upserted: [], removed: [] };
        for (const m of page.items) {
          const own = this.outbox.settle(m.id, m);
          const d = this.conversation.upsert(m, own?.localID);
          diff.upserted.push(...d.upserted);
          diff.removed.push(...d.removed);
        }
        if (diff.upserted.length || diff.removed.length) this.postWindow('live', diff);
      } catch {
        // The next change tries again.
      }
    });
  }

  /** Brings a message into the window (older pages until it is there), then asks the page to show it. */
  async reveal(id: string, restore = false): Promise<void> {
    for (let i = 0; i < REVEAL_PAGES && !this.conversation.get(id) && !this.conversation.atStart; i++) {
      await this.loadOlder();
    }
    if (this.conversation.get(id)) this.post({ type: 'reveal', id, restore });
    else if (!restore) this.post({ type: 'reveal', id, notFound: vscode.l10n.t('That message is too far back to show here. Open the chat in Beeper to see it.') });
  }

  onMessageEvent(type: 'upserted' | 'deleted', ids: string[], messages: Message[]): void {
    if (!this.conversation.loaded) return;
    const diff: WindowDiff = { upserted: [], removed: [] };
    if (type === 'deleted') {
      for (const id of ids) diff.removed.push(...this.conversation.remove(id).removed);
    } else {
      // `ids` names what changed: for a send, the pending ID, with the final message as its entry.
      messages.forEach((m, i) => {
        const named = ids[i] ?? m.id;
        const own = this.outbox.settle(named, m);
        const d = this.conversation.upsert(m, own?.localID ?? (named !== m.id ? named : undefined));
        if (own && named !== m.id) d.removed.push(...this.conversation.remove(named).removed);
        diff.upserted.push(...d.upserted);
        diff.removed.push(...d.removed);
      });
    }
    if (diff.upserted.length || diff.removed.length || !this.conversation.atEnd) this.postWindow('live', diff);
    this.maybeMarkRead();
  }

  private localMessage(o: OutgoingSend): Message {
    const chat = this.chat;
    const account = chat ? this.model.accounts.find((a) => a.accountID === chat.accountID) : undefined;
    return localMessage(o, { chatID: this.chatID, accountID: chat?.accountID ?? '', selfID: account?.user?.id, selfName: account?.user?.fullName }, escapeHtml);
  }

  // ---- sending -----------------------------------------------------------------------------

  /** Sends an uploaded file (Send File to Chat): the message shows when the socket or a poll brings it. */
  async sendAttachment(upload: { uploadID: string; fileName?: string; mimeType?: string }): Promise<string> {
    this.stats.sends++;
    return this.outbox.sendAttachment(upload);
  }

  /** Sends text from the composer: shown at once as pending, then resolved by its pending ID. */
  async send(text: string, replyTo?: string): Promise<{ ok: boolean; error?: string }> {
    const problem = checkOutgoing(text, { readOnly: this.chat?.isReadOnly });
    if (problem) return { ok: false, error: problemText(problem) };
    const o = this.outbox.create(text, replyTo);
    if (!this.conversation.atEnd) await this.loadNewest('reset');
    this.stats.sends++;
    await this.outbox.attempt(o);
    return { ok: !o.error, error: o.error && untrusted(o.error, 300) };
  }

  /** Retry of a failed send. After an unclear failure, the outbox first looks whether the message arrived. */
  async retry(id: string): Promise<void> {
    if (this.outbox.find(id)) {
      const before = this.outbox.posts;
      await this.outbox.retry(id);
      this.stats.sends += this.outbox.posts - before;
      return;
    }
    // A send the network refused (FAIL_*): the failed copy is hidden for me, then sent again.
    const failed = this.conversation.get(id);
    if (!failed?.isSender || !failed.sendStatus || !/^FAIL/.test(failed.sendStatus.status)) return;
    const text = failed.text ? this.services.htmlToText(failed.text).trim() : '';
    try {
      const client = await this.connection.client();
      await client.deleteMessage(this.chatID, id, false);
      this.postWindow('live', this.conversation.remove(id));
    } catch (e) {
      // Sent again below regardless; the failed copy stays on the server.
      this.services.log.debug(`The failed copy of a message could not be hidden: ${describeError(e)}`);
    }
    if (text) await this.send(text, failed.linkedMessageID);
  }

  // ---- per-message actions -----------------------------------------------------------------

  private message(id: string): Message | undefined {
    return this.conversation.get(id);
  }

  private async refreshMessage(client: BeeperClient, id: string): Promise<void> {
    // The socket event brings the change anyway; this read only makes it show sooner.
    const m = await client.getMessage(this.chatID, id).catch((e: unknown) => void this.services.log.debug(`A message could not be read again: ${describeError(e)}`));
    if (m) this.postWindow('live', this.conversation.upsert(m));
  }

  async react(id: string, key: string): Promise<void> {
    const m = this.message(id);
    if (!m || isLocal(id)) return;
    const self = this.context().selfIDs;
    const mine = m.reactions?.some((r) => r.reactionKey === key && self.has(r.participantID));
    await this.act(vscode.l10n.t('Could not react'), async (client) => {
      if (mine) await client.removeReaction(this.chatID, id, key);
      else await client.addReaction(this.chatID, id, key);
      await this.refreshMessage(client, id);
    });
  }

  async pickReaction(id: string): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('React with any emoji'),
      prompt: vscode.l10n.t('Type or paste one emoji (Win+. or Ctrl+Cmd+Space opens the emoji picker).'),
      validateInput: (v) => (!v.trim() ? vscode.l10n.t('Type an emoji.') : Array.from(v.trim()).length > 8 ? vscode.l10n.t('One emoji, please.') : undefined),
    });
    if (key?.trim()) await this.react(id, key.trim());
  }

  async edit(id: string, text: string): Promise<{ ok: boolean; error?: string }> {
    if (text.length > MAX_MESSAGE_CHARS) return { ok: false, error: vscode.l10n.t('The edited text is longer than {0} characters.', MAX_MESSAGE_CHARS) };
    let error: string | undefined;
    await this.act(vscode.l10n.t('Could not edit the message'), async (client) => {
      const m = await client.editMessage(this.chatID, id, text);
      this.postWindow('live', this.conversation.upsert(m));
    }, (e) => (error = e));
    return { ok: !error, error };
  }

  async delete(id: string, choice?: 'everyone' | 'me'): Promise<void> {
    const m = this.message(id);
    if (!m) return;
    const everyone = vscode.l10n.t('Delete for Everyone');
    const me = vscode.l10n.t('Delete for Me');
    let picked = choice === 'everyone' ? everyone : choice === 'me' ? me : undefined;
    if (!picked) {
      picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete this message?'),
        { modal: true, detail: m.isSender ? vscode.l10n.t('“For everyone” removes it from the chat where the network allows it.') : vscode.l10n.t('Only you will stop seeing it.') },
        ...(m.isSender ? [everyone, me] : [me]),
      );
    }
    if (!picked) return;
    await this.act(vscode.l10n.t('Could not delete the message'), async (client) => {
      await client.deleteMessage(this.chatID, id, picked === everyone);
      if (picked === everyone) await this.refreshMessage(client, id);
      else this.postWindow('live', this.conversation.remove(id));
    });
  }

  startReply(id: string): void {
    this.post({ type: 'startReply', id });
  }

  startEdit(id: string): void {
    this.post({ type: 'startEdit', id });
  }

  async copyText(id: string): Promise<void> {
    const m = this.message(id);
    if (!m) return;
    const text = m.text ? this.services.htmlToText(m.text, 100_000).trim() : (m.attachments?.[0]?.fileName ?? '');
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the message text'), 3000);
  }

  async openLink(raw: string): Promise<void> {
    const url = linkTarget(raw);
    if (!url) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This link was not opened: only http, https and mailto links can be opened from a message.'));
      return;
    }
    const open = vscode.l10n.t('Open Link');
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Open this link from a message?'), { modal: true, detail: untrusted(url.href, 2000) }, open);
    if (answer === open) await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
  }

  async saveAttachment(id: string, index: number): Promise<void> {
    const a = this.message(id)?.attachments?.[index];
    const url = a ? assetKeyOf(a) : undefined;
    if (!a || !url) return;
    // eslint-disable-next-line no-control-regex
    const name = (a.fileName || 'attachment').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 200) || 'attachment';
    const target = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Save Attachment'), defaultUri: vscode.Uri.joinPath(vscode.Uri.file(defaultSaveDir()), name), saveLabel: vscode.l10n.t('Save') });
    if (!target) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving {0}', untrusted(name, 100)), cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const temp = `${target.fsPath}.part`;
      try {
        const client = await this.connection.client();
        const res = await client.serveAsset(url, { signal: abort.signal });
        const out = fs.createWriteStream(temp);
        let bytes = 0;
        for await (const chunk of res.body) {
          bytes += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
          if (res.contentLength) progress.report({ increment: (chunk.length / res.contentLength) * 100 });
        }
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
        fs.renameSync(temp, target.fsPath);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0} ({1} bytes)', untrusted(name, 100), bytes), 5000);
      } catch (e) {
        fs.rmSync(temp, { force: true });
        if (abort.signal.aborted) return;
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the attachment: {0}', untrusted(describeError(e))));
      }
    });
  }

  async openInBeeper(messageID?: string): Promise<void> {
    if (!messageID) {
      await vscode.commands.executeCommand('beeper.focusChat', this.chatID);
      return;
    }
    await this.act(vscode.l10n.t('Could not open Beeper'), (client) => client.focus({ chatID: this.chatID, messageID }).then(() => undefined));
  }

  private async act(what: string, run: (client: BeeperClient) => Promise<void>, onError?: (message: string) => void): Promise<void> {
    try {
      await run(await this.connection.client());
    } catch (e) {
      const message = untrusted(describeError(e));
      if (onError) onError(message);
      else void vscode.window.showErrorMessage(`${what}: ${message}`);
    }
  }

  // ---- read state and the composer ---------------------------------------------------------

  /** While the panel is visible, focused and at the newest message, the chat is marked read (debounced). */
  maybeMarkRead(): void {
    clearTimeout(this.markTimer);
    const chat = this.model.chat(this.chatID) ?? this.chat;
    if (!chat || !this.ready || !this.atBottom || !this.panel.active || !this.panel.visible || !vscode.window.state.focused || !this.conversation.atEnd) return;
    const newest = this.conversation.newest();
    if (!newest) return;
    if (!(chat.unreadCount > 0 || chat.isMarkedUnread) && this.lastMarked === newest.id) return;
    if (!(chat.unreadCount > 0 || chat.isMarkedUnread) && !newest.isUnread) return;
    this.markTimer = setTimeout(() => {
      void (async () => {
        try {
          const client = await this.connection.client();
          this.lastMarked = newest.id;
          this.stats.markedRead++;
          const read = await client.markChatRead(this.chatID, newest.id);
          this.model.upsertChat(read);
        } catch {
          // Marked on the next change instead.
        }
      })();
    }, MARK_READ_DELAY_MS);
  }

  /** Puts text in the composer for a last edit before the user sends it (Send Selection). */
  async prefill(text: string): Promise<void> {
    await this.services.drafts.update(draftKey(this.chatID), text);
    await this.whenReady();
    this.postComposer(text);
    this.panel.reveal();
  }

  private postComposer(insert?: string): void {
    const draft = this.services.drafts.get<string>(draftKey(this.chatID));
    this.post({
      type: 'composer',
      maxLength: MAX_MESSAGE_CHARS,
      draft,
      insert,
      disabled: this.chat?.isReadOnly ? vscode.l10n.t('This chat is read-only: only its admins can post here.') : undefined,
    });
  }

  // ---- the page ----------------------------------------------------------------------------

  private post(update: ChatPageUpdate): void {
    this.updates.push(update);
    if (this.updates.length > 200) this.updates.shift();
    if (!this.disposed) void this.panel.webview.postMessage(update);
  }

  private setHtml(html: string): void {
    this.html = html;
    this.panel.webview.html = html;
  }

  /** Handles what the page asks for; anything malformed is ignored (the page is not trusted). */
  async onMessage(message: unknown): Promise<void> {
    const m = message as ChatPageRequest;
    if (typeof m !== 'object' || m === null || typeof m.type !== 'string') return;
    const str = (v: unknown, max = 200_000): v is string => typeof v === 'string' && v.length <= max;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        for (const w of this.readyWaiters.splice(0)) w();
        if (!this.chat) return;
        this.postComposer();
        await this.loadNewest('reset');
        if (str(m.anchorID, 500)) await this.reveal(m.anchorID, true);
        return;
      }
      case 'copy': {
        // Only the chat's own identifiers can be copied from the page.
        const allowed = [this.chat?.id, this.chat?.localChatID, this.chat?.accountID, this.chatID].filter(Boolean);
        if (!str(m.value) || !allowed.includes(m.value)) return;
        await vscode.env.clipboard.writeText(m.value);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', m.value), 3000);
        return;
      }
      case 'openInBeeper':
        await this.openInBeeper(str(m.messageID, 500) ? m.messageID : undefined);
        return;
      case 'refresh':
        await this.load();
        return;
      case 'showMoreParticipants': {
        if (!this.chat) return;
        this.shownParticipants += MORE_PARTICIPANTS;
        // Already fetched (a full list): just show more of it. Otherwise fetch the larger page.
        if (this.chat.participants.items.length >= Math.min(this.shownParticipants, this.chat.participants.total) || !this.chat.participants.hasMore) {
          await this.postParticipants(this.chat);
          return;
        }
        await this.postParticipants(this.chat, true);
        await this.load(false);
        return;
      }
      case 'loadOlder':
        await this.loadOlder();
        return;
      case 'loadNewer':
        await this.loadNewer();
        return;
      case 'jumpToNewest':
        await this.loadNewest('reset');
        return;
      case 'reveal':
        if (str(m.id, 500)) await this.reveal(m.id);
        return;
      case 'send': {
        if (!str(m.text) || typeof m.requestID !== 'number') return;
        const result = await this.send(m.text, str(m.replyTo, 500) ? m.replyTo : undefined);
        this.post({ type: 'response', requestID: m.requestID, ok: result.ok, error: result.ok ? undefined : result.error });
        return;
      }
      case 'retry':
        if (str(m.id, 500)) await this.retry(m.id);
        return;
      case 'react':
        if (str(m.id, 500) && str(m.key, 64) && m.key) await this.react(m.id, m.key);
        return;
      case 'pickReaction':
        if (str(m.id, 500)) await this.pickReaction(m.id);
        return;
      case 'edit': {
        if (!str(m.id, 500) || !str(m.text) || typeof m.requestID !== 'number') return;
        const result = await this.edit(m.id, m.text);
        this.post({ type: 'response', requestID: m.requestID, ok: result.ok, error: result.error });
        return;
      }
      case 'delete':
        if (str(m.id, 500)) await this.delete(m.id);
        return;
      case 'copyText':
        if (str(m.id, 500)) await this.copyText(m.id);
        return;
      case 'openLink':
        if (str(m.url, 8000)) await this.openLink(m.url);
        return;
      case 'saveAttachment':
        if (str(m.id, 500) && Number.isInteger(m.index)) await this.saveAttachment(m.id, m.index);
        return;
      case 'draft':
        if (str(m.text, MAX_MESSAGE_CHARS * 2)) await this.services.drafts.update(draftKey(this.chatID), m.text || undefined);
        return;
      case 'viewport':
        this.atBottom = m.atBottom === true;
        this.maybeMarkRead();
        return;
      default:
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.abort?.abort();
    this.outbox.dispose();
    clearTimeout(this.markTimer);
    for (const d of this.disposables) d.dispose();
  }
}

export function draftKey(chatID: string): string {
  return `beeper.draft:${chatID}`;
}

function defaultSaveDir(): string {
  const home = os.homedir();
  const downloads = path.join(home, 'Downloads');
  return fs.existsSync(downloads) ? downloads : home;
}

/** Why a text cannot be sent, in words. */
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

function isPanelState(state: unknown): state is PanelState {
  return typeof state === 'object' && state !== null && typeof (state as PanelState).chatID === 'string' && (state as PanelState).chatID.length > 0;
}

/** The chat page's words, translated here (the page cannot call vscode.l10n). */
function pageStrings(): Record<string, string> {
  const keys = [
    'Today', 'Yesterday', 'You', 'yourself', 'just now', 'edited', 'Sending…', 'Not sent: {0}', 'unknown error', 'Retry', 'Message deleted', 'Attachment',
    'Reply to a message that is not available', 'Go to the message this replies to', 'Save As…', 'Open in Beeper', 'Message actions', 'Reply', 'React', 'Copy text',
    'Edit', 'Delete', 'Loading older messages…', 'This is the start of the conversation.', 'Loading newer messages…', 'Jump to newest ({0})', 'Jump to newest',
    'This message is {0} characters long; the most that can be sent at once is {1}.', '{0} of at most {1} characters.', 'Replying to {0}', 'Edit message', 'Save',
    'Cancel', 'React with {0}', 'Any emoji…', 'Loading more participants…', 'Message (Enter to send, Shift+Enter for a new line)', 'Show all ({0} characters)',
  ];
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = vscode.l10n.t(k);
  return out;
}

