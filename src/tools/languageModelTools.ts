// The language-model tools: the chat agent reads the user's Beeper accounts, chats and messages,
// and (only with `beeper.languageModelTools: readAndSend`) sends a message after the user
// confirms it. They read through the API client and write what they learn into the model; the
// words the model sees come from toolText.ts. Errors reach the model as one sentence each.
import * as vscode from 'vscode';
import type { BeeperClient } from '../api/client';
import type { Chat, Message, MessageSearchParams } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { handleOf } from '../text/format';
import { stripInvisible, untrusted, untrustedLabel } from '../text/untrusted';
import { checkOutgoing } from '../model/outbox';
import {
  accountsResult,
  codeBlock,
  decodePosition,
  errorSentence,
  withQuoted,
  plainText,
  quoted,
  quoteBlock,
  readBack,
  readChatResult,
  resultBudget,
  searchChatsResult,
  searchMessagesResult,
  type ChatHeader,
} from './toolText';

export type ToolsSetting = 'read' | 'readAndSend' | 'off';
export const READ_TOOLS = ['beeper_listAccounts', 'beeper_searchChats', 'beeper_readChat', 'beeper_searchMessages'] as const;
export const SEND_TOOL = 'beeper_sendMessage';
export type ToolName = (typeof READ_TOOLS)[number] | typeof SEND_TOOL;

export interface SearchChatsInput {
  query?: string;
  unreadOnly?: boolean;
  accountIDs?: string[];
  limit?: number;
}
export interface ReadChatInput {
  chatID?: string;
  chatTitle?: string;
  limit?: number;
  before?: string;
}
export interface SearchMessagesInput {
  query?: string;
  chatIDs?: string[];
  accountIDs?: string[];
  sender?: 'me' | 'others';
  dateAfter?: string;
  dateBefore?: string;
  limit?: number;
}
export interface SendMessageInput {
  chatID: string;
  text: string;
  replyToMessageID?: string;
}

export interface ToolDeps {
  connection: ConnectionService;
  model: BeeperModel;
  loader: ModelLoader;
  /** `Sam (WhatsApp)` for an account ID, from the model's accounts. */
  accountLabel: (accountID: string) => string | undefined;
  /** Matrix HTML to plain text (htmlparser2, loaded on first use). */
  htmlToText: (html: string, max: number) => string;
  setting: () => ToolsSetting;
  /** The Beeper log channel (warnings that change nothing the model sees). */
  log?: Pick<vscode.LogOutputChannel, 'warn'>;
}

/** The user's offset from UTC in minutes, now (times in results are local). */
const localOffset = () => -new Date().getTimezoneOffset();

const clamp = (n: unknown, min: number, max: number, fallback: number) => (typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : fallback);
const strings = (v: unknown, max: number) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 500).slice(0, max) : undefined);
const text = (s: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);

/** An input that cannot work: a sentence for the model, thrown before any request. */
class InputError extends Error {}

export class BeeperTools implements vscode.Disposable {
  private registrations: vscode.Disposable[] = [];
  private registeredNames: ToolName[] = [];
  /** The tool objects by name, registered or not (the integration tests call them directly). */
  readonly tools: { [K in ToolName]: vscode.LanguageModelTool<object> };

  constructor(private readonly deps: ToolDeps) {
    this.tools = {
      beeper_listAccounts: { invoke: (_o, token) => this.run(token, () => this.listAccounts()) },
      beeper_searchChats: { invoke: (o, token) => this.run(token, (signal) => this.searchChats(o.input, o.tokenizationOptions?.tokenBudget, signal)) },
      beeper_readChat: {
        prepareInvocation: (o) => ({ invocationMessage: this.readingMessage(o.input) }),
        invoke: (o, token) => this.run(token, (signal) => this.readChat(o.input, o.tokenizationOptions?.tokenBudget, signal), { chatID: (o.input as ReadChatInput).chatID }),
      },
      beeper_searchMessages: { invoke: (o, token) => this.run(token, (signal) => this.searchMessages(o.input, o.tokenizationOptions?.tokenBudget, signal)) },
      beeper_sendMessage: {
        prepareInvocation: (o, token) => this.guard(token, (signal) => this.prepareSend(o.input as SendMessageInput, signal), o.input),
        invoke: (o, token) => this.run(token, (signal) => this.send(o.input as SendMessageInput, signal), o.input),
      },
    };
  }

