// Keeps the model current by itself. With the WebSocket: `ready` → subscribe to every chat →
// events; chat events are coalesced into at most one GET per chat per 250 ms; a deleted chat
// leaves at once; message events go into the model (panels and notifications listen there). The socket reconnects with capped
// back-off and jitter, and after each reconnect re-reads what is on screen (there is no replay).
// Without it (refused, 404/401, turned off) the visible lists and panels are polled every
// `beeper.pollSeconds`; with it a slow safety poll stays (some networks send no events). While
// the window has been unfocused for long the socket is closed, and it catches up on focus.
// No vscode import: the extension wires settings, focus and the socket factory in.
import { onNextTurn } from '../api/nextTurn';
import type { ServerInfo, Message } from '../api/types';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { Emitter } from '../model/emitter';
import { Backoff } from './backoff';
import { Coalescer, ConcurrencyLimit } from './coalescer';
import { parseFrame, subscribeAllFrame, type DomainEvent } from './frames';
import { socketUrl } from './socketUrl';
import { redact } from '../api/errors';

export type LiveMode = 'off' | 'connecting' | 'live' | 'polling' | 'offline' | 'paused';

/** How the extension is kept current, as data: the status bar words it through l10n. */
export type LiveStatus = { kind: 'live' | 'connecting' | 'paused' | 'off' } | { kind: 'polling'; seconds: number } | { kind: 'offline'; retryInSeconds: number };

/** What the extension host's WebSocket (undici) offers; tests pass their own. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveSettings {
  liveUpdates: boolean;
  /** Polling interval without the socket; 0 turns polling off. */
  pollSeconds: number;
}

export interface LiveLog {
  info(message: string): void;
  warn(message: string): void;
  trace(message: string): void;
}

export interface LiveDeps {
  model: BeeperModel;
  loader: ModelLoader;
  token(): string | undefined;
  /** /v1/info, and the address it was read from (the socket goes there, or nowhere). */
  info(): Promise<{ info: ServerInfo; baseUrl: string }>;
  /** True when the token may go to this address now: the configured one, approved at this moment. */
  mayConnect(url: string): boolean;
  settings(): LiveSettings;
  focused(): boolean;
  log: LiveLog;
  createSocket(url: string, headers: Record<string, string>): SocketLike;
  /** What is on screen was re-read (panels reload). */
  onResync?(): void;
}

/** Messages kept per chat while its read is pending. */
const MAX_PENDING_MESSAGES = 50;
/** Chat reads in flight at once after events. */
export const MAX_READS_IN_FLIGHT = 4;
/** More chats than this waiting for a read: a flood. Their reads are dropped and the lists are read once. */
export const FLOOD_CHATS = 100;
/** Frames handled in one turn of the event loop, at most this long; the rest wait for the next turn. */
export const FRAME_BUDGET_MS = 8;
/** More frames (or bytes) than this waiting for their turn: a flood (they are dropped, the lists read once). */
export const MAX_WAITING_FRAMES = 10_000;
export const MAX_WAITING_BYTES = 32 * 1024 * 1024;
/** A flood is over when no event came for this long; then the lists are read once. */
const FLOOD_QUIET_MS = 1_000;
/** Warnings about failed reads: at most this many per minute, then one line that counts the rest. */
const WARNINGS_PER_MINUTE = 5;
/** With the socket up, a poll this often still catches networks that send no events. */
const SAFETY_POLL_MS = 5 * 60_000;
/** After a refused upgrade, the socket is tried again this much later (or on focus). */
const REFUSED_RETRY_MS = 5 * 60_000;
/** Unfocused this long: the socket is closed until the window is focused again. */
export const UNFOCUSED_CLOSE_MS = 10 * 60_000;

/** About the memory a waiting frame holds. */
function frameBytes(data: unknown): number {
  return typeof data === 'string' ? data.length * 2 : Buffer.isBuffer(data) ? data.byteLength : 0;
}

