// `@beeper` in VS Code chat: `/catchup` (the ranking of what needs the user, each chat with a
// short summary by the request's model and buttons that act on it), `/draft CHAT intent` (a reply
// in the user's voice written as the chat's Beeper draft and opened in the chat panel; it is never
// sent) and `/find query` (message search with the search words; results open the chat at the
// message). Follow-ups ("and the WhatsApp ones?", "draft a no to Sam") use the chat IDs the
// previous answers carried, never message bodies. What reaches the model is built in
// catchUpPrompt.ts: fenced, pseudonymized, bounded, and said at the end of each catch-up.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Chat, Message } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { messageUnread, type Need } from '../model/catchUp';
import { compareSortKeys } from '../model/conversation';
import type { CatchUpSource, CatchUpStats } from '../model/catchUpSource';
import type { DraftSync } from '../model/draftSync';
import type { BeeperModel } from '../model/model';
import type { MessageSearch } from '../search/messageSearch';
import { setting } from '../host/settings';
import { ownText, whyText } from '../commands/catchUpCommands';
import { loadMessageText } from '../text/messageTextLoader';
import { untrusted, untrustedLabel } from '../text/untrusted';
import type { ChatPanels } from '../webviews/chatPanels';
import { cleanDraft, draftPrompt, Pseudonyms, summaryPrompt, type PromptMessage } from './catchUpPrompt';

export const PARTICIPANT_ID = 'beeper.chat';
/** Chats summarized in one /catchup answer. */
const SUMMARIZED = 8;

export interface ParticipantDeps {
  connection: ConnectionService;
  model: BeeperModel;
  source: CatchUpSource;
  panels: ChatPanels;
  drafts: DraftSync;
  search: MessageSearch;
  accountLabel(accountID: string): string | undefined;
  log: { debug(message: string): void };
}

interface Meta {
  command: string;
  chatIDs: string[];
}

/** Plain text in a chat answer: never markup, links or codicons from someone else. */
function text(value: string): vscode.MarkdownString {
  return new vscode.MarkdownString().appendText(value);
}

export class BeeperChatParticipant implements vscode.Disposable {
  private participant: vscode.ChatParticipant | undefined;
  /** Stats of the last /catchup (the benchmark reads them). */
  lastStats: (CatchUpStats & { ranked: number; firstLineMs?: number; totalMs?: number; modelRequests: number }) | undefined;

  constructor(private readonly d: ParticipantDeps) {}