  /** Which tools are registered now. */
  get registered(): readonly ToolName[] {
    return this.registeredNames;
  }

  /** Registers what the setting allows (again after it changes). */
  apply(): void {
    const setting = this.deps.setting();
    const wanted: ToolName[] = setting === 'off' ? [] : setting === 'readAndSend' ? [...READ_TOOLS, SEND_TOOL] : [...READ_TOOLS];
    if (wanted.length === this.registeredNames.length && wanted.every((n, i) => n === this.registeredNames[i])) return;
    this.unregister();
    for (const name of wanted) this.registrations.push(vscode.lm.registerTool(name, this.tools[name]));
    this.registeredNames = wanted;
  }

  dispose(): void {
    this.unregister();
  }

  private unregister(): void {
    for (const r of this.registrations) r.dispose();
    this.registrations = [];
    this.registeredNames = [];
  }

  /** A tool's result as text. */
  private async run(token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<string>, about: { chatID?: string; replyToMessageID?: string } = {}): Promise<vscode.LanguageModelToolResult> {
    return text(await this.guard(token, work, about));
  }

  /** Work with a cancellable client; any failure becomes one sentence (invoke and prepare alike). */
  private async guard<T>(token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>, about: { chatID?: string; replyToMessageID?: string }): Promise<T> {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal);
    } catch (e) {
      // The message is all the model sees; the cause stays for VS Code's own log.
      throw new Error(e instanceof InputError ? e.message : errorSentence(e, { chatID: about.chatID, messageID: about.replyToMessageID }), { cause: e });
    } finally {
      sub.dispose();
    }
  }

  private client(): Promise<BeeperClient> {
    return this.deps.connection.client();
  }

  private header(chat: Chat): ChatHeader {
    return { chat, account: this.deps.accountLabel(chat.accountID) };
  }

  /** Accounts are read once for the account labels; a failure there does not fail the tool. */
  private async accountsKnown(): Promise<void> {
    // Without accounts the result names networks by ID instead; the tool still answers.
    await this.deps.loader.ensureAccounts().catch(() => undefined);
  }

  // ---- beeper_listAccounts --------------------------------------------------------------------

  private async listAccounts(): Promise<string> {
    await this.deps.loader.reloadAccounts();
    const rows = this.deps.model.groups.flatMap((g) => g.accounts.map((account) => ({ account, network: g.displayName })));
    return accountsResult(rows);
  }

  // ---- beeper_searchChats ---------------------------------------------------------------------

  private async searchChats(input: SearchChatsInput, tokenBudget: number | undefined, signal: AbortSignal): Promise<string> {
    const limit = clamp(input.limit, 1, 50, 20);
    const query = typeof input.query === 'string' ? input.query.trim().slice(0, 200) : undefined;
    const client = await this.client();
    const readAt = this.deps.model.readMark();
    const page = await client.searchChats({ query: query || undefined, unreadOnly: input.unreadOnly === true ? true : undefined, accountIDs: strings(input.accountIDs, 20), limit }, { signal });
    for (const chat of page.items) this.deps.model.upsertChat(chat, readAt);
    await this.accountsKnown();
    return searchChatsResult({
      chats: page.items.slice(0, limit).map((c) => this.header(c)),
      hasMore: page.hasMore || page.items.length > limit,
      query,
      unreadOnly: input.unreadOnly === true,
      offsetMinutes: localOffset(),
      maxChars: resultBudget(tokenBudget),
    });
  }

  // ---- beeper_readChat ------------------------------------------------------------------------

  private readingMessage(input: ReadChatInput): string {
    const title = typeof input.chatTitle === 'string' && input.chatTitle ? untrustedLabel(input.chatTitle, 60) : undefined;
    return title ? vscode.l10n.t('Reading the Beeper chat "{0}"…', title) : vscode.l10n.t('Reading a Beeper chat…');
  }

  /** A chat by ID, or by a title: an exact title match wins, else the only match. */
  private async resolveChat(client: BeeperClient, input: { chatID?: string; chatTitle?: string }, signal: AbortSignal): Promise<Chat> {
    const chatID = typeof input.chatID === 'string' ? input.chatID.trim() : '';
    // Through the loader, the one reader of chats: the model learns the chat as it is now.
    if (chatID) return this.deps.loader.readChat(chatID, 50, signal);
    const title = typeof input.chatTitle === 'string' ? input.chatTitle.trim().slice(0, 200) : '';
    if (!title) throw new InputError('Give either chatID or chatTitle. Use beeper_searchChats to find a chat.');
    const found = (await client.searchChats({ query: title, limit: 20 }, { signal })).items;
    const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
    const exact = found.filter((c) => norm(c.title) === norm(title));
    const pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : undefined;
    if (pick) return this.deps.loader.readChat(pick.id, 50, signal);
    if (found.length === 0) throw new InputError(withQuoted('No chat has that title. Use beeper_searchChats with a shorter query to find the chat and its ID.', 'The title asked for', title, 100));
    const pool = exact.length > 1 ? exact : found;
    const candidates = pool.slice(0, 8).map((c) => `- "${quoted(c.title, 80)}" · ${quoted(c.network, 40)}${this.deps.accountLabel(c.accountID) ? ` · account ${quoted(this.deps.accountLabel(c.accountID), 80)}` : ''} · chatID ${quoted(c.id, 200)}`);
    const verb = exact.length > 1 ? 'have' : 'match';
    throw new InputError(`Several chats ${verb} the title asked for. Call beeper_readChat again with the chatID of the one you mean, or ask the user which one.\n${quoteBlock([`The title asked for: ${quoted(title, 100)}`, ...candidates])}`);
  }

  private async readChat(input: ReadChatInput, tokenBudget: number | undefined, signal: AbortSignal): Promise<string> {
    const limit = clamp(input.limit, 1, 100, 30);
    const client = await this.client();
    // Before resolving: an ambiguous title lists its candidates with their accounts.
    await this.accountsKnown();
    const chat = await this.resolveChat(client, input, signal);
    const from = decodePosition(typeof input.before === 'string' ? input.before.slice(0, 2000) : undefined);
    const read = await readBack((cursor) => client.listMessages(chat.id, cursor ? { cursor, direction: 'before' } : {}, { signal }), from, limit);
    const names = new Map<string, string>();
    for (const p of chat.participants?.items ?? []) names.set(p.id, p.isSelf ? 'You' : quoted(p.fullName, 60) || quoted(p.username, 60) || quoted(p.id, 60));
    for (const m of read.messages) if (!names.has(m.senderID)) names.set(m.senderID, m.isSender ? 'You' : quoted(m.senderName, 60) || quoted(m.senderID, 60));
    return readChatResult({
      ...this.header(chat),
      messages: read.messages,
      older: read.older,
      olderThan: read.olderThan,
      ctx: { toText: this.deps.htmlToText, offsetMinutes: localOffset(), names },
      maxChars: resultBudget(tokenBudget),
    });
  }

  // ---- beeper_searchMessages ------------------------------------------------------------------

  private async searchMessages(input: SearchMessagesInput, tokenBudget: number | undefined, signal: AbortSignal): Promise<string> {
    const params: MessageSearchParams = {
      query: typeof input.query === 'string' && input.query.trim() ? input.query.trim().slice(0, 200) : undefined,
      chatIDs: strings(input.chatIDs, 20),
      accountIDs: strings(input.accountIDs, 20),
      sender: input.sender === 'me' || input.sender === 'others' ? input.sender : undefined,
      dateAfter: isoDate(input.dateAfter, 'dateAfter'),
      dateBefore: isoDate(input.dateBefore, 'dateBefore'),
      limit: clamp(input.limit, 1, 20, 20),
    };
    if (!params.query && !params.chatIDs && !params.accountIDs && !params.sender && !params.dateAfter && !params.dateBefore) {
      throw new InputError('Give a query (one or two exact words) or at least one filter: chatIDs, accountIDs, sender or a date range.');
    }
    const client = await this.client();
    const result = await client.searchMessages(params, { signal });
    return searchMessagesResult({
      messages: result.items,
      chats: result.chats,
      hasMore: result.hasMore,
      ctx: { toText: this.deps.htmlToText, offsetMinutes: localOffset(), names: new Map() },
      maxChars: resultBudget(tokenBudget),
    });
  }

  // ---- beeper_sendMessage ---------------------------------------------------------------------

  /**
   * The input checked, and the text that will be sent: hidden characters (tag characters,
   * variation selectors that carry no emoji, zero-width runs, bidi controls) removed, so the
   * confirmation shows exactly what is posted, and says how many went.
   */
  private checkSend(input: SendMessageInput): { chatID: string; text: string; removed: number; replyToMessageID?: string } {
    const chatID = typeof input.chatID === 'string' ? input.chatID.trim() : '';
    if (!chatID) throw new InputError('chatID is required. Use beeper_searchChats to find the chat and its ID.');
    const { text, removed } = stripInvisible(typeof input.text === 'string' ? input.text : '');
    const problem = checkOutgoing(text);
    if (problem?.kind === 'empty') throw new InputError(`The message text is empty${removed ? ' once its hidden characters are removed' : ''}; nothing was sent.`);
    if (problem?.kind === 'tooLong') throw new InputError(`The message is ${problem.length} characters long; at most ${problem.max} can be sent at once. Nothing was sent.`);
    const reply = typeof input.replyToMessageID === 'string' && input.replyToMessageID.trim() ? input.replyToMessageID.trim() : undefined;
    return { chatID, text, removed, ...(reply ? { replyToMessageID: reply } : {}) };
  }

  /** The checked input and its chat, which must take messages. */
  private async sendTarget(input: SendMessageInput, signal: AbortSignal): Promise<{ send: ReturnType<BeeperTools['checkSend']>; client: BeeperClient; chat: Chat }> {
    const send = this.checkSend(input);
    const client = await this.client();
    // A few participants: enough to name the other person of a direct chat.
    const chat = await this.deps.loader.readChat(send.chatID, 5, signal);
    if (chat.isReadOnly) throw new InputError(withQuoted('That chat is read-only: nobody can send messages there. Nothing was sent.', 'The chat', chat.title, 100));
    await this.accountsKnown();
    return { send, client, chat };
  }

  /** Other chats the user has with the same title (a look-alike group named like a direct chat). */
  private async sameTitle(client: BeeperClient, chat: Chat, signal: AbortSignal): Promise<number> {
    const norm = (t: string) => untrusted(t, 500).normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
    const title = norm(chat.title);
    if (!title) return 0;
    const ids = new Set<string>();
    for (const c of this.deps.model.knownChats()) if (c.id !== chat.id && norm(c.title) === title) ids.add(c.id);
    try {
      for (const c of (await client.searchChats({ query: chat.title.slice(0, 200), limit: 20 }, { signal })).items) if (c.id !== chat.id && norm(c.title) === title) ids.add(c.id);
    } catch (e) {
      if (signal.aborted) throw e;
      // The chats the model knows still count; the search only adds to them.
      this.deps.log?.warn(`send confirmation: could not look for chats with the same title: ${e instanceof Error ? e.message : String(e)}`);
    }
    return ids.size;
  }

  /**
   * The confirmation the user answers before anything is sent. It names the target beyond doubt
   * (direct or group and how many members, the other person's handle, the network and the
   * account, each on its own line, with the title cut so none of them can be pushed out of view),
   * warns when another chat has the same title, and shows exactly the text that will be posted.
   */
  private async prepareSend(input: SendMessageInput, signal: AbortSignal): Promise<vscode.PreparedToolInvocation> {
    const { send, client, chat } = await this.sendTarget(input, signal);
    let replyTo: Message | undefined;
    if (send.replyToMessageID) replyTo = await client.getMessage(chat.id, send.replyToMessageID, { signal });
    const twins = await this.sameTitle(client, chat, signal);
    const account = this.deps.accountLabel(chat.accountID);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.supportHtml = false;
    const line = (label: string, value: string) => {
      md.appendMarkdown(`**${label}:** `);
      md.appendText(value);
      md.appendMarkdown('  \n');
    };
    // Runs of spaces (no-break ones too) are one space: a padded title cannot push the lines below out of view.
    line(vscode.l10n.t('To'), `"${untrustedLabel(chat.title.replace(/\s+/g, ' '), 60)}"`);
    const members = chat.participants.total || chat.participants.items.length;
    if (chat.type === 'single') {
      const other = chat.participants.items.find((p) => !p.isSelf);
      const handle = other ? handleOf(other) ?? other.id : undefined;
      line(vscode.l10n.t('Kind'), handle ? vscode.l10n.t('direct chat with {0}', untrusted(handle, 80)) : vscode.l10n.t('direct chat'));
    } else {
      line(vscode.l10n.t('Kind'), vscode.l10n.t('group chat, {0} members', members));
    }
    line(vscode.l10n.t('Network'), untrustedLabel(chat.network, 40, '?'));
    if (account) line(vscode.l10n.t('Account'), untrustedLabel(account, 80));
    if (twins > 0) {
      md.appendMarkdown('\n$(warning) ');
      md.appendText(twins === 1 ? vscode.l10n.t('Another chat has the same title. Check that this is the one you mean.') : vscode.l10n.t('{0} other chats have the same title. Check that this is the one you mean.', twins));
      md.appendMarkdown('\n');
    }
    if (replyTo) {
      md.appendMarkdown(`\n**${vscode.l10n.t('In reply to')}:** `);
      md.appendText(`${replyTo.isSender ? vscode.l10n.t('you') : untrustedLabel(replyTo.senderName, 60, '?')}: ${untrustedLabel(plainText(replyTo, { toText: this.deps.htmlToText }, 120), 120, '…')}`);
      md.appendMarkdown('\n');
    }
    md.appendMarkdown(`\n**${vscode.l10n.t('Message')}:**\n\n`);
    md.appendMarkdown(codeBlock(send.text));
    if (send.removed > 0) md.appendText(vscode.l10n.t('{0} hidden characters (invisible, tag or direction-changing) were removed from the text; it is sent exactly as shown.', send.removed));
    return {
      invocationMessage: vscode.l10n.t('Sending a message to "{0}"…', untrustedLabel(chat.title, 60)),
      confirmationMessages: { title: vscode.l10n.t('Send this message with Beeper?'), message: md },
    };
  }

  private async send(input: SendMessageInput, signal: AbortSignal): Promise<string> {
    const { send, client, chat } = await this.sendTarget(input, signal);
    // One POST, never retried: a second try could send the message twice. The text is the one the confirmation showed.
    const result = await client.sendMessage(chat.id, { text: send.text, ...(send.replyToMessageID ? { replyToMessageID: send.replyToMessageID } : {}) }, { signal });
    const account = this.deps.accountLabel(chat.accountID);
    return [
      `Sent. Beeper Desktop accepted the message${send.replyToMessageID ? ', as a reply to the message asked for' : ''}; it shows in the chat once the network confirms it.${send.removed ? ` ${send.removed} hidden characters were removed from the text before sending.` : ''}`,
      quoteBlock([
        `Chat: "${quoted(chat.title, 120)}" (chatID ${quoted(chat.id, 200)})`,
        `Network: ${quoted(chat.network, 40) || 'unknown'}${account ? ` · account ${quoted(account, 100)}` : ''}`,
        `Pending message ID: ${quoted(result.pendingMessageID, 120)}`,
        `Text: ${quoted(send.text, 4000, true)}`,
      ]),
    ].join('\n');
  }
}

/** A date or date-time for the search, as ISO 8601; a bare date means local midnight. */
function isoDate(value: unknown, name: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const v = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const ms = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime() : Date.parse(v);
  if (Number.isNaN(ms)) throw new InputError(`The ${name} value must be an ISO 8601 date or date-time, such as 2026-11-01 or 2026-11-01T09:00:00Z.`);
  return new Date(ms).toISOString();
}
