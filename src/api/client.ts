// The Beeper Desktop API client: every route the extension uses, typed, on one transport.
// Stable routes follow the official spec; bridge and login routes are our own typed wrappers
// (the official SDK does not have them).
import * as decode from './decode';
import { BeeperApiError } from './errors';
import { FormData } from 'undici';
import { HttpTransport, type TransportOptions } from './transport';
import type {
  Account,
  Bridge,
  Chat,
  ChatReminder,
  ChatSearchParams,
  CreateChatParams,
  PatchChatParams,
  ContactListParams,
  CreateLoginSessionParams,
  FocusParams,
  LoginFlow,
  LoginSession,
  LoginSessionCancelResponse,
  Message,
  MessageSearchParams,
  MessageSearchResult,
  SendMessageParams,
  SendMessageResult,
  UploadResult,
  Page,
  ProvisioningCapabilities,
  ServerInfo,
  StartChatParams,
  StartChatResult,
  SubmitLoginStepParams,
  User,
} from './types';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const seg = encodeURIComponent;

/**
 * A 404 on a bridge route: either this Beeper Desktop predates the bridge API (the route does
 * not exist), or the bridge/session named in the path does not. Only the second carries a
 * resource error code; anything else is read as the missing feature.
 */
function bridgeRoute404(route: string) {
  return (body: { code?: string; message?: string } | undefined): BeeperApiError | undefined => {
    if (body?.code && /BRIDGE|SESSION|STEP|FLOW|ACCOUNT/i.test(body.code) && !/ROUTE/i.test(body.code)) return undefined;
    return new BeeperApiError({
      kind: 'featureUnavailable',
      route,
      status: 404,
      code: body?.code,
      message: 'This version of Beeper Desktop does not offer chat-account management (bridges and logins).',
      hint: 'Update Beeper Desktop to add or reconnect accounts from VS Code; browsing chats still works.',
    });
  };
}

export class BeeperClient {
  private readonly http: HttpTransport;

  constructor(options: TransportOptions) {
    this.http = new HttpTransport(options);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  dispose(): Promise<void> {
    return this.http.close();
  }

  private get<T>(path: string, reader: (v: unknown) => T, opts: CallOptions & { query?: Record<string, string | number | boolean | string[] | undefined>; bridge?: boolean; anonymous?: boolean } = {}): Promise<T> {
    const route = `GET ${path}`;
    return this.http.request('GET', path, {
      ...opts,
      decode: decode.decodeWith(reader, route),
      on404: opts.bridge ? bridgeRoute404(route) : undefined,
    });
  }

  private send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    reader: (v: unknown) => T,
    body: unknown,
    opts: CallOptions & { bridge?: boolean; allowEmpty?: boolean; query?: Record<string, string | number | boolean | undefined> } = {},
  ): Promise<T> {
    const route = `${method} ${path}`;
    return this.http.request(method, path, {
      ...opts,
      body,
      allowEmpty: opts.allowEmpty ?? method === 'DELETE',
      decode: decode.decodeWith(reader, route),
      on404: opts.bridge ? bridgeRoute404(route) : undefined,
    });
  }

  // ---- server -------------------------------------------------------------------------------

  /** Health and discovery; needs no token. */
  getInfo(opts?: CallOptions): Promise<ServerInfo> {
    return this.get('/v1/info', decode.readServerInfo, { ...opts, anonymous: true });
  }

  focus(params: FocusParams = {}, opts?: CallOptions): Promise<{ success: boolean }> {
    return this.send('POST', '/v1/focus', decode.readFocus, params, opts);
  }

  // ---- accounts and contacts ----------------------------------------------------------------

  listAccounts(opts?: CallOptions): Promise<Account[]> {
    return this.get('/v1/accounts', decode.readAccountList, opts);
  }

  getAccount(accountID: string, opts?: CallOptions): Promise<Account> {
    return this.get(`/v1/accounts/${seg(accountID)}`, (v) => decode.readAccount(v), opts);
  }

  searchContacts(accountID: string, query: string, opts?: CallOptions): Promise<User[]> {
    return this.get(`/v1/accounts/${seg(accountID)}/contacts`, decode.readContactSearch, { ...opts, query: { query } });
  }

  listContacts(accountID: string, params: ContactListParams = {}, opts?: CallOptions): Promise<Page<User>> {
    return this.get(`/v1/accounts/${seg(accountID)}/contacts/list`, (v) => decode.readPage(v, decode.readUser), {
      ...opts,
      query: { ...params },
    });
  }

  // ---- bridges and logins (bridge documents; 404 on an older Beeper Desktop) -----------------

