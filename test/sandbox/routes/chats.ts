// Chats: search and list with cursor paging, one chat, mark read, focus.
import { boolParam, compareNewestFirst, HttpError, intParam, listParam, notFound, pageBody, pageOf, type Router } from '../http';
import { makeChats, participantsOf, type SandboxChat } from '../data';
import type { SandboxState } from '../state';
import { contactsOfAccount } from './accounts';
import { capabilitiesOf } from './bridges';

const CHAT_LIST_PAGE = 25;

export function chatRoutes(r: Router, s: SandboxState): void {
  const searchChats = (q: URLSearchParams, paged: 'search' | 'list') => {
    const accountIDs = listParam(q, 'accountIDs');
    let chats = s.world.chats;
    if (accountIDs) {
      const set = new Set(accountIDs);
      chats = chats.filter((c) => set.has(c.accountID));
    }
    let limit = CHAT_LIST_PAGE;
    if (paged === 'search') {
      limit = intParam(q, 'limit', 1, 200, 50);
      const words = (q.get('query') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      // scope=participants matches the people in a chat (its first 50), titles the title and network.
      const people = q.get('scope') === 'participants';
      if (q.get('scope') !== null && q.get('scope') !== 'titles' && !people) throw new HttpError(400, 'VALIDATION_ERROR', "scope must be 'titles' or 'participants'.");
      const hay = (c: SandboxChat) => (people ? participantsOf(c, s.accountById(c.accountID), 50).filter((p) => !p.isSelf).map((p) => `${p.fullName ?? ''} ${p.username ?? ''}`).join(' ') : `${c.title} ${c.network}`).toLowerCase();
      if (words.length) chats = chats.filter((c) => words.every((w) => hay(c).includes(w)));
      const inbox = q.get('inbox');
      if (inbox === 'primary') chats = chats.filter((c) => !c.isArchived && !c.isLowPriority);
      else if (inbox === 'archive') chats = chats.filter((c) => c.isArchived);
      else if (inbox === 'low-priority') chats = chats.filter((c) => c.isLowPriority);
      if (boolParam(q, 'includeMuted') === false) chats = chats.filter((c) => !c.isMuted);
      if (boolParam(q, 'unreadOnly')) chats = chats.filter((c) => c.unreadCount > 0 || c.isMarkedUnread === true);
      const type = q.get('type');
      if (type === 'single' || type === 'group') chats = chats.filter((c) => c.type === type);
    }
    const sorted = [...chats].sort(compareNewestFirst);
    const { items, hasMore } = pageOf(sorted, q, limit);
    return pageBody(items, hasMore, (c) => s.chatJson(c, 20));
  };
  const chatOf = (id: string) => s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);

  r.add('GET', '/v1/chats/search', (ctx) => searchChats(ctx.url.searchParams, 'search'));
  r.add('GET', '/v1/chats', (ctx) => searchChats(ctx.url.searchParams, 'list'));
  r.add('GET', '/v1/chats/{chatID}', (ctx, [id]) => {
    const chat = chatOf(id);
    const raw = ctx.url.searchParams.get('maxParticipantCount');
    const limit = raw === null ? 100 : Number(raw);
    if (!Number.isInteger(limit) || limit < -1 || limit > 500) throw new HttpError(400, 'VALIDATION_ERROR', 'maxParticipantCount must be -1 or 0–500.');
    return s.chatJson(chat, limit);
  });
  r.add('POST', '/v1/chats/{chatID}/read', (ctx, [id]) => {
    const chat = chatOf(id);
    const body = (ctx.body ?? {}) as { messageID?: unknown };
    if (body.messageID !== undefined && typeof body.messageID !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'messageID must be a string.');
    s.markRead(chat);
    return s.chatJson(chat, 20);
  });
  r.add('POST', '/v1/chats/start', (ctx) => {
    const body = (ctx.body ?? {}) as { accountID?: unknown; user?: Record<string, unknown>; messageText?: unknown };
    if (typeof body.accountID !== 'string' || typeof body.user !== 'object' || body.user === null) throw new HttpError(400, 'VALIDATION_ERROR', 'accountID and user are required.');
    const account = s.accountById(body.accountID) ?? notFound('ACCOUNT_NOT_FOUND', `No account ${body.accountID}.`);
    const want = body.user;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const id = str(want.id);
    const username = str(want.username)?.replace(/^@/, '');
    const phone = str(want.phoneNumber)?.replace(/[^\d+]/g, '');
    const email = str(want.email)?.toLowerCase();
    if (!id && !username && !phone && !email) throw new HttpError(400, 'VALIDATION_ERROR', 'user needs an id, username, phoneNumber or email.');
    const contacts = contactsOfAccount(s, account.accountID);
    let contact = contacts.find((c) => (id && c.id === id) || (username && c.username === username) || (phone && c.phoneNumber === phone) || (email && c.email?.toLowerCase() === email));
    const caps = capabilitiesOf(account.bridge?.type ?? '') as { resolve_identifier?: Record<string, boolean> };
    if (!contact && phone && caps.resolve_identifier?.any_phone) {
      contact = { id: `@phone_${phone.replace(/\D/g, '')}:sandbox.localhost`, fullName: phone, phoneNumber: phone, isSelf: false, ts: Date.now() };
    }
    if (!contact) throw new HttpError(404, 'USER_NOT_FOUND', `No one on ${account.network ?? account.accountID} matches that.`);
    if (contact.cannotMessage) throw new HttpError(422, 'CANNOT_MESSAGE', `${contact.fullName ?? 'This person'} cannot be messaged from Beeper.`);
    const existing = s.world.chats.find((c) => c.accountID === account.accountID && c.type === 'single' && s.chatJson(c, 2).participants.items.some((p) => !p.isSelf && p.id === contact.id));
    if (existing) return { ...s.chatJson(existing, 20), chatID: existing.id, status: 'existing' };
    const { ts: _ts, ...partner } = contact;
    const chat = { ...makeChats(account, 1, Date.now(), 700 + s.world.chats.length)[0]!, id: `!started${s.world.chats.length}_${account.accountID}:sandbox.localhost`, title: contact.fullName ?? contact.username ?? contact.id, type: 'single' as const, participantCount: 2, unreadCount: 0, isPinned: false, isMuted: false, isArchived: false, partner: { ...partner, isSelf: false } };
    chat.ts = Date.now();
    chat.lastActivity = new Date(chat.ts).toISOString();
    s.addChat(chat);
    return { ...s.chatJson(chat, 20), chatID: chat.id, status: 'created' };
  });
  r.add('POST', '/v1/focus', (ctx) => {
    const body = (ctx.body ?? {}) as { chatID?: unknown };
    if (body.chatID !== undefined && !s.world.chats.some((c) => c.id === body.chatID || c.localChatID === body.chatID)) {
      throw new HttpError(404, 'CHAT_NOT_FOUND', `No chat ${JSON.stringify(body.chatID)}.`);
    }
    s.lastFocus = body;
    return { success: true };
  });
}