  /** Registers `@beeper` where VS Code chat exists. */
  register(extensionUri: vscode.Uri): void {
    if (this.participant || typeof vscode.chat?.createChatParticipant !== 'function') return;
    this.participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) => this.handle(request, context, stream, token));
    this.participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  }

  dispose(): void {
    this.participant?.dispose();
  }

  async handle(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const t = vscode.l10n.t;
    if (!setting('chat.participant')) {
      stream.markdown(t('The Beeper chat participant is turned off in your settings.'));
      stream.button({ command: 'workbench.action.openSettings', arguments: ['beeper.chat.participant'], title: t('Turn It On') });
      return {};
    }
    try {
      await this.d.connection.client();
      if (this.d.connection.state !== 'connected') throw new Error(t('Beeper Desktop is not connected'));
    } catch (e) {
      stream.markdown(text(t('Beeper Desktop is not reachable: {0}', untrusted(describeError(e), 300))));
      stream.button({ command: 'beeper.connect', title: t('Connect to Beeper Desktop') });
      return {};
    }
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const command = request.command ?? this.followUp(request.prompt, context);
      if (command === 'draft') return await this.draft(request, context, stream, abort.signal, token);
      if (command === 'find') return await this.find(request.prompt, stream, abort.signal);
      return await this.catchUp(request, stream, abort.signal, token);
    } catch (e) {
      if (token.isCancellationRequested) return {};
      stream.markdown(text(t('Beeper: that did not work, because: {0}', untrusted(describeError(e), 400))));
      return { errorDetails: { message: untrusted(describeError(e), 400) } };
    } finally {
      sub.dispose();
    }
  }

  /** A follow-up without a command: a draft when it asks for one, else a catch-up (narrowed by its words). */
  private followUp(prompt: string, context: vscode.ChatContext): string {
    if (/\b(draft|reply|answer|write|respond|tell)\b/i.test(prompt)) return 'draft';
    const previous = this.previous(context);
    if (previous?.command === 'find' && !/\b(catch|needs?|unread)\b/i.test(prompt)) return 'find';
    return 'catchup';
  }

  /** The chat IDs the latest @beeper answer carried. */
  private previous(context: vscode.ChatContext): Meta | undefined {
    for (let i = context.history.length - 1; i >= 0; i--) {
      const turn = context.history[i];
      if (turn instanceof vscode.ChatResponseTurn && turn.participant === PARTICIPANT_ID) {
        const meta = turn.result.metadata as Partial<Meta> | undefined;
        if (meta && typeof meta.command === 'string' && Array.isArray(meta.chatIDs)) return { command: meta.command, chatIDs: meta.chatIDs.filter((x): x is string => typeof x === 'string') };
      }
    }
    return undefined;
  }

  /** Which ranked chats a prompt's words name: a network, an account or a chat title (all when none). */
  private narrow(needs: Need[], prompt: string): Need[] {
    const words = prompt.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}._-]{2,}/gu) ?? [];
    if (!words.length) return needs;
    const hay = (n: Need) => [n.chat.network, this.d.accountLabel(n.chat.accountID) ?? '', n.chat.title].join(' ').toLowerCase();
    const named = words.filter((w) => !STOP.has(w) && needs.some((n) => hay(n).includes(w)));
    return named.length ? needs.filter((n) => named.some((w) => hay(n).includes(w))) : needs;
  }

  private async catchUp(request: vscode.ChatRequest, stream: vscode.ChatResponseStream, signal: AbortSignal, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const t = vscode.l10n.t;
    const started = performance.now();
    stream.progress(t('Reading what needs you across your networks…'));
    const result = await this.d.source.read({ quiet: setting('catchUp.quietChats'), ownText, signal });
    const needs = this.narrow(result.needs, request.prompt);
    const stats: NonNullable<BeeperChatParticipant['lastStats']> = { ...result.stats, ranked: needs.length, modelRequests: 0 };
    this.lastStats = stats;
    if (!needs.length) {
      stream.markdown(t('Nothing needs you right now. 🎉'));
      return { metadata: { command: 'catchup', chatIDs: [] } satisfies Meta };
    }
    const top = needs.slice(0, SUMMARIZED);
    const recent = await this.d.source.newestMessages(top.map((n) => n.chat), stats, signal, result.recent);
    const p = new Pseudonyms(setting('ai.pseudonyms'));
    const toText = (html: string) => loadMessageText().htmlToText(html, 4000);
    let budget = setting('ai.maxChars');
    let shared = 0;
    let chatsShared = 0;
    for (const need of top) {
      if (token.isCancellationRequested) break;
      const chat = need.chat;
      const header = new vscode.MarkdownString().appendMarkdown('\n\n**').appendText(untrustedLabel(chat.title, 120)).appendMarkdown('** — ').appendText(`${untrusted(this.d.accountLabel(chat.accountID) ?? chat.network, 60)} · ${whyText(need)}`).appendMarkdown('\n\n');
      stream.markdown(header);
      stats.firstLineMs ??= performance.now() - started;
      const messages = this.shareable(recent.get(chat.id) ?? [], chat, 'summary');
      if (messages.length && budget > 0) {
        const prompt = summaryPrompt({ title: chat.title, people: chat.participants?.items ?? [] }, messages, p, toText, budget);
        budget -= prompt.used;
        shared += prompt.shared;
        chatsShared++;
        stats.modelRequests++;
        await this.streamAnswer(request.model, prompt.text, p, stream, token);
        if (prompt.notShared > 0) stream.markdown(text(` ${prompt.notShared === 1 ? t('1 more message not read.') : t('{0} more messages not read.', prompt.notShared)}`));
      } else if (messages.length) {
        stream.markdown(text(messages.length === 1 ? t('1 more message not read.') : t('{0} more messages not read.', messages.length)));
      }
      stream.markdown('\n\n');
      stream.button({ command: 'beeper.openChat', arguments: [chat.id], title: t('Open') });
      stream.button({ command: 'beeper.chat.markRead', arguments: [chat.id], title: t('Mark as Read') });
      stream.button({ command: 'beeper.chat.archive', arguments: [chat.id], title: t('Archive') });
      stream.button({ command: 'beeper.draftReply', arguments: [chat.id], title: t('Draft Reply') });
    }
    if (needs.length > top.length) stream.markdown(text(`\n\n${t('{0} more chats need you; Beeper: What Needs Me? lists them all.', needs.length - top.length)}`));
    stream.markdown(text(`\n\n${t('Shared {0} messages from {1} chats with {2}.', shared, chatsShared, untrusted(request.model.name, 80))}`));
    stats.totalMs = performance.now() - started;
    return { metadata: { command: 'catchup', chatIDs: top.map((n) => n.chat.id) } satisfies Meta };
  }

  /** What may be shared of a chat's messages: unread only (the default) or the recent ones. */
  private shareable(messages: readonly Message[], chat: Chat, purpose: 'summary' | 'draft'): PromptMessage[] {
    const sorted = [...messages].sort((a, b) => compareSortKeys(a.sortKey, b.sortKey));
    const unreadFrom = sorted.findIndex((m) => !m.isSender && messageUnread(m, chat));
    let chosen: Message[];
    if (setting('ai.shareMessages') === 'recent') chosen = sorted.slice(-20);
    else if (unreadFrom < 0) chosen = purpose === 'draft' ? sorted.slice(-3) : [];
    // A draft answers the unread messages and the few before them.
    else chosen = sorted.slice(purpose === 'draft' ? Math.max(0, unreadFrom - 3) : unreadFrom);
    return chosen.map((message) => ({ message, mine: !!message.isSender }));
  }

  /** The model's answer, streamed line by line with the pseudonyms shown as real names again. */
  private async streamAnswer(model: vscode.LanguageModelChat, prompt: string, p: Pseudonyms, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<string> {
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], { justification: vscode.l10n.t('Beeper summarizes the messages that need you.') }, token);
    let pending = '';
    let all = '';
    for await (const chunk of response.text) {
      pending += chunk;
      all += chunk;
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        stream.markdown(text(p.restore(pending.slice(0, cut + 1))));
        pending = pending.slice(cut + 1);
      }
    }
    if (pending) stream.markdown(text(p.restore(pending)));
    return all;
  }

  /** `/draft CHAT intent`: a reply written as the chat's Beeper draft, opened in the panel; never sent. */
  private async draft(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, signal: AbortSignal, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const t = vscode.l10n.t;
    const found = await this.chatNamed(request.prompt, this.previous(context)?.chatIDs ?? [], signal);
    if (!found) {
      stream.markdown(t('Which chat? Write its name after /draft, for example: /draft "Book club" say I will be late.'));
      return {};
    }
    const { chat, intent } = found;
    stream.progress(t('Reading the chat and drafting…'));
    const client = await this.d.connection.client();
    const page = await client.listMessages(chat.id, {}, { signal });
    const messages = this.shareable(page.items, chat, 'draft');
    const p = new Pseudonyms(setting('ai.pseudonyms'));
    const prompt = draftPrompt({ title: chat.title, people: chat.participants?.items ?? [] }, messages, intent, p, (html) => loadMessageText().htmlToText(html, 4000), setting('ai.maxChars'));
    const response = await request.model.sendRequest([vscode.LanguageModelChatMessage.User(prompt.text)], { justification: t('Beeper drafts a reply for you to review; it is never sent.') }, token);
    let answer = '';
    for await (const chunk of response.text) answer += chunk;
    const draft = cleanDraft(p.restore(answer));
    if (!draft) {
      stream.markdown(t('The model gave no text to draft.'));
      return {};
    }
    // Beeper's draft (empty-first rule in DraftSync), then the panel with it in the composer.
    await this.d.drafts.typed(chat.id, draft);
    await this.d.drafts.push(chat.id);
    const panel = await this.d.panels.open(chat.id, chat.title);
    await panel.prefill(draft);
    const written = this.d.drafts.server(chat.id) === draft;
    stream.markdown(new vscode.MarkdownString().appendText(written ? t('Drafted a reply in “{0}”. It is the chat’s draft in Beeper and in the chat panel; nothing was sent.', untrustedLabel(chat.title, 120)) : t('Drafted a reply in “{0}” in the chat panel; Beeper Desktop did not take the draft yet, it will when it is back. Nothing was sent.', untrustedLabel(chat.title, 120))).appendMarkdown('\n\n> ').appendText(draft.replace(/\n/g, ' ')));
    stream.button({ command: 'beeper.openChat', arguments: [chat.id], title: t('Open') });
    return { metadata: { command: 'draft', chatIDs: [chat.id] } satisfies Meta };
  }

  /**
   * The chat a prompt names and the rest of it (the intent): a quoted title, a known chat's title
   * in the prompt (the longest), a person of the chats the last answer listed ("a no to Sam"),
   * or Beeper's chat search on the first words.
   */
  private async chatNamed(prompt: string, recentIDs: readonly string[], signal: AbortSignal): Promise<{ chat: Chat; intent: string } | undefined> {
    const m = this.d.model;
    const quotedTitle = /^\s*["“'](.+?)["”']\s*(.*)$/s.exec(prompt);
    const known = [...m.knownChats()];
    const lower = prompt.toLowerCase();
    // Several chats can share a title (one per network): the one the last answer listed, else the newest.
    const best = (chats: Chat[]) => chats.sort((a, b) => Number(recentIDs.includes(b.id)) - Number(recentIDs.includes(a.id)) || (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''))[0];
    if (quotedTitle) {
      const want = quotedTitle[1]!.toLowerCase();
      const chat = best(known.filter((c) => c.title.toLowerCase() === want)) ?? best(known.filter((c) => c.title.toLowerCase().includes(want)));
      if (chat) return { chat, intent: quotedTitle[2]! };
    }
    const byTitle = known.filter((c) => c.title.length >= 3 && lower.includes(c.title.toLowerCase())).sort((a, b) => b.title.length - a.title.length || Number(recentIDs.includes(b.id)) - Number(recentIDs.includes(a.id)))[0];
    if (byTitle) {
      const at = lower.indexOf(byTitle.title.toLowerCase());
      return { chat: byTitle, intent: `${prompt.slice(0, at)} ${prompt.slice(at + byTitle.title.length)}`.trim() };
    }
    // A person of the chats the last answer listed ("draft a no to Sam").
    for (const id of recentIDs) {
      const chat = m.chat(id);
      const person = chat?.participants.items.find((x) => !x.isSelf && x.fullName && new RegExp(`(?<![\\p{L}])${(x.fullName.split(/\s+/)[0] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'iu').test(prompt));
      if (chat && person) return { chat, intent: prompt };
    }
    // Beeper's chat search: the quoted title, else the first words.
    const words = quotedTitle ? quotedTitle[1]! : prompt.trim().split(/\s+/).slice(0, 3).join(' ');
    if (!words) return undefined;
    const client = await this.d.connection.client();
    const readAt = this.d.model.readMark();
    const page = await client.searchChats({ query: words, limit: 10 }, { signal });
    const chat = best(page.items.filter((c) => c.title.toLowerCase() === words.toLowerCase())) ?? page.items[0];
    if (!chat) return undefined;
    this.d.model.upsertChat(chat, readAt);
    return { chat, intent: quotedTitle ? quotedTitle[2]! : prompt };
  }

  /** `/find query`: the search issue's query words; each result opens its chat at the message. */
  private async find(query: string, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
    const t = vscode.l10n.t;
    if (!query.trim()) {
      stream.markdown(t('What should I look for? For example: /find migration from:Sam after:"last week"'));
      return {};
    }
    stream.progress(t('Searching your messages…'));
    const resolved = await this.d.search.resolve(query, signal);
    const page = await this.d.search.page(resolved, null, signal);
    if (!page.messages.length) {
      stream.markdown(t('No messages match.'));
      return { metadata: { command: 'find', chatIDs: [] } satisfies Meta };
    }
    const toText = (html: string) => loadMessageText().htmlToText(html, 400);
    const md = new vscode.MarkdownString('', true);
    md.isTrusted = { enabledCommands: ['beeper.openMessage'] };
    for (const msg of page.messages.slice(0, 20)) {
      const chat = page.chats[msg.chatID] ?? this.d.model.chat(msg.chatID);
      const args = encodeURIComponent(JSON.stringify([msg.chatID, msg.id]));
      md.appendMarkdown('- [').appendText(`${untrustedLabel(chat?.title ?? msg.chatID, 60)} · ${untrusted(msg.senderName ?? msg.senderID, 40)} · ${new Date(msg.timestamp).toLocaleString()}`).appendMarkdown(`](command:beeper.openMessage?${args}) — `).appendText(untrusted(msg.text ? toText(msg.text) : '', 160)).appendMarkdown('\n');
    }
    stream.markdown(md);
    if (page.hasMore) stream.markdown(text(t('More matches: Beeper: Search Messages… pages through all of them.')));
    return { metadata: { command: 'find', chatIDs: [...new Set(page.messages.map((x) => x.chatID))] } satisfies Meta };
  }
}

/** Words that name no network or chat in a follow-up. */
const STOP = new Set(['and', 'the', 'ones', 'what', 'about', 'from', 'with', 'only', 'show', 'catch', 'needs', 'need', 'unread', 'chats', 'chat', 'messages', 'any', 'all', 'more', 'too', 'also', 'please']);