  listBridges(opts?: CallOptions): Promise<Bridge[]> {
    return this.get('/v1/bridges', decode.readBridgeList, { ...opts, bridge: true });
  }

  getBridge(bridgeID: string, opts?: CallOptions): Promise<Bridge> {
    return this.get(`/v1/bridges/${seg(bridgeID)}`, (v) => decode.readBridge(v), { ...opts, bridge: true });
  }

  getBridgeCapabilities(bridgeID: string, opts?: CallOptions): Promise<ProvisioningCapabilities> {
    return this.get(`/v1/bridges/${seg(bridgeID)}/capabilities`, decode.readCapabilities, { ...opts, bridge: true });
  }

  listLoginFlows(bridgeID: string, opts?: CallOptions): Promise<LoginFlow[]> {
    return this.get(`/v1/bridges/${seg(bridgeID)}/login-flows`, decode.readLoginFlows, { ...opts, bridge: true });
  }

  createLoginSession(bridgeID: string, params: CreateLoginSessionParams = {}, opts?: CallOptions): Promise<LoginSession> {
    return this.send('POST', `/v1/bridges/${seg(bridgeID)}/login-sessions`, decode.readLoginSession, params, { ...opts, bridge: true });
  }

  getLoginSession(bridgeID: string, loginSessionID: string, opts?: CallOptions): Promise<LoginSession> {
    return this.get(`/v1/bridges/${seg(bridgeID)}/login-sessions/${seg(loginSessionID)}`, decode.readLoginSession, { ...opts, bridge: true });
  }

  cancelLoginSession(bridgeID: string, loginSessionID: string, opts?: CallOptions): Promise<LoginSessionCancelResponse> {
    return this.send('DELETE', `/v1/bridges/${seg(bridgeID)}/login-sessions/${seg(loginSessionID)}`, decode.readCancelResponse, undefined, {
      ...opts,
      bridge: true,
    });
  }

  submitLoginStep(bridgeID: string, loginSessionID: string, stepID: string, params: SubmitLoginStepParams, opts?: CallOptions): Promise<LoginSession> {
    return this.send(
      'POST',
      `/v1/bridges/${seg(bridgeID)}/login-sessions/${seg(loginSessionID)}/steps/${seg(stepID)}`,
      decode.readLoginSession,
      params,
      { ...opts, bridge: true },
    );
  }

  // ---- chats --------------------------------------------------------------------------------

  /** One chat with its participants; `maxParticipantCount` -1 for all, else 0–500. */
  getChat(chatID: string, params: { maxParticipantCount?: number } = {}, opts?: CallOptions): Promise<Chat> {
    return this.get(`/v1/chats/${seg(chatID)}`, (v) => decode.readChat(v), { ...opts, query: { ...params } });
  }

  /** Chats newest activity first, filtered; page with `cursor` = `oldestCursor`, `direction` before. */
  searchChats(params: ChatSearchParams = {}, opts?: CallOptions): Promise<Page<Chat>> {
    return this.get('/v1/chats/search', (v) => decode.readPage(v, decode.readChat), { ...opts, query: { ...params } });
  }

  /** Starts (or finds) a direct chat with a contact on an account. */
  startChat(params: StartChatParams, opts?: CallOptions): Promise<StartChatResult> {
    return this.send('POST', '/v1/chats/start', decode.readStartChat, params, opts);
  }

  /** Marks the chat read (through `messageID` when given); answers with the chat. */
  markChatRead(chatID: string, messageID?: string, opts?: CallOptions): Promise<Chat> {
    return this.send('POST', `/v1/chats/${seg(chatID)}/read`, (v) => decode.readChat(v), messageID ? { messageID } : {}, opts);
  }

  /** Changes chat fields (pin, mute, low priority, archive, title, timer, draft); answers with the chat. */
  patchChat(chatID: string, params: PatchChatParams, opts?: CallOptions): Promise<Chat> {
    return this.send('PATCH', `/v1/chats/${seg(chatID)}`, (v) => decode.readChat(v), params, opts);
  }

  /** Archives (or with `false` unarchives) a chat; 204. */
  archiveChat(chatID: string, archived: boolean, opts?: CallOptions): Promise<void> {
    return this.send('POST', `/v1/chats/${seg(chatID)}/archive`, () => undefined, { archived }, { ...opts, allowEmpty: true });
  }

  /** Marks the chat unread; answers with the chat. */
  markChatUnread(chatID: string, opts?: CallOptions): Promise<Chat> {
    return this.send('POST', `/v1/chats/${seg(chatID)}/unread`, (v) => decode.readChat(v), {}, opts);
  }

