// The triage verbs: what each one sends (one API call), how the chat looks once it is done (shown
// at once, then confirmed by the server's answer and its socket event), which verb undoes it, and
// when a chat does not allow it. A failure puts the chat back as it was. The same verb on the same
// chat twice at once is sent once. No vscode import: unit-tested.
import type { BeeperClient } from '../api/client';
import type { Chat, ChatReminder } from '../api/types';
import { reminderDue } from './inbox';
import type { BeeperModel } from './model';

export type TriageVerb =
  | 'archive'
  | 'unarchive'
  | 'pin'
  | 'unpin'
  | 'mute'
  | 'unmute'
  | 'markUnread'
  | 'markRead'
  | 'lowPriority'
  | 'primary'
  | 'remind'
  | 'clearReminder'
  | 'rename'
  | 'disappearing';

export const TRIAGE_VERBS: readonly TriageVerb[] = ['archive', 'unarchive', 'pin', 'unpin', 'mute', 'unmute', 'markUnread', 'markRead', 'lowPriority', 'primary', 'remind', 'clearReminder', 'rename', 'disappearing'];

/**
 * A chat row's context value: the menus show each verb where it applies ("chat" first, then
 * one word per state). The same words on the Inbox, the tree and the chat panel's title bar.
 */
export function triageContext(chat: Chat): string {
  const words = [
    'chat',
    chat.isArchived ? 'archived' : 'unarchived',
    chat.isPinned ? 'pinned' : 'unpinned',
    chat.isMuted ? 'muted' : 'unmuted',
    chat.isLowPriority ? 'lowPriority' : 'primary',
    chat.isMarkedUnread || chat.unreadCount > 0 ? 'unread' : 'read',
    chat.reminder ? 'reminder' : 'noReminder',
  ];
  if (notAllowed('archive', chat) === 'notSupported') words.push('noArchive');
  if (notAllowed('markUnread', chat) === 'notSupported') words.push('noMarkUnread');
  if (!notAllowed('rename', chat)) words.push('renamable');
  if (!notAllowed('disappearing', chat)) words.push('disappearing');
  return words.join(' ');
}

/** What some verbs need beyond the chat. */
export interface TriageArgs {
  reminder?: ChatReminder;
  title?: string;
  /** Seconds; null turns disappearing messages off. */
  expirySeconds?: number | null;
}

/** The verb that puts a chat back after this one (Undo), where there is one. */
export const UNDO_OF: Partial<Record<TriageVerb, TriageVerb>> = {
  archive: 'unarchive',
  unarchive: 'archive',
  mute: 'unmute',
  unmute: 'mute',
  lowPriority: 'primary',
  primary: 'lowPriority',
  pin: 'unpin',
  unpin: 'pin',
};

/** Why a verb does not apply to a chat (a reason key the view words), or undefined when it does. */
export type NotAllowed = 'already' | 'notSupported' | 'direct' | 'readOnly';

export function notAllowed(verb: TriageVerb, chat: Chat): NotAllowed | undefined {
  const caps = chat.capabilities;
  switch (verb) {
    case 'archive':
      if (caps?.archive === false) return 'notSupported';
      return chat.isArchived ? 'already' : undefined;
    case 'unarchive':
      return chat.isArchived ? undefined : 'already';
    case 'pin':
      return chat.isPinned ? 'already' : undefined;
    case 'unpin':
      return chat.isPinned ? undefined : 'already';
    case 'mute':
      return chat.isMuted ? 'already' : undefined;
    case 'unmute':
      return chat.isMuted ? undefined : 'already';
    case 'markUnread':
      if (caps?.markAsUnread === false) return 'notSupported';
      return chat.isMarkedUnread || chat.unreadCount > 0 ? 'already' : undefined;
    case 'markRead':
      return chat.isMarkedUnread || chat.unreadCount > 0 ? undefined : 'already';
    case 'lowPriority':
      return chat.isLowPriority ? 'already' : undefined;
    case 'primary':
      return chat.isLowPriority ? undefined : 'already';
    case 'remind':
      return undefined;
    case 'clearReminder':
      return chat.reminder ? undefined : 'already';
    case 'rename':
      if (chat.type !== 'group') return 'direct';
      if (chat.isReadOnly) return 'readOnly';
      return caps?.state?.title && caps.state.title.level <= 0 ? 'notSupported' : undefined;
    case 'disappearing':
      if (chat.isReadOnly) return 'readOnly';
      return (caps?.state?.disappearingTimer?.level ?? 0) > 0 || (caps?.disappearingTimer?.timers?.length ?? 0) > 0 ? undefined : 'notSupported';
  }
}

/** The chat as it will be once the verb is done (shown before the server answers). */
export function applyVerb(chat: Chat, verb: TriageVerb, args: TriageArgs = {}): Chat {
  switch (verb) {
    case 'archive':
      return { ...chat, isArchived: true };
    case 'unarchive':
      return { ...chat, isArchived: false };
    case 'pin':
      return { ...chat, isPinned: true };
    case 'unpin':
      return { ...chat, isPinned: false };
    case 'mute':
      return { ...chat, isMuted: true };
    case 'unmute':
      return { ...chat, isMuted: false };
    case 'markUnread':
      return { ...chat, isMarkedUnread: true };
    case 'markRead':
      return { ...chat, isMarkedUnread: false, unreadCount: 0, unreadMentionsCount: 0 };
    case 'lowPriority':
      return { ...chat, isLowPriority: true };
    case 'primary':
      return { ...chat, isLowPriority: false };
    case 'remind':
      return { ...chat, reminder: args.reminder ?? null };
    case 'clearReminder':
      return { ...chat, reminder: null };
    case 'rename':
      return { ...chat, title: args.title ?? chat.title };
    case 'disappearing':
      return { ...chat, messageExpirySeconds: args.expirySeconds ?? null };
  }
}

