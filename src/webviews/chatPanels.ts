// Chat panels: one per chat (opening it again reveals it), restored after a window reload through
// the serializer. The panels listen to the model, the one bus: a chat that changed, a chat that
// was deleted, message events. See chatPanel.ts for one panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import type { DraftSync } from '../model/draftSync';
import type { Triage } from '../model/triage';
import { AssetCache } from './assetCache';
import { ChatPanel, type ChatPanelServices } from './chatPanel';
import { PanelRegistry } from './panelBase';
import { panelOptions } from './panelFrame';

import type { CodeLinkResolver } from '../host/codeLinks';

export { ChatPanel } from './chatPanel';

const CHAT_PANEL_VIEW_TYPE = 'beeper.chat';

export interface ChatPanelsOptions {
  /** Where attachment images and avatar copies are cached (the extension's global storage). */
  assetDir: vscode.Uri;
  /** Drafts per chat: kept locally, and Beeper's own draft. */
  drafts: DraftSync;
  triage: Triage;
  /** How live updates run now ('live' means socket events arrive). */
  liveMode(): string;
  /** Matrix HTML to plain text (a parser, never regular expressions). */
  htmlToText(html: string, maxChars?: number): string;
  /** Which code references in messages open in the editor. */
  codeLinks?: CodeLinkResolver;
  /** The Beeper log: what failed quietly goes here. */
  log: { debug(message: string): void; warn(message: string): void };
}

export class ChatPanels implements vscode.Disposable {
  private readonly registry: PanelRegistry<ChatPanel>;
  private readonly disposables: vscode.Disposable[] = [];
  readonly assets: AssetCache;
  private readonly activeChanged = new vscode.EventEmitter<void>();
  /** A chat panel became active or stopped being active (its title-bar menus follow). */
  readonly onDidChangeActive = this.activeChanged.event;

  constructor(
    extensionUri: vscode.Uri,
    connection: ConnectionService,
    accountLabel: (accountID: string) => string | undefined,
    model: BeeperModel,
    private readonly loader: ModelLoader,
    options: ChatPanelsOptions,
  ) {
    this.assets = new AssetCache(options.assetDir.fsPath);
    const services: ChatPanelServices = {
      connection,
      model,
      loader,
      assets: this.assets,
      extensionUri,
      imageDir: path.join(options.assetDir.fsPath, 'images'),
      accountLabel,
      drafts: options.drafts,
      triage: options.triage,
      liveMode: () => options.liveMode(),
      htmlToText: (html, max) => options.htmlToText(html, max),
      codeLinks: options.codeLinks,
      log: options.log,
    };
    this.registry = new PanelRegistry<ChatPanel>(
      CHAT_PANEL_VIEW_TYPE,
      // Avatars and attachment images come from the cache folder; https: avatars when allowed.
      // The page is retained while its tab is hidden (as the PR extension's overview is): switching
      // back to a chat is instant and keeps its scroll position, selection and composer, and live
      // updates keep reaching it. Its window is bounded (250 messages), so a hidden chat costs a
      // few MB in the renderer. Pages VS Code re-creates anyway (a reload, a move to another group)
      // get the whole state again on `ready`.
      () => ({ ...panelOptions(extensionUri, [options.assetDir]), enableFindWidget: true, retainContextWhenHidden: true }),
      vscode.Uri.joinPath(extensionUri, 'media', 'beeper.svg'),
      (panel, chatID) => this.adopt(panel, chatID, services),
      (state) => (typeof state === 'object' && state !== null && typeof (state as { chatID?: unknown }).chatID === 'string' && (state as { chatID: string }).chatID ? (state as { chatID: string }).chatID : undefined),
    );
    this.disposables.push(
      this.registry,
      model.onDidChange((change) => {
        if (change.kind === 'chat') this.registry.get(change.id)?.onModelChat();
        else if (change.kind === 'chatDeleted') this.registry.get(change.id)?.onDeleted();
        else if (change.kind === 'messages') this.registry.get(change.chatID)?.onMessageEvent(change.change, change.ids, change.messages);
      }),
      connection.onDidChange(() => {
        for (const panel of this.registry.values()) void panel.load();
      }),
      vscode.window.onDidChangeWindowState(() => {
        for (const panel of this.registry.values()) panel.maybeMarkRead();
      }),
    );
  }

  /** A panel about to be created opens its window at this message, not at the newest. */
  private pendingAnchor: { chatID: string; messageID: string } | undefined;

  private adopt(panel: vscode.WebviewPanel, chatID: string, services: ChatPanelServices): ChatPanel {
    const anchor = this.pendingAnchor?.chatID === chatID ? this.pendingAnchor.messageID : undefined;
    this.pendingAnchor = undefined;
    const chatPanel = new ChatPanel(panel, chatID, services, anchor);
    // Re-read with the rest of the screen after a reconnect or on a poll.
    const watch = this.loader.watch(chatID);
    const viewState = panel.onDidChangeViewState(() => this.activeChanged.fire());
    panel.onDidDispose(() => {
      watch.dispose();
      viewState.dispose();
      this.activeChanged.fire();
    });
    return chatPanel;
  }

  /** Opens the chat's panel, or reveals it when it is already open. */
  async open(chatID: string, title?: string): Promise<ChatPanel> {
    const { panel, created } = this.registry.open(chatID, title || vscode.l10n.t('Chat'));
    if (created) await panel.loaded;
    return panel;
  }

  /** Opens the chat's panel at a message, with the messages around it (a search result, a reply's quote). */
  async openAt(chatID: string, messageID: string, title?: string): Promise<ChatPanel> {
    // A new panel reads the window around the message straight away (never the newest first).
    if (!this.registry.get(chatID)) this.pendingAnchor = { chatID, messageID };
    const panel = await this.open(chatID, title);
    this.pendingAnchor = undefined;
    await panel.whenReady();
    await panel.reveal(messageID);
    return panel;
  }

  get(chatID: string): ChatPanel | undefined {
    return this.registry.get(chatID);
  }

  get openChatIDs(): string[] {
    return this.registry.keys();
  }

  /** The panel the user is looking at (webview context menus act on it). */
  get active(): ChatPanel | undefined {
    // A panel being closed is still listed while its dispose listeners run: its webview may not be asked.
    return this.registry.values().find((p) => !p.isDisposed && p.panel.active);
  }

  /** The chat's panel is open and visible (notifications stay quiet then, with the window focused). */
  isVisible(chatID: string): boolean {
    const panel = this.registry.get(chatID);
    return !!panel && !panel.isDisposed && panel.panel.visible;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.activeChanged.dispose();
  }
}