  setChatReminder(chatID: string, reminder: ChatReminder, opts?: CallOptions): Promise<void> {
    return this.send('POST', `/v1/chats/${seg(chatID)}/reminders`, () => undefined, { reminder }, { ...opts, allowEmpty: true });
  }

  clearChatReminder(chatID: string, opts?: CallOptions): Promise<void> {
    return this.send('DELETE', `/v1/chats/${seg(chatID)}/reminders`, () => undefined, undefined, opts);
  }

  /** Creates a chat (a group from contacts, with an optional title); answers with it. */
  createChat(params: CreateChatParams, opts?: CallOptions): Promise<Chat> {
    return this.send('POST', '/v1/chats', (v) => decode.readChat(v), params, opts);
  }

  listChats(params: { accountIDs?: string[]; cursor?: string; direction?: 'before' | 'after' } = {}, opts?: CallOptions): Promise<Page<Chat>> {
    return this.get('/v1/chats', (v) => decode.readPage(v, decode.readChat), { ...opts, query: { ...params } });
  }

  // ---- messages -----------------------------------------------------------------------------

  /**
   * A page of a chat's messages (the server picks the size). Without a cursor: the newest.
   * `before` + a page's `oldestCursor` goes back in time; `after` + `newestCursor` forward.
   * Items are in whatever order the server sends; sort by `sortKey`.
   */
  listMessages(chatID: string, params: { cursor?: string; direction?: 'before' | 'after' } = {}, opts?: CallOptions): Promise<Page<Message>> {
    return this.get(`/v1/chats/${seg(chatID)}/messages`, (v) => decode.readPage(v, decode.readMessage), { ...opts, query: { ...params } });
  }

  /** Messages across chats, newest first, with their chats (`limit` at most 20). */
  searchMessages(params: MessageSearchParams = {}, opts?: CallOptions): Promise<MessageSearchResult> {
    return this.get('/v1/messages/search', (v) => decode.readMessageSearch(v), { ...opts, query: { ...params } });
  }

  /** One message; a `pendingMessageID` resolves to the sent message once the network confirms it. */
  getMessage(chatID: string, messageID: string, opts?: CallOptions): Promise<Message> {
    return this.get(`/v1/chats/${seg(chatID)}/messages/${seg(messageID)}`, (v) => decode.readMessage(v), opts);
  }

  /** Sends text (Markdown allowed) and/or an uploaded attachment; answers with the pending ID. */
  sendMessage(chatID: string, params: SendMessageParams, opts?: CallOptions): Promise<SendMessageResult> {
    return this.send('POST', `/v1/chats/${seg(chatID)}/messages`, decode.readSendMessage, params, opts);
  }

  editMessage(chatID: string, messageID: string, text: string, opts?: CallOptions): Promise<Message> {
    return this.send('PUT', `/v1/chats/${seg(chatID)}/messages/${seg(messageID)}`, (v) => decode.readMessage(v), { text }, opts);
  }

  deleteMessage(chatID: string, messageID: string, forEveryone = true, opts?: CallOptions): Promise<void> {
    return this.send('DELETE', `/v1/chats/${seg(chatID)}/messages/${seg(messageID)}`, () => undefined, undefined, { ...opts, query: { forEveryone } });
  }

  addReaction(chatID: string, messageID: string, reactionKey: string, opts?: CallOptions): Promise<{ success: boolean }> {
    return this.send('POST', `/v1/chats/${seg(chatID)}/messages/${seg(messageID)}/reactions`, decode.readSuccess, { reactionKey }, opts);
  }

  removeReaction(chatID: string, messageID: string, reactionKey: string, opts?: CallOptions): Promise<{ success: boolean }> {
    return this.send('DELETE', `/v1/chats/${seg(chatID)}/messages/${seg(messageID)}/reactions/${seg(reactionKey)}`, decode.readSuccess, undefined, opts);
  }

  // ---- assets -------------------------------------------------------------------------------

  /** The bytes of an attachment (mxc://, localmxc:// or file:// URL), as a stream. */
  serveAsset(url: string, opts?: { signal?: AbortSignal; timeoutMs?: number }) {
    return this.http.stream('/v1/assets/serve', { url }, opts);
  }

  /** Uploads a file for a later send; answers with its `uploadID`. */
  uploadAsset(file: Blob, fileName: string, mimeType?: string, opts?: CallOptions): Promise<UploadResult> {
    const form = new FormData();
    form.append('file', file, fileName);
    form.append('fileName', fileName);
    if (mimeType) form.append('mimeType', mimeType);
    return this.send('POST', '/v1/assets/upload', decode.readUpload, form, { timeoutMs: 10 * 60_000, ...opts });
  }
}
