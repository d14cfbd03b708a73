// One chat's outgoing messages, from the composer's Enter until the server's own message replaces
// them. Each send gets a local ID at once (the page shows it as "Sending…"), then the pending ID
// the server answers with; it is resolved by a socket event, or by looking the pending ID up every
// second when no event comes. A failure without a clear answer (timeout, dropped connection, 5xx)
// is "unclear": the message may have arrived, so Retry first looks for it and sends again only
// when it is not there. Nothing is ever sent twice by the outbox itself (POSTs are not retried).
// Pure: no vscode, no timers of its own (the clock is injected), unit-tested with a fake clock
// and a fake client.
import { BeeperApiError, describeError } from '../api/errors';
import type { Message, Page, SendMessageParams } from '../api/types';
import { MAX_MESSAGE_CHARS } from '../text/format';


/** What the outbox needs of the client. */
export interface OutboxClient {
  sendMessage(chatID: string, params: SendMessageParams): Promise<{ pendingMessageID: string }>;
  getMessage(chatID: string, messageID: string): Promise<Message>;
  listMessages(chatID: string, params?: { cursor?: string; direction?: 'before' | 'after' }): Promise<Page<Message>>;
}

export interface OutboxClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: OutboxClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A send the server has not confirmed yet. */
export interface OutgoingSend {
  readonly localID: string;
  readonly text: string;
  readonly replyTo?: string;
  /** Where it sorts among the local entries: the order the user sent in. */
  readonly order: number;
  pendingID?: string;
  startedAt: number;
  /** The last attempt failed without a clear answer. */
  unclear?: boolean;
  /** Why the last attempt failed (server text: callers pass it through the untrusted-text helper). */
  error?: string;
  busy?: boolean;
}

/** Why a text cannot be sent, before anything is sent. */
export type OutgoingProblem = { kind: 'empty' } | { kind: 'tooLong'; length: number; max: number } | { kind: 'readOnly' };

/** The one check of a text about to be sent (composer, notification Reply, the send tool). */
export function checkOutgoing(text: string, options: { readOnly?: boolean; max?: number } = {}): OutgoingProblem | undefined {
  const max = options.max ?? MAX_MESSAGE_CHARS;
  if (options.readOnly) return { kind: 'readOnly' };
  if (!text.trim()) return { kind: 'empty' };
  if (text.length > max) return { kind: 'tooLong', length: text.length, max };
  return undefined;
}

/** Failures after which the message may have been sent after all. */
export function isUnclearFailure(e: unknown): boolean {
  const err = e instanceof BeeperApiError ? e : undefined;
  return !err || ['timeout', 'connectionClosed', 'server', 'unreachable', 'badResponse'].includes(err.kind);
}

export function isPending(m: Message): boolean {
  return m.sendStatus?.status === 'PENDING';
}

export interface OutboxEvents {
  /** An entry changed (sending, failed, sent with a pending ID): the view redraws its local entry. */
  changed(o: OutgoingSend): void;
  /** The server's message for a send was found by looking it up (no socket event came). */
  resolved(o: OutgoingSend, message: Message): void;
  /** An earlier attempt did arrive (found by Retry's check): it replaces the local entry. */
  arrived(o: OutgoingSend, message: Message): void;
}

export interface OutboxOptions {
  chatID: string;
  client(): Promise<OutboxClient>;
  /** Message HTML as plain text (to recognise a sent text in the chat). */
  toText(html: string): string;
  clock?: OutboxClock;
  /** Look a pending ID up this often, and stop after this long. */
  pollMs?: number;
  giveUpMs?: number;
  /** Something failed quietly (a lookup): the caller logs it. */
  debug?(message: string): void;
}

export class Outbox {
  private readonly sends = new Map<string, OutgoingSend>();
  private counter = 0;
  private disposed = false;
  private readonly clock: OutboxClock;
  /** POSTs made (tests and benchmarks). */
  posts = 0;

  constructor(
    private readonly options: OutboxOptions,
    private readonly events: OutboxEvents,
  ) {
    this.clock = options.clock ?? realClock;
  }

  /** Sends in flight or failed, oldest first. */
  entries(): OutgoingSend[] {
    return [...this.sends.values()];
  }

  /** The send a local or pending ID belongs to. */
  find(id: string): OutgoingSend | undefined {
    for (const o of this.sends.values()) if (o.pendingID === id || o.localID === id) return o;
    return undefined;
  }

  /** A new send, not yet attempted: the view shows it at once. */
  create(text: string, replyTo?: string): OutgoingSend {
    const order = ++this.counter;
    const o: OutgoingSend = { localID: `local:${this.clock.now()}:${order}`, text, replyTo, order, startedAt: this.clock.now() };
    this.sends.set(o.localID, o);
    return o;
  }

