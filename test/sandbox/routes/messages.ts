// Messages, reactions and assets, as the official spec has them: cursor pages of 25 chosen by
// the server, pending IDs on send, own messages only for edit and delete-for-everyone, and
// asset bytes with their content types.
import { randomBytes } from 'node:crypto';
import { boolParam, HttpError, intParam, listParam, notFound, type Router } from '../http';
import { assetOf } from '../messages';
import type { SandboxState } from '../state';

/** Longest text a send or edit accepts (Beeper's networks cap far lower; WhatsApp ~65k). */
export const MAX_TEXT = 60_000;

export function messageRoutes(r: Router, s: SandboxState): void {
  const chatOf = (id: string) => s.chatById(id) ?? notFound('CHAT_NOT_FOUND', `No chat ${id}.`);
  const textOf = (v: unknown, required: boolean): string | undefined => {
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || (required && v.trim() === '')) throw new HttpError(400, 'VALIDATION_ERROR', 'text must be a non-empty string.');
    if (v.length > MAX_TEXT) throw new HttpError(422, 'TEXT_TOO_LONG', `The message is longer than ${MAX_TEXT} characters.`);
    return v;
  };

  r.add('GET', '/v1/messages/search', (ctx) => {
    const q = ctx.url.searchParams;
    const direction = q.get('direction') ?? 'before';
    if (direction !== 'before' && direction !== 'after') throw new HttpError(400, 'VALIDATION_ERROR', 'direction must be before or after.');
    const chatType = q.get('chatType') ?? undefined;
    if (chatType !== undefined && chatType !== 'group' && chatType !== 'single') throw new HttpError(400, 'VALIDATION_ERROR', 'chatType must be group or single.');
    const mediaTypes = listParam(q, 'mediaTypes');
    if (mediaTypes?.some((m) => !['any', 'video', 'image', 'link', 'file'].includes(m))) throw new HttpError(400, 'VALIDATION_ERROR', 'mediaTypes must be any, video, image, link or file.');
    const date = (name: string) => {
      const v = q.get(name);
      if (v === null || v === '') return undefined;
      if (Number.isNaN(Date.parse(v))) throw new HttpError(400, 'VALIDATION_ERROR', `${name} must be an ISO 8601 date-time.`);
      return v;
    };
    return s.searchMessages({
      query: q.get('query') ?? undefined,
      chatIDs: listParam(q, 'chatIDs'),
      accountIDs: listParam(q, 'accountIDs'),
      chatType,
      mediaTypes,
      sender: q.get('sender') ?? undefined,
      dateAfter: date('dateAfter'),
      dateBefore: date('dateBefore'),
      limit: intParam(q, 'limit', 1, 20, 20),
      cursor: q.get('cursor') ?? undefined,
      direction,
      excludeLowPriority: boolParam(q, 'excludeLowPriority'),
      includeMuted: boolParam(q, 'includeMuted'),
    });
  });
  r.add('GET', '/v1/chats/{chatID}/messages', (ctx, [id]) => {
    const chat = chatOf(id);
    const q = ctx.url.searchParams;
    const direction = q.get('direction') ?? 'before';
    if (direction !== 'before' && direction !== 'after') throw new HttpError(400, 'VALIDATION_ERROR', 'direction must be before or after.');
    return s.listMessages(chat, q.get('cursor'), direction);
  });
  r.add('POST', '/v1/chats/{chatID}/messages', (ctx, [id]) => {
    const chat = chatOf(id);
    const body = (ctx.body ?? {}) as { text?: unknown; replyToMessageID?: unknown; attachment?: { uploadID?: unknown; fileName?: unknown; mimeType?: unknown } };
    const attachment = body.attachment && typeof body.attachment.uploadID === 'string' ? { uploadID: body.attachment.uploadID, fileName: typeof body.attachment.fileName === 'string' ? body.attachment.fileName : undefined, mimeType: typeof body.attachment.mimeType === 'string' ? body.attachment.mimeType : undefined } : undefined;
    const text = textOf(body.text, !attachment);
    if (body.replyToMessageID !== undefined && typeof body.replyToMessageID !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'replyToMessageID must be a string.');
    return s.sendMessage(chat, { text, replyToMessageID: body.replyToMessageID, attachment });
  });
  r.add('GET', '/v1/chats/{chatID}/messages/{messageID}', (_ctx, [id, messageID]) => {
    const chat = chatOf(id);
    return (s.findMessage(chat, messageID) ?? notFound('MESSAGE_NOT_FOUND', `No message ${messageID} in this chat.`)).message;
  });
  r.add('PUT', '/v1/chats/{chatID}/messages/{messageID}', (ctx, [id, messageID]) => {
    const chat = chatOf(id);
    const text = textOf((ctx.body as { text?: unknown } | undefined)?.text, true)!;
    const message = s.editMessage(chat, messageID, text);
    return { ...message, success: true, messageID: message.id };
  });
  r.add('DELETE', '/v1/chats/{chatID}/messages/{messageID}', (ctx, [id, messageID]) => {
    const chat = chatOf(id);
    s.deleteMessage(chat, messageID, ctx.url.searchParams.get('forEveryone') !== 'false');
    ctx.res.statusCode = 204;
    return undefined;
  });
  r.add('POST', '/v1/chats/{chatID}/messages/{messageID}/reactions', (ctx, [id, messageID]) => {
    const chat = chatOf(id);
    const key = (ctx.body as { reactionKey?: unknown } | undefined)?.reactionKey;
    if (typeof key !== 'string' || !key) throw new HttpError(400, 'VALIDATION_ERROR', 'reactionKey is required.');
    s.react(chat, messageID, key, true);
    return { success: true, chatID: chat.id, messageID, reactionKey: key, transactionID: `txn_${randomBytes(6).toString('hex')}` };
  });
  r.add('DELETE', '/v1/chats/{chatID}/messages/{messageID}/reactions/{reactionKey}', (_ctx, [id, messageID, key]) => {
    const chat = chatOf(id);
    s.react(chat, messageID, key, false);
    return { success: true, chatID: chat.id, messageID, reactionKey: key };
  });

  r.add('GET', '/v1/assets/serve', (ctx) => {
    const url = ctx.url.searchParams.get('url');
    if (!url) throw new HttpError(400, 'VALIDATION_ERROR', 'url is required.');
    const asset = assetOf(url, s.uploads) ?? notFound('ASSET_NOT_FOUND', `No file at ${url}.`);
    ctx.res.writeHead(200, { 'content-type': asset.type, 'content-length': String(asset.bytes.length), 'cache-control': 'private, max-age=3600' });
    ctx.res.end(asset.bytes);
    return undefined;
  });
  r.add('POST', '/v1/assets/upload', (ctx) => {
    const body = (ctx.body ?? {}) as { file?: { bytes: Buffer; name?: string; type?: string }; fileName?: unknown; mimeType?: unknown };
    if (!body.file || !Buffer.isBuffer(body.file.bytes)) throw new HttpError(400, 'VALIDATION_ERROR', 'file is required (multipart/form-data).');
    const fileName = typeof body.fileName === 'string' && body.fileName ? body.fileName : body.file.name || 'file';
    const mimeType = typeof body.mimeType === 'string' && body.mimeType ? body.mimeType : body.file.type || 'application/octet-stream';
    const uploadID = randomBytes(8).toString('hex');
    s.uploads.set(uploadID, { bytes: body.file.bytes, mimeType, fileName });
    // Uploads are temporary: the oldest go after 50.
    if (s.uploads.size > 50) s.uploads.delete(s.uploads.keys().next().value!);
    return { uploadID, srcURL: `file:///tmp/beeper-sandbox/${uploadID}`, fileName, mimeType, fileSize: body.file.bytes.length };
  });
  r.add('POST', '/v1/assets/download', (ctx) => {
    const url = (ctx.body as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string' || !url) throw new HttpError(400, 'VALIDATION_ERROR', 'url is required.');
    if (!assetOf(url, s.uploads)) return { error: `No file at ${url}.` };
    return { srcURL: `file:///tmp/beeper-sandbox/${encodeURIComponent(url)}` };
  });
}
