// The chat panel's header and details: the chat as the model has it, the participants the panel
// read (100 first, 200 more per "Show more"), and their avatars by key. It posts `state`,
// `participants` and `images` messages; the page draws them.
import * as vscode from 'vscode';
import type { Chat, Participant } from '../api/types';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import type { ChatImages } from './chatImages';
import { chatStateUpdate, participantView } from './chatDetailsHtml';
import { mapLimit } from './localMedia';
import type { ChatPageUpdate } from './protocol';

const FIRST_PARTICIPANTS = 100;
const MORE_PARTICIPANTS = 200;
/** The most the API returns for a limited request; past it the full list (-1) is fetched once. */
const MAX_PARTICIPANT_REQUEST = 500;

export interface ChatDetailsDeps {
  readonly chatID: string;
  model: BeeperModel;
  loader: ModelLoader;
  images: ChatImages;
  accountLabel(accountID: string): string | undefined;
  post(update: ChatPageUpdate): void;
  setTitle(title: string): void;
}

export class ChatDetails {
  /** The chat as last shown, with the participants the panel read. */
  chat: Chat | undefined;
  private participants: Participant[] = [];
  private shown = FIRST_PARTICIPANTS;
  /** Avatar keys of the shown participants, by participant ID (messages use them too). */
  avatars = new Map<string, string>();

  constructor(private readonly d: ChatDetailsDeps) {}

  /** Reads the chat through the loader (into the model) with as many participants as are shown. */
  async read(signal: AbortSignal): Promise<Chat> {
    const wanted = this.shown > MAX_PARTICIPANT_REQUEST ? -1 : this.shown;
    const chat = await this.d.loader.readChat(this.d.chatID, wanted, signal);
    if (!signal.aborted) {
      this.participants = chat.participants.items;
      this.chat = chat;
    }
    return chat;
  }

  /** The chat's state as the model has it now. */
  async postChat(): Promise<void> {
    const chat = this.d.model.chat(this.d.chatID) ?? this.chat;
    if (!chat) return;
    // The model's copy may list fewer participants (a list page): the panel keeps its own.
    this.chat = { ...chat, participants: this.chat?.participants ?? chat.participants };
    this.d.setTitle(chat.title.slice(0, 80) || vscode.l10n.t('Chat'));
    const avatar = await this.d.images.keyFor(chat.imgURL);
    this.postImages();
    this.d.post(chatStateUpdate(chat, { accountLabel: this.d.accountLabel(chat.accountID), avatar, now: Date.now(), t: (m, ...a) => vscode.l10n.t(m, ...a) }));
  }

  async postParticipants(loading = false): Promise<void> {
    const chat = this.chat;
    if (!chat) return;
    const t = vscode.l10n.t;
    const shown = this.participants.slice(0, this.shown);
    const keys = await mapLimit(shown, 8, (p) => this.d.images.keyFor(p.imgURL));
    this.avatars = new Map(shown.flatMap((p, i) => (keys[i] ? [[p.id, keys[i]] as [string, string]] : [])));
    this.postImages();
    const total = chat.participants.total;
    const hasMore = chat.participants.hasMore || this.participants.length > shown.length;
    this.d.post({
      type: 'participants',
      items: shown.map((p) => participantView(p, this.avatars.get(p.id), t)),
      count: hasMore ? t('{0} of {1}', shown.length, total) : String(total || shown.length),
      more: hasMore ? t('Show {0} more', Math.min(MORE_PARTICIPANTS, Math.max(0, total - shown.length))) : undefined,
      loading,
    });
  }

  /** "Show more": more of what was read, or true when a larger read is needed first. */
  async showMore(): Promise<boolean> {
    if (!this.chat) return false;
    this.shown += MORE_PARTICIPANTS;
    if (this.participants.length >= Math.min(this.shown, this.chat.participants.total) || !this.chat.participants.hasMore) {
      await this.postParticipants();
      return false;
    }
    await this.postParticipants(true);
    return true;
  }

  /** Images not posted yet; all of them for a page that starts over. */
  postImages(all = false): void {
    for (const images of all ? this.d.images.all() : this.d.images.takeUnsent()) this.d.post({ type: 'images', images });
  }

  /** Who "me" is in this chat: participants marked self, and the account's own user. */
  selfIDs(): Set<string> {
    const ids = new Set(this.participants.filter((p) => p.isSelf).map((p) => p.id));
    const account = this.account();
    if (account?.user?.id) ids.add(account.user.id);
    return ids;
  }

  names(): Map<string, string> {
    return new Map(this.participants.map((p) => [p.id, p.fullName || p.username || p.id]));
  }

  account() {
    const chat = this.chat;
    return chat ? this.d.model.accounts.find((a) => a.accountID === chat.accountID) : undefined;
  }
}