  /** One POST. A clear failure is kept with its reason; an unclear one is marked for Retry's check. */
  async attempt(o: OutgoingSend, params?: SendMessageParams): Promise<void> {
    o.busy = true;
    o.error = undefined;
    o.startedAt = this.clock.now();
    this.events.changed(o);
    try {
      const client = await this.options.client();
      this.posts++;
      const result = await client.sendMessage(this.options.chatID, params ?? { text: o.text, ...(o.replyTo ? { replyToMessageID: o.replyTo } : {}) });
      o.pendingID = result.pendingMessageID;
      o.unclear = false;
      this.events.changed(o);
      void this.watch(o);
    } catch (e) {
      o.unclear = isUnclearFailure(e);
      o.error = e instanceof BeeperApiError ? e.message : describeError(e);
      this.events.changed(o);
    } finally {
      o.busy = false;
    }
  }

  /** An attachment send (Send File): no local text entry, resolved like any send. */
  async sendAttachment(upload: { uploadID: string; fileName?: string; mimeType?: string }): Promise<string> {
    const o = this.create('');
    const client = await this.options.client();
    this.posts++;
    try {
      const result = await client.sendMessage(this.options.chatID, { attachment: upload });
      o.pendingID = result.pendingMessageID;
      void this.watch(o);
      return result.pendingMessageID;
    } catch (e) {
      this.sends.delete(o.localID);
      throw e;
    }
  }

  /**
   * Retry of a failed send. After an unclear failure it first looks whether the message arrived;
   * only when it did not is it sent again. Returns what happened.
   */
  async retry(id: string): Promise<'busy' | 'arrived' | 'sent' | 'failed' | 'unknown'> {
    const o = this.find(id);
    if (!o) return 'unknown';
    if (o.busy) return 'busy';
    if (o.unclear) {
      const found = await this.arrivedMessage(o);
      if (found) {
        this.sends.delete(o.localID);
        this.events.arrived(o, found);
        return 'arrived';
      }
    }
    await this.attempt(o);
    return o.error ? 'failed' : 'sent';
  }

  /**
   * The server's message for a send came (a socket event, a poll): the send is done unless the
   * message is still pending. Returns the send it resolved, if any.
   */
  settle(namedID: string, message: Message): OutgoingSend | undefined {
    const o = this.find(namedID) ?? this.find(message.id);
    if (o && !isPending(message)) this.sends.delete(o.localID);
    return o;
  }

  /** Whether an earlier attempt reached the chat after all: a message of mine with the same text, sent since. */
  private async arrivedMessage(o: OutgoingSend): Promise<Message | undefined> {
    try {
      const client = await this.options.client();
      const page = await client.listMessages(this.options.chatID, {});
      const want = o.text.trim();
      return page.items.find((m) => m.isSender && Date.parse(m.timestamp) >= o.startedAt - 5_000 && m.text !== undefined && this.options.toText(m.text).trim() === want);
    } catch (e) {
      // Not known: it is sent again (the user asked to retry).
      this.options.debug?.(`Retry could not check whether the message arrived: ${describeError(e)}`);
      return undefined;
    }
  }

  /** Without a socket event, the pending ID is looked up until the message is sent or failed. */
  private async watch(o: OutgoingSend): Promise<void> {
    const pollMs = this.options.pollMs ?? 1_000;
    const giveUp = this.options.giveUpMs ?? 60_000;
    const started = this.clock.now();
    await this.clock.sleep(pollMs * 1.5);
    while (!this.disposed && this.sends.has(o.localID) && o.pendingID && this.clock.now() - started < giveUp) {
      try {
        const client = await this.options.client();
        const m = await client.getMessage(this.options.chatID, o.pendingID);
        if (!this.sends.has(o.localID)) return;
        if (m.id !== o.pendingID || !isPending(m)) {
          this.sends.delete(o.localID);
          this.events.resolved(o, m);
          return;
        }
      } catch (e) {
        // Looked up again at the next tick.
        this.options.debug?.(`A sent message could not be looked up yet: ${describeError(e)}`);
      }
      await this.clock.sleep(pollMs);
    }
  }

  dispose(): void {
    this.disposed = true;
  }
}

/**
 * The local entry a send shows as until the server's message replaces it: escaped plain text,
 * sorted after every server message and in the order the user sent.
 */
export function localMessage(o: OutgoingSend, chat: { chatID: string; accountID: string; selfID?: string; selfName?: string }, escape: (text: string) => string): Message {
  return {
    id: o.localID,
    chatID: chat.chatID,
    accountID: chat.accountID,
    senderID: chat.selfID ?? 'self',
    senderName: chat.selfName,
    timestamp: new Date(o.startedAt).toISOString(),
    sortKey: `9${String(o.order).padStart(29, '0')}`,
    type: 'TEXT',
    text: escape(o.text),
    isSender: true,
    linkedMessageID: o.replyTo,
    sendStatus: o.error ? { status: 'FAIL_RETRIABLE', message: o.error } : { status: 'PENDING' },
  };
}
