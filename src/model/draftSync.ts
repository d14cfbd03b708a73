// Drafts that follow the user: Beeper keeps one draft per chat across devices (`chat.draft`,
// set with PATCH `draft`; a non-empty draft is accepted only when the current one is empty, so it
// is cleared with null first). The composer's text is kept here locally (it works offline) and
// written to Beeper when the composer is left; when a chat opens, the two are reconciled. No
// vscode import: unit-tested.
import type { BeeperClient } from '../api/client';
import { BeeperApiError } from '../api/errors';
import type { BeeperModel } from './model';

/** The local copy of a chat's draft. */
export interface LocalDraft {
  text: string;
  /** When it was typed (epoch ms). */
  at: number;
  /** Beeper's draft (as text) when the two last agreed; undefined when they never did. */
  synced?: string;
}

/** Where local drafts are kept (a Memento in the extension). */
export interface DraftStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export function draftKey(chatID: string): string {
  return `beeper.draft:${chatID}`;
}

/** A stored draft; older versions kept a bare string. */
export function readLocalDraft(value: unknown): LocalDraft | undefined {
  if (typeof value === 'string') return value ? { text: value, at: 0 } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.text !== 'string') return undefined;
  return { text: v.text, at: typeof v.at === 'number' ? v.at : 0, synced: typeof v.synced === 'string' ? v.synced : undefined };
}

/** What the composer shows when a chat opens, and what is kept as the one undo step. */
export interface Reconciled {
  text: string;
  /** The draft that lost, when the two disagreed (Undo in the composer brings it back). */
  undo?: string;
  /** The local draft is newer: Beeper gets it. */
  push: boolean;
}

/**
 * Local and Beeper's drafts, reconciled: the one that changed since they last agreed wins. Both
 * changed (typed here offline, and on the phone): the local one wins, as the later of the two in
 * this editor's view (Beeper's drafts carry no time), and Beeper's is kept as the undo step.
 */
export function reconcileDraft(local: LocalDraft | undefined, server: string): Reconciled {
  const mine = local?.text ?? '';
  if (norm(mine) === norm(server)) return { text: server || mine, push: false };
  const base = local?.synced;
  const localChanged = base === undefined ? mine !== '' : norm(mine) !== norm(base);
  const serverChanged = base === undefined ? server !== '' : norm(server) !== norm(base);
  if (serverChanged && !localChanged) return { text: server, undo: mine || undefined, push: false };
  return { text: mine, undo: server || undefined, push: true };
}

function norm(text: string): string {
  return text.replace(/\r\n/g, '\n').trim();
}

/**
 * Writes drafts to Beeper. Each chat has at most one write on its way; a newer text waits for it
 * and goes next. A write that fails (offline) stays pending and goes when `flush` is called.
 */
export class DraftSync {
  private readonly pending = new Map<string, string>();
  private readonly writing = new Map<string, Promise<void>>();
  /** Draft writes sent (tests read it). */
  writes = 0;

  constructor(
    private readonly model: BeeperModel,
    private readonly client: () => Promise<BeeperClient>,
    private readonly store: DraftStore,
    private readonly htmlToText: (html: string) => string,
    private readonly log: { warn(message: string): void },
  ) {}

  local(chatID: string): LocalDraft | undefined {
    return readLocalDraft(this.store.get(draftKey(chatID)));
  }

  /** Beeper's draft of a chat as text ('' for none), as the model has it. */
  server(chatID: string): string {
    const html = this.model.chat(chatID)?.draft?.text;
    return html ? this.htmlToText(html) : '';
  }

  /** The composer's text changed: kept locally at once (the write to Beeper comes with `push`). */
  async typed(chatID: string, text: string, now = Date.now()): Promise<void> {
    const old = this.local(chatID);
    await this.store.update(draftKey(chatID), text || old?.synced ? { text, at: now, synced: old?.synced } : undefined);
  }

  /** The local draft goes to Beeper (the composer was left, or it sent). Resolves when written or failed. */
  push(chatID: string): Promise<void> {
    const text = this.local(chatID)?.text ?? '';
    this.pending.set(chatID, text);
    const running = this.writing.get(chatID);
    if (running) return running.then(() => (this.pending.has(chatID) ? this.push(chatID) : undefined));
    const write = this.write(chatID).finally(() => this.writing.delete(chatID));
    this.writing.set(chatID, write);
    return write;
  }

  /** Every draft that could not be written (offline) is tried again. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.push(id)));
  }

  /** Beeper's draft and the local one agree now (after a chat opened and the winner was chosen). */
  async agreed(chatID: string, text: string, now = Date.now()): Promise<void> {
    await this.store.update(draftKey(chatID), text ? { text, at: now, synced: text } : undefined);
  }

  private async write(chatID: string): Promise<void> {
    const text = this.pending.get(chatID) ?? '';
    if (norm(this.server(chatID)) === norm(text) && this.model.chat(chatID)) {
      this.pending.delete(chatID);
      await this.markSynced(chatID, text);
      return;
    }
    try {
      const client = await this.client();
      let chat;
      if (!text.trim()) {
        this.writes++;
        chat = await client.patchChat(chatID, { draft: null });
      } else {
        // The empty-first rule: a draft replaces only an empty one.
        if (this.server(chatID)) {
          this.writes++;
          await client.patchChat(chatID, { draft: null });
        }
        try {
          this.writes++;
          chat = await client.patchChat(chatID, { draft: { text } });
        } catch (e) {
          if (!(e instanceof BeeperApiError && e.status === 409)) throw e;
          // Another device set a draft since the model last heard: clear, then set.
          this.writes += 2;
          await client.patchChat(chatID, { draft: null });
          chat = await client.patchChat(chatID, { draft: { text } });
        }
      }
      this.model.upsertChat(chat);
      if (this.pending.get(chatID) === text) this.pending.delete(chatID);
      await this.markSynced(chatID, text);
    } catch (e) {
      this.log.warn(`The draft of a chat could not be written to Beeper (kept here, tried again later): ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  private async markSynced(chatID: string, text: string): Promise<void> {
    const local = this.local(chatID);
    if (local && norm(local.text) !== norm(text)) return;
    await this.store.update(draftKey(chatID), text ? { text, at: local?.at ?? Date.now(), synced: text } : undefined);
  }
}
