// Triage and chat changes, as the official spec has them: PATCH a chat (pin, mute, low priority,
// archive, title, disappearing timer, the draft with its empty-first rule), archive, unread,
// reminders, and POST /v1/chats creating a group. Every change tells the sockets (`chat.upserted`).
import { makeChats, type SandboxChat } from '../data';
import { HttpError, notFound, type Router } from '../http';
import type { SandboxState } from '../state';
import { contactsOfAccount } from './accounts';

type Body = Record<string, unknown>;

function bodyOf(body: unknown): Body {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'VALIDATION_ERROR', 'The body must be a JSON object.');
  return body as Body;
}

function bool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new HttpError(400, 'VALIDATION_ERROR', `${key} must be a boolean.`);
  return v;
}

/** Plain text or Markdown becomes Matrix HTML, as Beeper Desktop converts drafts (enough of it: escaping and line breaks). */
function toHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}

export function triageRoutes(r: Router, s: SandboxState): void {
  const chatOf = (id: string) => s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);

  r.add('PATCH', '/v1/chats/{chatID}', (ctx, [id]) => {
    const chat = chatOf(id);
    const body = bodyOf(ctx.body);
    const patch: Partial<SandboxChat> = {};
    for (const key of ['isArchived', 'isLowPriority', 'isPinned', 'isMuted'] as const) {
      const v = bool(body, key);
      if (v !== undefined) patch[key] = v;
    }
    const caps = s.chatJson(chat, 0).capabilities;
    if ('title' in body) {
      if (body.title !== null && typeof body.title !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'title must be a string or null.');
      if ((caps?.state?.title?.level ?? 0) <= 0) throw new HttpError(422, 'NOT_SUPPORTED', 'This chat cannot be renamed on its network.');
      const title = typeof body.title === 'string' ? body.title.trim() : '';
      if (!title) throw new HttpError(400, 'VALIDATION_ERROR', 'A group needs a title.');
      if (title.length > 255) throw new HttpError(400, 'VALIDATION_ERROR', 'The title is longer than 255 characters.');
      patch.title = title;
    }
    if ('messageExpirySeconds' in body) {
      const v = body.messageExpirySeconds;
      if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) throw new HttpError(400, 'VALIDATION_ERROR', 'messageExpirySeconds must be a whole number of seconds, or null.');
      if ((caps?.state?.disappearingTimer?.level ?? 0) <= 0) throw new HttpError(422, 'NOT_SUPPORTED', 'This network has no disappearing messages.');
      const timers = caps?.disappearingTimer?.timers;
      if (typeof v === 'number' && v > 0 && timers && !timers.includes(v * 1000)) throw new HttpError(422, 'UNSUPPORTED_TIMER', 'This network does not offer that timer.');
      patch.messageExpirySeconds = v === 0 ? null : (v);
    }
    if ('draft' in body) {
      const draft = body.draft;
      if (draft === null) patch.draft = null;
      else {
        if (typeof draft !== 'object' || Array.isArray(draft) || typeof (draft as Body).text !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'draft must be null or { text }.');
        const text = (draft as { text: string }).text;
        // The spec's rule: a non-empty draft only replaces an empty one.
        if (text && chat.draft?.text) throw new HttpError(409, 'DRAFT_NOT_EMPTY', 'The chat already has a draft. Send draft=null to clear it first.');
        patch.draft = text ? { text: toHtml(text) } : null;
      }
    }
    s.updateChat(chat, patch);
    return s.chatJson(chat, 20);
  });

  r.add('POST', '/v1/chats/{chatID}/archive', (ctx, [id]) => {
    const chat = chatOf(id);
    const archived = bool(bodyOf(ctx.body), 'archived') ?? true;
    s.updateChat(chat, { isArchived: archived });
    ctx.res.statusCode = 204;
    return undefined;
  });

  r.add('POST', '/v1/chats/{chatID}/unread', (ctx, [id]) => {
    const chat = chatOf(id);
    const body = bodyOf(ctx.body);
    if (body.messageID !== undefined && typeof body.messageID !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'messageID must be a string.');
    s.updateChat(chat, { isMarkedUnread: true });
    return s.chatJson(chat, 20);
  });

  r.add('POST', '/v1/chats/{chatID}/reminders', (ctx, [id]) => {
    const chat = chatOf(id);
    const reminder = bodyOf(ctx.body).reminder as Body | undefined;
    if (typeof reminder !== 'object' || reminder === null) throw new HttpError(400, 'VALIDATION_ERROR', 'reminder is required.');
    const remindAt = reminder.remindAt;
    if (typeof remindAt !== 'string' || Number.isNaN(Date.parse(remindAt))) throw new HttpError(400, 'VALIDATION_ERROR', 'reminder.remindAt must be a date-time.');
    const dismiss = bool(reminder, 'dismissOnIncomingMessage');
    s.setReminder(chat, { remindAt: new Date(Date.parse(remindAt)).toISOString(), ...(dismiss !== undefined ? { dismissOnIncomingMessage: dismiss } : {}) });
    ctx.res.statusCode = 204;
    return undefined;
  });

  r.add('DELETE', '/v1/chats/{chatID}/reminders', (ctx, [id]) => {
    s.setReminder(chatOf(id), null);
    ctx.res.statusCode = 204;
    return undefined;
  });

  r.add('POST', '/v1/chats', (ctx) => {
    const body = bodyOf(ctx.body);
    if (typeof body.accountID !== 'string' || (body.type !== 'single' && body.type !== 'group')) throw new HttpError(400, 'VALIDATION_ERROR', 'accountID and type (single or group) are required.');
    const ids = body.participantIDs;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) throw new HttpError(400, 'VALIDATION_ERROR', 'participantIDs must list at least one user ID.');
    if (body.type === 'single' && ids.length !== 1) throw new HttpError(400, 'VALIDATION_ERROR', "A 'single' chat takes exactly one participant.");
    if (body.title !== undefined && typeof body.title !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'title must be a string.');
    const account = s.accountById(body.accountID) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${body.accountID}.`);
    const contacts = contactsOfAccount(s, account.accountID);
    const people = (ids).map((pid) => contacts.find((c) => c.id === pid) ?? notFound('USER_NOT_FOUND', `No contact ${pid} on this account.`));
    const blocked = people.find((p) => p.cannotMessage);
    if (blocked) throw new HttpError(422, 'CANNOT_MESSAGE', `${blocked.fullName ?? 'Someone'} cannot be added from Beeper.`);
    const now = Date.now();
    const base = makeChats(account, 1, now, 800 + s.world.chats.length)[0]!;
    const members = [{ ...account.user, isSelf: true, isAdmin: true }, ...people.map(({ ts: _ts, ...p }) => ({ ...p, isSelf: false }))];
    const title = typeof body.title === 'string' && body.title.trim() ? body.title.trim() : people.map((p) => (p.fullName ?? p.username ?? p.id).split(' ')[0]).join(', ');
    const chat: SandboxChat = {
      ...base,
      id: `!group${s.world.chats.length}_${account.accountID}:sandbox.localhost`,
      title: body.type === 'single' ? (people[0]!.fullName ?? people[0]!.id) : title,
      type: body.type,
      participantCount: members.length,
      members,
      unreadCount: 0,
      unreadMentionsCount: 0,
      isPinned: false,
      isMuted: false,
      isArchived: false,
      isLowPriority: false,
      ts: now,
      lastActivity: new Date(now).toISOString(),
      historyCount: 0,
      historyEnd: now,
    };
    s.addChat(chat);
    return { ...s.chatJson(chat, 20), chatID: chat.id, status: 'created' };
  });
}