export class LiveUpdates {
  private modeValue: LiveMode = 'off';
  private readonly modeChanged = new Emitter<LiveMode>();
  readonly onDidChangeMode = this.modeChanged.event;
  private started = false;
  private socket: SocketLike | undefined;
  private hadLive = false;
  private readonly backoff = new Backoff();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private pauseTimer: ReturnType<typeof setTimeout> | undefined;
  private pollDue = false;
  private requestCounter = 0;
  private readonly coalescer: Coalescer<string>;
  /** New messages per chat, waiting for the chat's coalesced read (the newest 50 are kept). */
  private readonly pendingMessages = new Map<string, Message[]>();
  /** Counters (tests, benchmarks, the log). */
  readonly stats = { events: 0, malformed: 0, unknown: 0, connects: 0, resyncs: 0, polls: 0, floods: 0, dropped: 0 };
  private readonly reads = new ConcurrencyLimit(MAX_READS_IN_FLIGHT);
  /** Set while a flood lasts: events only count, and one list read follows when it is quiet. */
  private floodTimer: ReturnType<typeof setTimeout> | undefined;
  private floodEvents = 0;
  /**
   * Frames that came after this turn's budget was spent, handled at the next turns: a burst of
   * thousands of events does not hold the extension host (shared with every other extension).
   */
  private waitingFrames: { socket: SocketLike; data: unknown }[] = [];
  private waitingBytes = 0;
  /** When this turn started handling frames (undefined: none handled yet this turn). */
  private turnStarted: number | undefined;
  private warnings = { windowStart: 0, count: 0, quiet: 0 };
  /** When the next reconnect is due (for the status text). */
  private reconnectAt = 0;

