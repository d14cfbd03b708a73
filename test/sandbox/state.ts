// The sandbox's state, in one place: the world (bridges, accounts, chats, messages), login
// sessions, OAuth grants, faults and counters. Every change a client could see goes through a
// method here, which also emits the WebSocket event Beeper Desktop would send for it.
import { randomBytes } from 'node:crypto';
import type { Account, Chat, Message } from '../../src/api/types';
import { chatCapabilitiesOf, makeAccount, makeChats, makeWorld, participantsOf, type SandboxChat, type World, type WorldOptions } from './data';
import { HttpError, strip } from './http';
import { generatedMessage, historyCount, indexOfId, MESSAGE_PAGE, trimAdded, type Cast, type Overlay } from './messages';
import * as login from './login';

export interface FaultRule {
  /** HTTP method to match; any when omitted. The WebSocket upgrade is `GET /v1/ws`. */
  method?: string;
  /** Path prefix to match (query string ignored), e.g. "/v1/bridges". */
  path: string;
  /** Match only requests whose query has each of these parameters with this value (among its values). */
  query?: Record<string, string>;
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
  /** Do the work, then answer with this error status anyway (an unclear failure: did it happen?). */
  statusAfter?: number;
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

/** How long a sent message stays pending before the network "confirms" it. */
const SEND_CONFIRM_MS = 400;
/** How long after that someone reads it (networks with read receipts). */
const READ_AFTER_MS = 1200;

export class SandboxState {
  world: World;
  sessions = new Map<string, login.SessionRecord>();
  faults: Faults = {};
  requests: Record<string, number> = {};
  total = 0;
  /** Chat searches with unreadOnly=true (an unread snapshot, such as the badge's), counted apart for tests. */
  unreadSearches = 0;
  /** The last writes (method and route, path, JSON body), newest last: tests check what a verb sent. */
  writes: { route: string; path: string; body: unknown }[] = [];
  sessionCounter = 0;
  lastFocus: unknown;
  readonly oauthClients = new Map<string, { redirectUris: string[]; name: string }>();
  readonly oauthCodes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scope: string; expires: number }>();
  readonly issuedTokens = new Map<string, { expires: number; scope: string }>();
  /** What happened in each chat beyond its generated history (by chat ID). */
  readonly overlays = new Map<string, Overlay>();
  /** Pending message ID → the final ID once the network confirmed it. */
  readonly pendingToFinal = new Map<string, string>();
  /** Uploaded files (POST /v1/assets/upload), by upload ID. */
  readonly uploads = new Map<string, { bytes: Buffer; mimeType: string; fileName: string }>();
  /** Test switch: the next sends fail (the bridge reports a failure), how many and how. */
  failNextSends: { count: number; reason: string } | undefined;
  /** Beeper Desktop's MCP server setting (Settings → Developers); `/v1/info` reports it. */
  mcpEnabled = true;
  /** Open MCP sessions (`Mcp-Session-Id`), oldest first, bounded. */
  readonly mcpSessions = new Set<string>();
  private messageCounter = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<(e: DomainEvent) => void>();

  constructor(
    readonly token: string,
    private readonly worldOptions: WorldOptions,
    readonly loginOptions: login.LoginOptions,
  ) {
    this.world = makeWorld(worldOptions);
    this.armReminders();
  }

  /** Forgets the requests counted and the writes logged (tests count from here). */
  resetRequests(): void {
    this.requests = {};
    this.total = 0;
    this.unreadSearches = 0;
    this.writes = [];
  }

  reset(): void {
    this.world = makeWorld(this.worldOptions);
    this.sessions = new Map();
    this.faults = {};
    this.resetRequests();
    this.lastFocus = undefined;
    this.overlays.clear();
    this.pendingToFinal.clear();
    this.uploads.clear();
    this.failNextSends = undefined;
    this.mcpEnabled = true;
    this.mcpSessions.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.armReminders();
  }

