// The chat page's view of the conversation window: every change of the window (src/model/session.ts)
// becomes one `window` message of ViewMessages; what those refer to follows on its own: the
// messages that replies quote (fetched, at most 8 at a time) and attachment images (fetched into
// the disk cache and shown as webview resources, never inlined). A page that starts over gets the
// whole window again from memory.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { BeeperClient } from '../api/client';
import type { Message } from '../api/types';
import type { WindowDiff } from '../model/conversation';
import type { ConversationSession, WindowReason } from '../model/session';
import type { AssetCache } from './assetCache';
import { openCodeTarget, type CodeLinkResolver, type CodeTarget } from '../host/codeLinks';
import { untrusted } from '../text/untrusted';
import { mapLimit } from './localMedia';
import { assetKeyOf, viewOf, type ViewContext } from './messageView';
import type { ChatPageUpdate, ViewMessage } from './protocol';

/** A reply quote's message is fetched at most this many at a time per window change. */
const QUOTE_FETCHES = 8;
const QUOTE_CACHE = 200;

export interface ChatWindowDeps {
  readonly chatID: string;
  session: ConversationSession;
  webview: vscode.Webview;
  assets: AssetCache;
  client(): Promise<BeeperClient>;
  post(update: ChatPageUpdate): void;
  /** Who is who in this chat, for the views (names, self, avatar keys). */
  context(): Omit<ViewContext, 'quoted' | 'assetSrc'>;
  log: { debug(message: string): void };
  disposed(): boolean;
  /** Which code references in messages are files in the workspace (absent: no code links). */
  codeLinks?: CodeLinkResolver;
  /** Where a code link opens (beside the chat). */
  editorColumn?(): vscode.ViewColumn | undefined;
}

/** Code links per message: the text they were found in, and the links (the page knows only their numbers). */
interface MessageCode {
  text: string;
  links: { text: string; target: CodeTarget }[];
}

const CODE_CACHE = 600;

export class ChatWindow {
  private readonly quoteCache = new Map<string, Message>();
  private readonly assetSrc = new Map<string, string>();
  private readonly code = new Map<string, MessageCode>();
  private readonly codePending = new Set<string>();

  constructor(private readonly deps: ChatWindowDeps) {}

  private get conversation() {
    return this.deps.session.conversation;
  }

  private views(messages: Message[]): ViewMessage[] {
    const ctx: ViewContext = {
      ...this.deps.context(),
      quoted: (id) => this.conversation.get(id) ?? this.quoteCache.get(id),
      assetSrc: (key) => this.assetSrc.get(key),
    };
    const views: ViewMessage[] = [];
    for (const m of messages) {
      const v = viewOf(m, ctx);
      if (!v) continue;
      const code = v.html !== undefined ? this.code.get(m.id) : undefined;
      if (code && code.text === m.text && code.links.length) v.code = code.links.map((l, n) => ({ n, text: l.text, title: this.codeTitle(l) }));
      views.push(v);
    }
    return views;
  }

  private codeTitle(link: MessageCode['links'][number]): string {
    const t = vscode.l10n.t;
    const open = t('Open {0} in the editor', untrusted(link.text, 300));
    const other = link.target.otherRef;
    return other ? `${open}\n${t('This link is for {0}; your checkout is at {1}. The file opens as it is in your checkout.', untrusted(other.ref, 80), untrusted(other.head, 80))}` : open;
  }

  /**
   * Finds the code links in messages (in the host: the page never learns a file path) and sends
   * the messages that have any again, with their links. Messages without code cost one cheap test.
   */
  private async findCode(messages: Message[]): Promise<void> {
    const resolver = this.deps.codeLinks;
    if (!resolver) return;
    const todo = messages.filter((m) => m.text && !m.isDeleted && !m.isHidden && this.code.get(m.id)?.text !== m.text && !this.codePending.has(m.id));
    if (!todo.length) return;
    for (const m of todo) this.codePending.add(m.id);
    const linked: Message[] = [];
    await mapLimit(todo, 4, async (m) => {
      try {
        const links = await resolver.linksIn(m.text!);
        this.code.set(m.id, { text: m.text!, links: links.map((l) => ({ text: l.ref.text, target: l.target })) });
        if (links.length) linked.push(m);
      } finally {
        this.codePending.delete(m.id);
      }
    });
    if (this.code.size > CODE_CACHE) for (const id of [...this.code.keys()]) if (!this.conversation.get(id)) this.code.delete(id);
    if (this.deps.disposed()) return;
    const current = linked.map((m) => this.conversation.get(m.id)).filter((m): m is Message => !!m && m.text === this.code.get(m.id)?.text);
    if (current.length) this.deps.post({ type: 'window', reason: 'live', upserted: this.views(current), removed: [], atStart: this.conversation.atStart, atEnd: this.conversation.atEnd, unseen: this.conversation.unseenNewer });
  }