/** The one API call of a verb; answers with the chat when the route does (PATCH, read, unread). */
export async function sendVerb(client: BeeperClient, chatID: string, verb: TriageVerb, args: TriageArgs = {}): Promise<Chat | undefined> {
  switch (verb) {
    case 'archive':
    case 'unarchive':
      await client.archiveChat(chatID, verb === 'archive');
      return undefined;
    case 'pin':
    case 'unpin':
      return client.patchChat(chatID, { isPinned: verb === 'pin' });
    case 'mute':
    case 'unmute':
      return client.patchChat(chatID, { isMuted: verb === 'mute' });
    case 'lowPriority':
    case 'primary':
      return client.patchChat(chatID, { isLowPriority: verb === 'lowPriority' });
    case 'markUnread':
      return client.markChatUnread(chatID);
    case 'markRead':
      return client.markChatRead(chatID);
    case 'remind':
      if (!args.reminder) throw new Error('A reminder needs a time.');
      await client.setChatReminder(chatID, args.reminder);
      return undefined;
    case 'clearReminder':
      await client.clearChatReminder(chatID);
      return undefined;
    case 'rename':
      return client.patchChat(chatID, { title: args.title ?? null });
    case 'disappearing':
      return client.patchChat(chatID, { messageExpirySeconds: args.expirySeconds ?? null });
  }
}

export interface TriageResult {
  ok: boolean;
  /** Nothing was sent: the same verb on this chat is on its way already. */
  duplicate?: boolean;
  error?: unknown;
  /** The chat before the verb (what Undo goes back to). */
  before?: Chat;
}

export class Triage {
  private readonly inFlight = new Set<string>();
  /** Verbs sent (benchmarks and tests read it). */
  sent = 0;

  constructor(
    private readonly model: BeeperModel,
    private readonly client: () => Promise<BeeperClient>,
  ) {}

  /**
   * Applies a verb: the chat changes in the model at once, the call goes out, the server's answer
   * (or its socket event) confirms it. On failure the chat is put back and the error returned.
   */
  async run(chat: Chat, verb: TriageVerb, args: TriageArgs = {}): Promise<TriageResult> {
    const key = `${chat.id}\u0000${verb}`;
    if (this.inFlight.has(key)) return { ok: false, duplicate: true };
    this.inFlight.add(key);
    const before = this.model.chat(chat.id) ?? chat;
    const applied = applyVerb(before, verb, args);
    // Until the server has it and a read from after says so, a read on its way cannot undo it.
    const edit = this.model.beginEdit(chat.id, fieldsOf(applied, verb));
    this.model.upsertChat(applied, 'local');
    try {
      this.sent++;
      const answer = await sendVerb(await this.client(), chat.id, verb, args);
      this.model.settleEdit(edit, true);
      // The answer is the server's word; a 204 leaves the shown state until the socket's event.
      if (answer) this.model.upsertChat(answer);
      return { ok: true, before };
    } catch (error) {
      this.model.settleEdit(edit, false);
      // Put back only what this verb changed: a newer event may have changed the rest.
      const now = this.model.chat(chat.id);
      if (now) this.model.upsertChat(restore(now, before, verb), 'local');
      return { ok: false, error, before };
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Opening a chat whose reminder came due dismisses the reminder (as Beeper does). */
  async dismissDueReminder(chatID: string, now = Date.now()): Promise<boolean> {
    const chat = this.model.chat(chatID);
    if (!chat || !reminderDue(chat, now)) return false;
    const result = await this.run(chat, 'clearReminder');
    return result.ok;
  }
}

/** The fields each verb changes (what a failure puts back). */
const FIELDS: Record<TriageVerb, readonly (keyof Chat)[]> = {
  archive: ['isArchived'],
  unarchive: ['isArchived'],
  pin: ['isPinned'],
  unpin: ['isPinned'],
  mute: ['isMuted'],
  unmute: ['isMuted'],
  markUnread: ['isMarkedUnread'],
  markRead: ['isMarkedUnread', 'unreadCount', 'unreadMentionsCount'],
  lowPriority: ['isLowPriority'],
  primary: ['isLowPriority'],
  remind: ['reminder'],
  clearReminder: ['reminder'],
  rename: ['title'],
  disappearing: ['messageExpirySeconds'],
};

/** The fields one verb sets, as it set them on `chat`. */
export function fieldsOf(chat: Chat, verb: TriageVerb): Partial<Chat> {
  const from = chat as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[verb]) out[f] = from[f];
  return out;
}

/** The chat as now, with the fields one verb touches put back as they were before it. */
export function restore(now: Chat, before: Chat, verb: TriageVerb): Chat {
  return { ...now, ...fieldsOf(before, verb) };
}
