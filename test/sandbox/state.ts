// The sandbox's state, in one place: the world (bridges, accounts, chats, messages), login
// sessions, OAuth grants, faults and counters. Every change a client could see goes through a
// method here, which also emits the WebSocket event Beeper Desktop would send for it.
import { randomBytes } from 'node:crypto';
import type { Account, Chat, Message } from '../../src/api/types';
import { makeAccount, makeChats, makeWorld, participantsOf, type SandboxChat, type World, type WorldOptions } from './data';
import { strip } from './http';
import * as login from './login';

export interface FaultRule {
  /** HTTP method to match; any when omitted. The WebSocket upgrade is `GET /v1/ws`. */
  method?: string;
  /** Path prefix to match (query string ignored), e.g. "/v1/bridges". */
  path: string;
  /** Answer with this status and an API error body (an upgrade is refused with it). */
  status?: number;
  /** The error body's message (hostile text, say); a default one otherwise. */
  message?: string;
  /** Retry-After header (seconds) to send with the status. */
  retryAfter?: number;
  /** Answer 200 with a body that is: cut off mid-JSON, HTML, empty, or valid JSON of 20 MB streamed without a length. */
  body?: 'truncated' | 'html' | 'empty' | 'wrongShape' | 'huge';
  /** Destroy the connection without answering. */
  close?: boolean;
  /** Wait this long before answering (or forever, until the client gives up, with a large value). */
  stallMs?: number;
  /** Do the work (create the session, send the message), then wait this long before answering. */
  stallAfterMs?: number;
  /** Apply to this many requests, then stop matching; every request when omitted. */
  times?: number;
}

export interface Faults {
  latencyMs?: number;
  rules?: FaultRule[];
}

/** A domain event before the socket layer numbers it (`seq` is per connection). */
export interface DomainEvent {
  type: 'chat.upserted' | 'chat.deleted' | 'message.upserted' | 'message.deleted';
  chatID: string;
  ids: string[];
  entries?: Record<string, unknown>[];
  ts: string;
}

export interface NewMessage {
  text?: string;
  senderName?: string;
  senderID?: string;
  isSender?: boolean;
  mentions?: string[] | null;
}

/** Messages kept per chat; older ones are forgotten (a soak test sends thousands). */
const MESSAGES_PER_CHAT = 200;