  logWrite(route: string, path: string, body: unknown): void {
    // Uploads are bytes, not a body worth keeping.
    this.writes.push({ route, path, body: body instanceof Map || Buffer.isBuffer(body) ? '(binary)' : body });
    if (this.writes.length > 200) this.writes.splice(0, this.writes.length - 200);
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
    const { participantCount, ts: _ts, participantImgURL: _img, historyCount: _hc, historyEnd: _he, partner: _partner, members: _members, reminderTimer: _rt, ...rest } = c;
    return {
      draft: null,
      reminder: null,
      snooze: null,
      capabilities: chatCapabilitiesOf(c, this.accountById(c.accountID)),
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
    if (chat.lastActivity) chat.ts = sortTime(chat);
    this.chatChanged(chat);
  }

  deleteChat(chat: SandboxChat): void {
    this.world.chats = this.world.chats.filter((c) => c !== chat);
    this.overlays.delete(chat.id);
    this.emit('chat.deleted', chat.id, [chat.id]);
  }

  markRead(chat: SandboxChat): void {
    chat.unreadCount = 0;
    chat.unreadMentionsCount = 0;
    chat.isMarkedUnread = false;
    const overlay = this.overlays.get(chat.id);
    for (const m of overlay?.added ?? []) m.isUnread = false;
    if (overlay) overlay.readThrough = overlay.count;
    this.chatChanged(chat);
  }

  /**
   * A message arrives (or, with `isSender`, the user sent one from another device): the chat
   * moves to the top, its unread count grows, and the socket gets `message.upserted` with the
   * message, then `chat.upserted` with the chat's ID, as Beeper Desktop sends them.
   */
  addMessage(chat: SandboxChat, input: NewMessage & Partial<Message>, now = Date.now()): Message {
    this.messageCounter++;
    const account = this.accountById(chat.accountID);
    const other = participantsOf(chat, account, 3).find((p) => !p.isSelf);
    const self = account?.user;
    const { isSender, senderName, senderID, mentions, text, ...rest } = input;
    const message: Message = {
      id: String(900000 + this.messageCounter),
      chatID: chat.id,
      accountID: chat.accountID,
      senderID: isSender ? (self?.id ?? '@me:sandbox.localhost') : (senderID ?? other?.id ?? '@someone:sandbox.localhost'),
      senderName: isSender ? (self?.fullName ?? 'You') : (senderName ?? other?.fullName ?? 'Someone'),
      timestamp: new Date(now).toISOString(),
      sortKey: String(now * 1000 + (this.messageCounter % 1000)),
      type: 'TEXT',
      text: text ?? 'Hello from the sandbox',
      isSender: isSender ?? false,
      isUnread: !isSender,
      mentions: mentions === undefined ? [] : mentions,
      ...(rest as Partial<Message>),
    };
    const overlay = this.overlayOf(chat);
    overlay.added.push(message);
    trimAdded(overlay);
    chat.ts = now;
    chat.lastActivity = message.timestamp;
    if (!isSender) {
      chat.unreadCount += 1;
      if (message.mentions?.length) chat.unreadMentionsCount = (chat.unreadMentionsCount ?? 0) + 1;
      // "…unless someone writes first": an incoming message dismisses the reminder.
      if (chat.reminder?.dismissOnIncomingMessage) this.setReminder(chat, null, false);
    }
    this.emit('message.upserted', chat.id, [message.id], [message as unknown as Record<string, unknown>]);
    this.chatChanged(chat);
    return message;
  }

  // ---- reminders and drafts ----------------------------------------------------------------

  /**
   * Sets (or with null clears) a chat's reminder. When it comes due the chat is told again
   * (`chat.upserted`), as Beeper Desktop moves a due chat to the top of the inbox.
   */
  setReminder(chat: SandboxChat, reminder: { remindAt: string; dismissOnIncomingMessage?: boolean } | null, emit = true): void {
    if (chat.reminderTimer) {
      clearTimeout(chat.reminderTimer);
      this.timers.delete(chat.reminderTimer);
      chat.reminderTimer = undefined;
    }
    chat.reminder = reminder;
    chat.ts = sortTime(chat);
    if (reminder) this.scheduleReminder(chat, Date.parse(reminder.remindAt));
    if (emit) this.chatChanged(chat);
  }

  private scheduleReminder(chat: SandboxChat, at: number): void {
    const wait = at - Date.now();
    if (!(wait > 0)) return;
    // Timers over ~24.8 days overflow; a far reminder is checked again later.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      chat.reminderTimer = undefined;
      if (!chat.reminder || Date.parse(chat.reminder.remindAt) !== at) return;
      if (Date.now() < at) return this.scheduleReminder(chat, at);
      // Due: the chat is listed as if active now (the top of the inbox), its last activity unchanged.
      chat.ts = sortTime(chat);
      this.chatChanged(chat);
    }, Math.min(wait, 2 ** 31 - 1));
    // A reminder hours away must not keep a test process (or the sandbox's CLI on exit) alive.
    timer.unref();
    chat.reminderTimer = timer;
    this.timers.add(timer);
  }

  /** The world's seeded reminders start their timers (a fresh world, a reset). */
  armReminders(): void {
    for (const chat of this.world.chats) {
      if (!chat.reminder) continue;
      chat.ts = sortTime(chat);
      this.scheduleReminder(chat, Date.parse(chat.reminder.remindAt));
    }
  }

  // ---- message history ----------------------------------------------------------------------

  overlayOf(chat: SandboxChat): Overlay {
    let overlay = this.overlays.get(chat.id);
    if (!overlay) {
      overlay = { patches: new Map(), added: [], count: historyCount(chat), endTs: chat.historyEnd ?? chat.ts };
      this.overlays.set(chat.id, overlay);
    }
    return overlay;
  }

  private castOf(chat: SandboxChat): Cast {
    const account = this.accountById(chat.accountID);
    const people = participantsOf(chat, account, 6);
    const others = people.filter((p) => !p.isSelf).map((p) => ({ id: p.id, name: p.fullName ?? p.username ?? p.id }));
    return { self: { id: account?.user.id ?? '@me:sandbox.localhost', name: account?.user.fullName ?? 'You' }, others };
  }

  /** The chat's messages as one virtual list, oldest first: generated history, then added. */
  private history(chat: SandboxChat) {
    const overlay = this.overlayOf(chat);
    const cast = this.castOf(chat);
    const total = overlay.count + overlay.added.length;
    const at = (i: number): Message => {
      if (i < overlay.count) {
        const m = generatedMessage(chat, overlay, cast, i);
        if (overlay.readThrough !== undefined && i < overlay.readThrough) m.isUnread = false;
        return m;
      }
      return overlay.added[i - overlay.count]!;
    };
    return { overlay, total, at };
  }

  /** The first index whose sortKey is >= key (binary search over the virtual list). */
  private lowerBound(h: ReturnType<SandboxState['history']>, key: bigint): number {
    let lo = 0;
    let hi = h.total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (BigInt(h.at(mid).sortKey) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * A page of 25 as Beeper Desktop pages: without a cursor the newest; `before` the 25 older than
   * the cursor, `after` the 25 newer. Pages before come newest-first, pages after oldest-first
   * (clients must sort by sortKey). Hidden messages are in the page; clients hide them.
   */
  listMessages(chat: SandboxChat, cursor: string | null, direction: 'before' | 'after'): { items: Message[]; hasMore: boolean; oldestCursor: string | null; newestCursor: string | null } {
    const h = this.history(chat);
    let from: number;
    let to: number;
    if (cursor === null) {
      to = h.total;
      from = Math.max(0, to - MESSAGE_PAGE);
    } else {
      const key = decodeCursor(cursor);
      if (direction === 'before') {
        to = this.lowerBound(h, key);
        from = Math.max(0, to - MESSAGE_PAGE);
      } else {
        from = this.lowerBound(h, key + 1n);
        to = Math.min(h.total, from + MESSAGE_PAGE);
      }
    }
    const items: Message[] = [];
    for (let i = from; i < to; i++) items.push(h.at(i));
    const hasMore = cursor !== null && direction === 'after' ? to < h.total : from > 0;
    const oldest = items[0];
    const newest = items[items.length - 1];
    if (direction === 'before' || cursor === null) items.reverse();
    return { items, hasMore, oldestCursor: oldest ? encodeCursor(oldest.sortKey) : null, newestCursor: newest ? encodeCursor(newest.sortKey) : null };
  }

  /**
   * GET /v1/messages/search: literal words (all of them, any order, case-insensitive) over every
   * chat's messages, newest first, with the spec's filters. Hidden and deleted messages are not
   * found. A query scans at most SEARCH_SCAN messages (the newest of each chat first), as a real
   * index would bound its work. Pages come newest-first; `before` pages older.
   */
  searchMessages(q: MessageSearchQuery): { items: Message[]; hasMore: boolean; oldestCursor: string | null; newestCursor: string | null; chats: Record<string, Chat> } {
    const words = (q.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const chatIDs = q.chatIDs ? new Set(q.chatIDs) : undefined;
    const accountIDs = q.accountIDs ? new Set(q.accountIDs) : undefined;
    const after = q.dateAfter !== undefined ? Date.parse(q.dateAfter) : undefined;
    const before = q.dateBefore !== undefined ? Date.parse(q.dateBefore) : undefined;
    const cursorKey = q.cursor ? decodeCursor(q.cursor) : undefined;
    const direction = q.direction ?? 'before';
    const media = q.mediaTypes ? new Set(q.mediaTypes) : undefined;
    const matches: Message[] = [];
    let scanned = 0;
    for (const chat of this.world.chats) {
      if (chatIDs && !chatIDs.has(chat.id)) continue;
      if (accountIDs && !accountIDs.has(chat.accountID)) continue;
      if (q.chatType && chat.type !== q.chatType) continue;
      if (q.excludeLowPriority !== false && chat.isLowPriority) continue;
      if (q.includeMuted === false && chat.isMuted) continue;
      const h = this.history(chat);
      for (let i = h.total - 1; i >= 0 && scanned < SEARCH_SCAN; i--, scanned++) {
        const m = h.at(i);
        if (m.isHidden || m.isDeleted) continue;
        const ts = Date.parse(m.timestamp);
        if (after !== undefined && !(ts > after)) break;
        if (before !== undefined && !(ts < before)) continue;
        if (cursorKey !== undefined) {
          const key = BigInt(m.sortKey);
          if (direction === 'before' ? key >= cursorKey : key <= cursorKey) continue;
        }
        if (q.sender === 'me' ? !m.isSender : q.sender === 'others' ? m.isSender : q.sender ? m.senderID !== q.sender : false) continue;
        if (media && !mediaMatches(m, media)) continue;
        if (words.length) {
          const hay = `${m.text ?? ''} ${(m.attachments ?? []).map((a) => a.fileName ?? '').join(' ')}`.toLowerCase();
          if (!words.every((w) => hay.includes(w))) continue;
        }
        matches.push(m);
      }
    }
    matches.sort((a, b) => (BigInt(b.sortKey) > BigInt(a.sortKey) ? 1 : BigInt(b.sortKey) < BigInt(a.sortKey) ? -1 : 0));
    const limit = q.limit ?? 20;
    // `after` pages take the oldest of the newer ones, still listed newest first.
    const items = direction === 'after' && cursorKey !== undefined ? matches.slice(Math.max(0, matches.length - limit)) : matches.slice(0, limit);
    const hasMore = matches.length > limit;
    const chats: Record<string, Chat> = {};
    for (const m of items) {
      const chat = this.chatById(m.chatID);
      if (chat && !chats[chat.id]) chats[chat.id] = this.chatJson(chat, 5);
    }
    return {
      items,
      hasMore,
      oldestCursor: items.length ? encodeCursor(items[items.length - 1]!.sortKey) : null,
      newestCursor: items.length ? encodeCursor(items[0]!.sortKey) : null,
      chats,
    };
  }

  /** The newest `count` messages of a chat, oldest first, hidden ones included (tests compare with what a client shows). */
  historyTail(chat: SandboxChat, count: number): Message[] {
    const h = this.history(chat);
    const out: Message[] = [];
    for (let i = Math.max(0, h.total - count); i < h.total; i++) out.push(h.at(i));
    return out;
  }

  /** A message by ID, or by the pending ID its send answered with (then the final message once confirmed). */
  findMessage(chat: SandboxChat, id: string): { message: Message; index: number } | undefined {
    const final = this.pendingToFinal.get(id) ?? id;
    const h = this.history(chat);
    const k = indexOfId(chat, h.overlay, final);
    if (k >= 0) return { message: h.at(k), index: k };
    const a = h.overlay.added.findIndex((m) => m.id === final || m.id === id);
    return a >= 0 ? { message: h.overlay.added[a]!, index: h.overlay.count + a } : undefined;
  }

  private patchMessage(chat: SandboxChat, id: string, patch: Partial<Message>): Message {
    const found = this.findMessage(chat, id) ?? notFoundMessage(id);
    const h = this.history(chat);
    let updated: Message;
    if (found.index < h.overlay.count) {
      const prior = h.overlay.patches.get(found.message.id) ?? {};
      h.overlay.patches.set(found.message.id, { ...prior, ...patch });
      updated = h.at(found.index);
    } else {
      updated = Object.assign(h.overlay.added[found.index - h.overlay.count]!, patch);
    }
    this.emit('message.upserted', chat.id, [updated.id], [updated as unknown as Record<string, unknown>]);
    return updated;
  }

  /**
   * The user sends: the message exists at once as pending (its ID is the pending ID), then the
   * network confirms it after a moment: it gets its final ID and `message.upserted` names the
   * pending ID with the final message as its entry. A failure switch (`failNextSends`) makes the
   * bridge report FAIL_RETRIABLE instead, with its reason.
   */
  sendMessage(chat: SandboxChat, input: { text?: string; replyToMessageID?: string; attachment?: { uploadID: string; fileName?: string; mimeType?: string } }): { chatID: string; pendingMessageID: string } {
    if (chat.isReadOnly) throw new HttpError(403, 'CHAT_READ_ONLY', 'This chat is read-only.');
    if (input.replyToMessageID && !this.findMessage(chat, input.replyToMessageID)) throw new HttpError(404, 'MESSAGE_NOT_FOUND', `No message ${input.replyToMessageID}.`);
    let attachments: Message['attachments'];
    if (input.attachment) {
      const upload = this.uploads.get(input.attachment.uploadID) ?? notFoundUpload(input.attachment.uploadID);
      const url = `mxc://sandbox.localhost/upload_${input.attachment.uploadID}`;
      const image = upload.mimeType.startsWith('image/');
      attachments = [{ id: url, srcURL: url, type: image ? 'img' : 'unknown', mimeType: input.attachment.mimeType ?? upload.mimeType, fileName: input.attachment.fileName ?? upload.fileName, fileSize: upload.bytes.length }];
    }
    const now = Date.now();
    const pendingMessageID = `m${now}${String(++this.messageCounter).padStart(4, '0')}`;
    const fail = this.failNextSends && this.failNextSends.count > 0 ? this.failNextSends : undefined;
    if (fail) fail.count--;
    const message = this.addMessage(
      chat,
      {
        isSender: true,
        text: input.text ?? '',
        type: attachments ? (attachments[0]!.type === 'img' ? 'IMAGE' : 'FILE') : 'TEXT',
        ...(attachments ? { attachments } : {}),
        ...(input.replyToMessageID ? { linkedMessageID: input.replyToMessageID } : {}),
        sendStatus: { status: 'PENDING', timestamp: new Date(now).toISOString() },
        // While pending, the message is known by its pending ID.
        id: pendingMessageID,
      },
      now,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const overlay = this.overlays.get(chat.id);
      if (!overlay?.added.includes(message)) return;
      if (fail) {
        message.sendStatus = { status: 'FAIL_RETRIABLE', reason: fail.reason, message: `The network did not accept the message: ${fail.reason}`, timestamp: new Date().toISOString() };
        this.emit('message.upserted', chat.id, [pendingMessageID], [message as unknown as Record<string, unknown>]);
        return;
      }
      message.id = String(950000 + ++this.messageCounter);
      const caps = chatCapabilitiesOf(chat, this.accountById(chat.accountID));
      const others = participantsOf(chat, this.accountById(chat.accountID), 4).filter((p) => !p.isSelf).map((p) => p.id);
      message.sendStatus = { status: 'SUCCESS', timestamp: new Date().toISOString(), ...(caps.readReceipts && others.length ? { deliveredToUsers: others.slice(0, 3) } : {}) };
      this.pendingToFinal.set(pendingMessageID, message.id);
      this.emit('message.upserted', chat.id, [pendingMessageID], [message as unknown as Record<string, unknown>]);
      // Networks with read receipts: someone reads it a moment later (a direct chat says when,
      // a group who), told with message.upserted like any change.
      if (caps.readReceipts && others.length) {
        const read = setTimeout(() => {
          this.timers.delete(read);
          if (!this.overlays.get(chat.id)?.added.includes(message)) return;
          const at = new Date().toISOString();
          message.seen = chat.type === 'group' ? Object.fromEntries(others.slice(0, 2).map((id) => [id, at])) : at;
          this.emit('message.upserted', chat.id, [message.id], [message as unknown as Record<string, unknown>]);
        }, READ_AFTER_MS);
        this.timers.add(read);
      }
    }, SEND_CONFIRM_MS);
    this.timers.add(timer);
    return { chatID: chat.id, pendingMessageID };
  }

  editMessage(chat: SandboxChat, id: string, text: string): Message {
    const found = this.findMessage(chat, id) ?? notFoundMessage(id);
    if (!found.message.isSender) throw new HttpError(403, 'NOT_YOUR_MESSAGE', 'Only your own messages can be edited.');
    if ((chatCapabilitiesOf(chat, this.accountById(chat.accountID)).edit ?? 2) <= 0) throw new HttpError(422, 'NOT_SUPPORTED', 'This network does not allow editing messages.');
    if (found.message.isDeleted) throw new HttpError(422, 'MESSAGE_DELETED', 'A deleted message cannot be edited.');
    if (found.message.attachments?.length && !found.message.text) throw new HttpError(422, 'NOT_TEXT', 'Only text messages can be edited.');
    return this.patchMessage(chat, id, { text, editedTimestamp: new Date().toISOString() });
  }

  deleteMessage(chat: SandboxChat, id: string, forEveryone: boolean): void {
    const found = this.findMessage(chat, id) ?? notFoundMessage(id);
    if (!found.message.isSender && forEveryone) throw new HttpError(403, 'NOT_YOUR_MESSAGE', 'Only your own messages can be deleted for everyone.');
    if (forEveryone) {
      this.patchMessage(chat, id, { isDeleted: true, text: undefined, attachments: undefined, reactions: undefined, links: undefined });
    } else {
      this.patchMessage(chat, id, { isHidden: true });
    }
  }

  react(chat: SandboxChat, id: string, key: string, add: boolean): void {
    const found = this.findMessage(chat, id) ?? notFoundMessage(id);
    if (found.message.isDeleted) throw new HttpError(422, 'MESSAGE_DELETED', 'A deleted message cannot get reactions.');
    const self = this.accountById(chat.accountID)?.user.id ?? '@me:sandbox.localhost';
    const reactions = (found.message.reactions ?? []).filter((r) => !(r.participantID === self && r.reactionKey === key));
    if (add) reactions.push({ id: `${self}${key}`, reactionKey: key, participantID: self, emoji: !/^[\w:-]+$/.test(key) });
    else if (reactions.length === (found.message.reactions ?? []).length) throw new HttpError(404, 'REACTION_NOT_FOUND', 'You have not reacted with that.');
    this.patchMessage(chat, id, { reactions });
  }
}

/** Where a chat sorts in the lists: its last activity, or when its reminder came due if later. */
export function sortTime(chat: SandboxChat, now = Date.now()): number {
  const activity = chat.lastActivity ? Date.parse(chat.lastActivity) : chat.ts;
  const due = chat.reminder ? Date.parse(chat.reminder.remindAt) : NaN;
  return Number.isFinite(due) && due <= now ? Math.max(activity, due) : activity;
}

function notFoundMessage(id: string): never {
  throw new HttpError(404, 'MESSAGE_NOT_FOUND', `No message ${id} in this chat.`);
}

function notFoundUpload(id: string): never {
  throw new HttpError(404, 'UPLOAD_NOT_FOUND', `No upload ${id} (uploads are temporary).`);
}

/** Cursors are opaque to clients; here they carry a sortKey. */
function encodeCursor(sortKey: string): string {
  return Buffer.from(`sk:${sortKey}`).toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^sk:\d{1,30}$/.test(raw)) throw new HttpError(400, 'INVALID_CURSOR', 'The cursor is not one this server gave out.');
  return BigInt(raw.slice(3));
}

export interface MessageSearchQuery {
  query?: string;
  chatIDs?: string[];
  accountIDs?: string[];
  chatType?: 'group' | 'single';
  mediaTypes?: string[];
  sender?: string;
  dateAfter?: string;
  dateBefore?: string;
  limit?: number;
  cursor?: string;
  direction?: 'before' | 'after';
  excludeLowPriority?: boolean;
  includeMuted?: boolean;
}

/** The most messages one search looks at (the 10,000-message chat alone is within it). */
const SEARCH_SCAN = 50_000;

function mediaMatches(m: Message, media: Set<string>): boolean {
  const kinds = new Set<string>();
  for (const a of m.attachments ?? []) {
    if (a.type === 'img' || a.mimeType?.startsWith('image/')) kinds.add('image');
    else if (a.type === 'video' || a.mimeType?.startsWith('video/')) kinds.add('video');
    else kinds.add('file');
  }
  if (m.links?.length) kinds.add('link');
  if (media.has('any')) return kinds.size > 0;
  return [...media].some((k) => kinds.has(k));
}
