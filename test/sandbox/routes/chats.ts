// Chats: search and list with cursor paging, one chat, mark read, focus.
import { boolParam, compareNewestFirst, HttpError, intParam, listParam, notFound, pageBody, pageOf, type Router } from '../http';
import type { SandboxState } from '../state';

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
      if (words.length) chats = chats.filter((c) => words.every((w) => `${c.title} ${c.network}`.toLowerCase().includes(w)));
      const inbox = q.get('inbox');
      if (inbox === 'primary') chats = chats.filter((c) => !c.isArchived && !c.isLowPriority);
      else if (inbox === 'archive') chats = chats.filter((c) => c.isArchived);
      else if (inbox === 'low-priority') chats = chats.filter((c) => c.isLowPriority);
      if (boolParam(q, 'includeMuted') === false) chats = chats.filter((c) => !c.isMuted);
      if (boolParam(q, 'unreadOnly')) chats = chats.filter((c) => c.unreadCount > 0);
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
  r.add('POST', '/v1/focus', (ctx) => {
    const body = (ctx.body ?? {}) as { chatID?: unknown };
    if (body.chatID !== undefined && !s.world.chats.some((c) => c.id === body.chatID || c.localChatID === body.chatID)) {
      throw new HttpError(404, 'CHAT_NOT_FOUND', `No chat ${JSON.stringify(body.chatID)}.`);
    }
    s.lastFocus = body;
    return { success: true };
  });
}