  /** Opens a message's code link `n` (the page asked; it names only the number). */
  async openCode(id: string, n: number): Promise<void> {
    const link = this.code.get(id)?.links[n];
    if (!link) return;
    try {
      await openCodeTarget(link.target, this.deps.disposed() ? undefined : this.deps.editorColumn?.());
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not open {0}, because: {1}', untrusted(link.text, 300), untrusted(describeError(e), 400)));
    }
  }

  /** Sends a window change to the page, then fetches what it refers to (quotes, images). */
  post(reason: WindowReason, diff: WindowDiff): void {
    const c = this.conversation;
    const hidden = diff.upserted.filter((m) => m.isHidden).map((m) => m.id);
    // Replies to a message that changed show the new quote.
    const changed = new Set(diff.upserted.map((m) => m.id));
    const quoting = reason === 'live' ? c.messages().filter((m) => m.linkedMessageID && changed.has(m.linkedMessageID) && !changed.has(m.id)) : [];
    this.deps.post({ type: 'window', reason, upserted: this.views([...diff.upserted, ...quoting]), removed: [...diff.removed, ...hidden], atStart: c.atStart, atEnd: c.atEnd, unseen: c.unseenNewer });
    void this.fetchQuotes(diff.upserted);
    void this.fetchImages(diff.upserted);
    void this.findCode(diff.upserted);
  }

  /** The whole window again (a page that started over), from memory. */
  replay(): void {
    const c = this.conversation;
    this.deps.post({ type: 'window', reason: 'reset', upserted: this.views(c.messages()), removed: [], atStart: c.atStart, atEnd: c.atEnd, unseen: c.unseenNewer });
    void this.findCode(c.messages());
  }

  private async fetchQuotes(messages: Message[]): Promise<void> {
    const missing = [...new Set(messages.map((m) => m.linkedMessageID).filter((id): id is string => !!id && !this.conversation.get(id) && !this.quoteCache.has(id)))].slice(0, QUOTE_FETCHES);
    if (!missing.length) return;
    let client: BeeperClient;
    try {
      client = await this.deps.client();
    } catch (e) {
      this.deps.log.debug(`Reply quotes not fetched: ${describeError(e)}`);
      return;
    }
    const found: Message[] = [];
    await mapLimit(missing, 4, async (id) => {
      try {
        const m = await client.getMessage(this.deps.chatID, id);
        this.quoteCache.set(id, m);
        found.push(m);
      } catch (e) {
        // The quote shows as "not available"; the page says so.
        this.deps.log.debug(`A quoted message could not be fetched: ${describeError(e)}`);
      }
    });
    while (this.quoteCache.size > QUOTE_CACHE) this.quoteCache.delete(this.quoteCache.keys().next().value!);
    if (!found.length || this.deps.disposed()) return;
    const ids = new Set(found.map((m) => m.id));
    const replies = this.conversation.messages().filter((m) => m.linkedMessageID && ids.has(m.linkedMessageID));
    if (replies.length) this.post('live', { upserted: replies, removed: [] });
  }

  private async fetchImages(messages: Message[]): Promise<void> {
    const wanted = new Set<string>();
    for (const m of messages) {
      if (m.isDeleted || m.isHidden) continue;
      for (const a of m.attachments ?? []) {
        const key = assetKeyOf(a);
        if (key && a.type === 'img' && !a.isSticker && !this.assetSrc.has(key)) wanted.add(key);
      }
    }
    if (!wanted.size) return;
    let client: BeeperClient;
    try {
      client = await this.deps.client();
    } catch (e) {
      this.deps.log.debug(`Images not fetched: ${describeError(e)}`);
      return;
    }
    await mapLimit([...wanted], 3, async (key) => {
      let file: string | undefined;
      try {
        file = await this.deps.assets.get(key, client);
      } catch (e) {
        // The image keeps its placeholder.
        this.deps.log.debug(`An attachment image could not be fetched: ${describeError(e)}`);
      }
      if (!file || this.deps.disposed()) return;
      const src = this.deps.webview.asWebviewUri(vscode.Uri.file(file)).toString();
      this.assetSrc.set(key, src);
      this.deps.post({ type: 'asset', key, src });
    });
  }
}