export class SandboxState {
  world: World;
  sessions = new Map<string, login.SessionRecord>();
  faults: Faults = {};
  requests: Record<string, number> = {};
  total = 0;
  sessionCounter = 0;
  lastFocus: unknown;
  readonly oauthClients = new Map<string, { redirectUris: string[]; name: string }>();
  readonly oauthCodes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scope: string; expires: number }>();
  readonly issuedTokens = new Map<string, { expires: number; scope: string }>();
  readonly messages = new Map<string, Message[]>();
  private messageCounter = 0;
  private readonly listeners = new Set<(e: DomainEvent) => void>();

  constructor(
    readonly token: string,
    private readonly worldOptions: WorldOptions,
    readonly loginOptions: login.LoginOptions,
  ) {
    this.world = makeWorld(worldOptions);
  }

  reset(): void {
    this.world = makeWorld(this.worldOptions);
    this.sessions = new Map();
    this.faults = {};
    this.requests = {};
    this.total = 0;
    this.lastFocus = undefined;
    this.messages.clear();
  }

  // ---- events -------------------------------------------------------------------------------

  onEvent(listener: (e: DomainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: DomainEvent['type'], chatID: string, ids: string[], entries?: Record<string, unknown>[]): void {
    const event: DomainEvent = { type, chatID, ids, ts: new Date().toISOString(), ...(entries ? { entries } : {}) };
    for (const l of this.listeners) l(event);
  }

  /** A chat changed (its row would look different): real Desktop sends IDs only. */
  chatChanged(chat: SandboxChat): void {
    this.emit('chat.upserted', chat.id, [chat.id]);
  }

  // ---- look-ups -----------------------------------------------------------------------------

  tokenValid(value: string | undefined): { scope: string } | undefined {
    if (!value) return undefined;
    if (value === this.token) return { scope: 'read write' };
    const issued = this.issuedTokens.get(value);
    if (issued && issued.expires > Date.now()) return issued;
    return undefined;
  }

  accountById(id: string): Account | undefined {
    return this.world.accounts.find((a) => a.accountID === id);
  }

  bridgeById(id: string) {
    return this.world.bridges.find((b) => b.id === id);
  }

  chatById(id: string): SandboxChat | undefined {
    return this.world.chats.find((c) => c.id === id || c.localChatID === id);
  }

  // ---- shapes -------------------------------------------------------------------------------

  bridgeJson(id: string) {
    const b = this.bridgeById(id)!;
    const accounts = this.world.accounts.filter((a) => a.bridge?.id === id);
    const { flows: _flows, ...rest } = b;
    return { ...rest, accounts, activeAccountCount: accounts.filter((a) => a.status !== 'disabled').length };
  }

  chatJson(c: SandboxChat, participantLimit: number): Chat {
    const { participantCount, ts: _ts, participantImgURL: _img, ...rest } = c;
    return {
      ...rest,
      participants: {
        items: participantsOf(c, this.accountById(c.accountID), participantLimit),
        hasMore: participantLimit >= 0 && participantCount > participantLimit,
        total: participantCount,
      },
    };
  }

  sessionJson(s: login.SessionRecord) {
    const bridge = this.bridgeById(s.bridgeID)!;
    const account = s.resultAccountID ? this.accountById(s.resultAccountID) : undefined;
    return strip({
      bridgeID: s.bridgeID,
      loginSessionID: s.loginSessionID,
      status: login.statusOf(s),
      accountID: s.accountID,
      loginID: s.loginID,
      currentStep: login.currentStep(s, Date.now(), this.loginOptions, bridge.network ?? bridge.displayName),
      error: login.errorOf(s),
      account,
      login: account
        ? { bridgeID: s.bridgeID, loginID: account.loginID, removeScopes: ['current-device'], status: 'connected', accountIDs: [account.accountID], statusText: 'Connected', user: account.user }
        : undefined,
    });
  }

  // ---- logins -------------------------------------------------------------------------------

  openLoginSessions(): number {
    return [...this.sessions.values()].filter(login.isOpen).length;
  }

  newSessionID(): string {
    this.sessionCounter++;
    return `ls_${this.sessionCounter}_${randomBytes(4).toString('hex')}`;
  }

  completeSession(s: login.SessionRecord): void {
    const bridge = this.bridgeById(s.bridgeID)!;
    if (s.accountID) {
      const account = this.accountById(s.accountID)!;
      account.status = 'connected';
      account.statusText = 'Connected';
      s.resultAccountID = account.accountID;
      return;
    }
    const n = this.world.accounts.filter((a) => a.bridge?.id === bridge.id).length + 1;
    const account = makeAccount(bridge, `${bridge.id}_ba_new${n}_${s.loginSessionID.slice(-4)}`, 'connected', 'Connected', {
      fullName: `New ${bridge.network ?? bridge.displayName} account`,
      username: `sandbox.user${n}`,
    });
    this.world.accounts.push(account);
    const chats = makeChats(account, 5, Date.now(), 500 + this.sessionCounter);
    this.world.chats.push(...chats);
    if (bridge.status === 'available') {
      bridge.status = 'connected';
      bridge.statusText = 'Connected';
    }
    s.resultAccountID = account.accountID;
    for (const chat of chats) this.chatChanged(chat);
  }

  refreshSession(s: login.SessionRecord): void {
    if (login.tick(s, Date.now(), this.loginOptions)) this.completeSession(s);
  }

  // ---- chats and messages -------------------------------------------------------------------

  addChat(chat: SandboxChat): void {
    this.world.chats.push(chat);
    this.chatChanged(chat);
  }

  updateChat(chat: SandboxChat, patch: Partial<SandboxChat>): void {
    Object.assign(chat, patch);
    if (chat.lastActivity) chat.ts = Date.parse(chat.lastActivity);
    this.chatChanged(chat);
  }

  deleteChat(chat: SandboxChat): void {
    this.world.chats = this.world.chats.filter((c) => c !== chat);
    this.messages.delete(chat.id);
    this.emit('chat.deleted', chat.id, [chat.id]);
  }

  markRead(chat: SandboxChat): void {
    chat.unreadCount = 0;
    chat.isMarkedUnread = false;
    for (const m of this.messages.get(chat.id) ?? []) m.isUnread = false;
    this.chatChanged(chat);
  }

  /**
   * A message arrives (or, with `isSender`, the user sent one from another device): the chat
   * moves to the top, its unread count grows, and the socket gets `message.upserted` with the
   * message, then `chat.upserted` with the chat's ID, as Beeper Desktop sends them.
   */
  addMessage(chat: SandboxChat, input: NewMessage, now = Date.now()): Message {
    this.messageCounter++;
    const account = this.accountById(chat.accountID);
    const other = participantsOf(chat, account, 3).find((p) => !p.isSelf);
    const self = account?.user;
    const message: Message = {
      id: String(900000 + this.messageCounter),
      chatID: chat.id,
      accountID: chat.accountID,
      senderID: input.isSender ? (self?.id ?? '@me:sandbox.localhost') : (input.senderID ?? other?.id ?? '@someone:sandbox.localhost'),
      senderName: input.isSender ? (self?.fullName ?? 'You') : (input.senderName ?? other?.fullName ?? 'Someone'),
      timestamp: new Date(now).toISOString(),
      sortKey: String(now * 1000 + (this.messageCounter % 1000)),
      type: 'TEXT',
      text: input.text ?? 'Hello from the sandbox',
      isSender: input.isSender ?? false,
      isUnread: !input.isSender,
      mentions: input.mentions === undefined ? [] : input.mentions,
    };
    const list = this.messages.get(chat.id) ?? [];
    list.push(message);
    if (list.length > MESSAGES_PER_CHAT) list.splice(0, list.length - MESSAGES_PER_CHAT);
    this.messages.set(chat.id, list);
    chat.ts = now;
    chat.lastActivity = message.timestamp;
    if (!input.isSender) chat.unreadCount += 1;
    this.emit('message.upserted', chat.id, [message.id], [message as unknown as Record<string, unknown>]);
    this.chatChanged(chat);
    return message;
  }
}