  constructor(private readonly deps: LiveDeps) {
    this.coalescer = new Coalescer<string>(async (chatID) => {
      // Messages that arrived meanwhile are handed on after the chat is read, so that whoever
      // hears of them (notifications) knows the chat as it is now: muted or not, direct or not.
      const messages = this.pendingMessages.get(chatID);
      this.pendingMessages.delete(chatID);
      try {
        await this.reads.run(() => deps.loader.refreshChat(chatID));
      } catch (e) {
        this.warn(`Could not re-read a chat after an event: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (messages?.length && this.started) deps.model.messagesArrived(chatID, messages);
    });
  }

  get mode(): LiveMode {
    return this.modeValue;
  }

  /** For the status bar: how the extension is kept current (worded, and translated, by the view). */
  status(): LiveStatus {
    switch (this.modeValue) {
      case 'polling': {
        const seconds = this.deps.settings().pollSeconds;
        return seconds > 0 ? { kind: 'polling', seconds } : { kind: 'off' };
      }
      case 'offline':
        return { kind: 'offline', retryInSeconds: Math.max(1, Math.round((this.reconnectAt - Date.now()) / 1000)) };
      default:
        return { kind: this.modeValue };
    }
  }

  /** Signed in and connected: open the socket (or poll). Calling it again does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  /** Signed out, or going away: no socket, no timers. */
  stop(): void {
    this.started = false;
    this.pendingMessages.clear();
    clearTimeout(this.floodTimer);
    this.floodTimer = undefined;
    this.hadLive = false;
    this.closeSocket();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.pollTimer);
    clearTimeout(this.pauseTimer);
    this.backoff.reset();
    this.setMode('off');
  }

  /** Settings, address or token changed. */
  restart(): void {
    this.stop();
    this.start();
  }

  /** The window gained or lost focus. */
  onFocusChanged(focused: boolean): void {
    if (!this.started) return;
    clearTimeout(this.pauseTimer);
    if (!focused) {
      this.pauseTimer = setTimeout(() => {
        if (this.deps.focused() || !this.socket) return;
        this.deps.log.info('Window unfocused for a while: live updates paused until it is focused again.');
        this.closeSocket();
        clearTimeout(this.reconnectTimer);
        this.setMode('paused');
      }, UNFOCUSED_CLOSE_MS);
      return;
    }
    if (this.modeValue === 'paused') void this.connect();
    else if (this.pollDue) void this.poll();
  }

  dispose(): void {
    this.stop();
    this.coalescer.dispose();
    this.modeChanged.dispose();
  }

  // ---- the socket ---------------------------------------------------------------------------

  private async connect(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    if (!this.started) return;
    this.closeSocket();
    const settings = this.deps.settings();
    if (!settings.liveUpdates) {
      this.setMode('polling');
      this.schedulePoll();
      return;
    }
    const token = this.deps.token();
    if (!token) {
      this.setMode('off');
      return;
    }
    this.setMode('connecting');
    let info: ServerInfo;
    let infoFrom: string;
    try {
      ({ info, baseUrl: infoFrom } = await this.deps.info());
    } catch {
      // Offline: the status bar says so, and the socket is tried again with back-off.
      if (!this.started) return;
      this.setMode('offline');
      this.scheduleReconnect(this.backoff.next());
      return;
    }
    if (!this.started) return;
    const target = socketUrl(info.endpoints?.ws_events, infoFrom);
    // The address may have changed while /v1/info was read (its approval still open): the token
    // goes only to an address approved now, else the connection starts over from the new one.
    if (target.ok && !this.deps.mayConnect(infoFrom)) {
      this.deps.log.info('The Beeper Desktop address changed while connecting; connecting again.');
      this.setMode('offline');
      this.scheduleReconnect(this.backoff.next());
      return;
    }
    if (!target.ok) {
      this.deps.log.warn(`Live updates use polling: ${target.reason}.`);
      this.setMode('polling');
      this.schedulePoll();
      return;
    }
    this.stats.connects++;
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(target.url, { Authorization: `Bearer ${token}` });
    } catch (e) {
      this.deps.log.warn(`Could not open the live-updates socket: ${e instanceof Error ? e.message : String(e)}`);
      this.fallBackToPolling();
      return;
    }
    this.socket = socket;
    let opened = false;
    let gone = false;
    const onGone = (code?: number) => {
      if (gone) return;
      gone = true;
      this.onSocketGone(socket, opened, code);
    };
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (ev) => this.takeFrame(socket, ev.data);
    socket.onclose = (ev) => onGone(ev.code);
    socket.onerror = () => onGone();
  }

  /** A frame is handled now while this turn's budget lasts, else at a later turn, in order. */
  private takeFrame(socket: SocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    if (this.waitingFrames.length === 0 && this.startTurn()) return this.handleFrame(socket, data);
    const bytes = frameBytes(data);
    if (this.waitingFrames.length >= MAX_WAITING_FRAMES || this.waitingBytes + bytes > MAX_WAITING_BYTES) {
      // Far behind (a hostile server, a huge sync): the waiting frames go, the lists are read once.
      const dropped = this.waitingFrames.length + 1;
      this.stats.dropped += dropped;
      this.floodEvents += dropped;
      this.waitingFrames = [];
      this.waitingBytes = 0;
      if (this.floodTimer === undefined) this.deps.log.warn(`Too many socket frames waiting (${dropped}): they were dropped, and the lists are read again once it is quiet.`);
      this.startFlood();
      return;
    }
    this.waitingFrames.push({ socket, data });
    this.waitingBytes += bytes;
  }

  /**
   * True while this turn may still handle frames. The first frame of a turn starts its clock, and
   * the next turn (a real one: see nextTurn.ts) handles the frames that had to wait.
   */
  private startTurn(): boolean {
    const now = performance.now();
    if (this.turnStarted === undefined) {
      this.turnStarted = now;
      onNextTurn(() => this.nextTurn());
      return true;
    }
    return now - this.turnStarted < FRAME_BUDGET_MS;
  }

  private nextTurn(): void {
    this.turnStarted = undefined;
    const frames = this.waitingFrames;
    let handled = 0;
    while (handled < frames.length && this.waitingFrames === frames && this.startTurn()) {
      const { socket, data } = frames[handled++]!;
      this.waitingBytes -= frameBytes(data);
      this.handleFrame(socket, data);
    }
    // One splice per turn (shift() per frame would copy the array each time); a closed socket
    // has already let go of its frames.
    if (this.waitingFrames === frames) frames.splice(0, handled);
  }

  /** One frame; a listener that throws costs that frame only (logged), never the ones after it. */
  private handleFrame(socket: SocketLike, data: unknown): void {
    try {
      this.onFrame(socket, data);
    } catch (e) {
      this.warn(`A socket frame could not be handled: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private onFrame(socket: SocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    const frame = parseFrame(typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : data);
    switch (frame.kind) {
      case 'ready':
        try {
          socket.send(subscribeAllFrame(`vscode-${++this.requestCounter}`));
        } catch {
          // Closing already: onclose reconnects.
        }
        return;
      case 'subscriptionsUpdated': {
        const reconnected = this.hadLive;
        this.hadLive = true;
        this.backoff.reset();
        this.setMode('live');
        this.schedulePoll();
        // Delivery is at most once with no replay: what happened while away is read again.
        if (reconnected) void this.resync();
        return;
      }
      case 'error': {
        const token = this.deps.token();
        this.warn(`Beeper Desktop's socket reported ${redact(frame.code, token).slice(0, 40)}: ${redact(frame.message, token).slice(0, 200)}`);
        return;
      }
      case 'event':
        this.onEvent(frame);
        return;
      case 'unknown':
        this.stats.unknown++;
        this.deps.log.trace(`Ignored a socket frame of type ${frame.type}`);
        return;
      case 'malformed':
        this.stats.malformed++;
        this.warn(`Skipped a malformed socket frame (${frame.reason}).`);
        return;
    }
  }

  /** A chat needs reading again: one coalesced read, unless a flood is on (then the lists are read once). */
  private touch(chatID: string): void {
    if (this.floodTimer !== undefined) {
      this.floodEvents++;
      clearTimeout(this.floodTimer);
      this.floodTimer = setTimeout(() => void this.endFlood(), FLOOD_QUIET_MS);
      return;
    }
    this.coalescer.push(chatID);
    if (this.coalescer.waiting <= FLOOD_CHATS) return;
    // Too many chats at once (a sync, a hostile server): their reads and notifications are dropped.
    this.startFlood();
  }

  /** A flood begins: waiting reads and notifications are dropped; the lists are read once it is quiet. */
  private startFlood(): void {
    if (this.floodTimer === undefined) this.stats.floods++;
    this.floodEvents += this.coalescer.dropWaiting();
    this.pendingMessages.clear();
    clearTimeout(this.floodTimer);
    this.floodTimer = setTimeout(() => void this.endFlood(), FLOOD_QUIET_MS);
  }

  private async endFlood(): Promise<void> {
    this.floodTimer = undefined;
    const events = this.floodEvents;
    this.floodEvents = 0;
    if (!this.started) return;
    this.deps.log.info(`A flood of events about more than ${FLOOD_CHATS} chats (${events} dropped): the lists are read again once instead.`);
    await this.resync();
  }

  /** A warning for the log, at most WARNINGS_PER_MINUTE a minute; the rest are counted in one line. */
  private warn(message: string): void {
    const now = Date.now();
    if (now - this.warnings.windowStart > 60_000) {
      if (this.warnings.quiet) this.deps.log.warn(`… and ${this.warnings.quiet} more warnings like these in the last minute.`);
      this.warnings = { windowStart: now, count: 0, quiet: 0 };
    }
    if (++this.warnings.count <= WARNINGS_PER_MINUTE) this.deps.log.warn(message);
    else this.warnings.quiet++;
  }

  private onEvent(event: DomainEvent): void {
    this.stats.events++;
    switch (event.type) {
      case 'chat.deleted':
        this.deps.model.deleteChat(event.chatID);
        return;
      case 'chat.upserted':
        this.touch(event.chatID);
        return;
      case 'message.upserted':
        this.deps.model.messageEvent(event.chatID, 'upserted', event.ids, event.messages);
        if (event.messages.length && this.floodTimer === undefined) {
          const queued = this.pendingMessages.get(event.chatID) ?? [];
          queued.push(...event.messages);
          if (queued.length > MAX_PENDING_MESSAGES) queued.splice(0, queued.length - MAX_PENDING_MESSAGES);
          this.pendingMessages.set(event.chatID, queued);
        }
        this.touch(event.chatID);
        return;
      case 'message.deleted':
        this.deps.model.messageEvent(event.chatID, 'deleted', event.ids, []);
        this.touch(event.chatID);
        return;
    }
  }

  private onSocketGone(socket: SocketLike, opened: boolean, code?: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (!this.started || this.modeValue === 'paused') return;
    if (!opened) {
      // The upgrade was refused (404: no socket on this Desktop; 401; a proxy): poll instead.
      this.deps.log.info(`Live updates are not available here (the socket did not open${code ? `, code ${code}` : ''}); polling instead.`);
      this.fallBackToPolling();
      return;
    }
    this.deps.log.info(`The live-updates socket closed${code ? ` (code ${code})` : ''}; reconnecting.`);
    this.setMode('offline');
    this.schedulePoll();
    this.scheduleReconnect(this.backoff.next());
  }

  private fallBackToPolling(): void {
    this.setMode('polling');
    this.schedulePoll();
    this.scheduleReconnect(REFUSED_RETRY_MS);
  }

  private scheduleReconnect(ms: number): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectAt = Date.now() + ms;
    this.reconnectTimer = setTimeout(() => void this.connect(), ms);
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.waitingFrames = [];
    this.waitingBytes = 0;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(1000, 'bye');
    } catch {
      // already closed
    }
  }

  // ---- polling and re-reading ---------------------------------------------------------------

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    if (!this.started) return;
    const seconds = this.deps.settings().pollSeconds;
    if (!(seconds > 0)) return;
    const ms = this.modeValue === 'live' ? Math.max(SAFETY_POLL_MS, seconds * 1000) : seconds * 1000;
    this.pollTimer = setTimeout(() => void this.poll(), ms);
  }

  /** Re-reads what is on screen; skipped (and done on focus) while the window is unfocused. */
  async poll(): Promise<void> {
    if (!this.started) return;
    if (!this.deps.focused()) {
      this.pollDue = true;
      return;
    }
    this.pollDue = false;
    this.stats.polls++;
    try {
      await this.deps.loader.refreshVisible({ accounts: false });
      this.deps.onResync?.();
    } catch (e) {
      this.deps.log.trace(`Poll failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.schedulePoll();
    }
  }

  private async resync(): Promise<void> {
    this.stats.resyncs++;
    try {
      await this.deps.loader.refreshVisible();
    } catch (e) {
      this.deps.log.warn(`Could not catch up after reconnecting: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.deps.onResync?.();
  }

  private setMode(mode: LiveMode): void {
    if (mode === this.modeValue) return;
    this.modeValue = mode;
    this.modeChanged.fire(mode);
  }
}
