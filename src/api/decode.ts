// Tolerant readers for API bodies. Required fields are checked (a body without them is a
// 'badResponse' error naming the field); optional fields of the wrong type are dropped; unknown
// fields are ignored; enum values are kept as strings, known or not.
import { BeeperApiError } from './errors';
import type {
  Account,
  AccountBridge,
  ApiErrorBody,
  Bridge,
  BridgeLogin,
  Chat,
  CookieField,
  LoginDisplay,
  LoginFlow,
  LoginInputField,
  LoginSession,
  LoginSessionCancelResponse,
  LoginStep,
  Attachment,
  LinkPreview,
  Message,
  MessageSearchResult,
  Page,
  Reaction,
  SendMessageResult,
  SendStatus,
  UploadResult,
  StartChatResult,
  Participant,
  ProvisioningCapabilities,
  ServerInfo,
  User,
} from './types';

type Json = Record<string, unknown>;

export class ShapeError extends Error {}

function fail(path: string, expected: string): never {
  throw new ShapeError(`${path} should be ${expected}`);
}

function obj(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Json;
}

function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, 'a string');
  return v;
}

function num(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'a number');
  return v;
}

function bool(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'true or false');
  return v;
}

function optStr(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function optNullableStr(o: Json, key: string): string | null | undefined {
  const v = o[key];
  return typeof v === 'string' || v === null ? v : undefined;
}

function optBool(o: Json, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

function optNum(o: Json, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function optRecord(o: Json, key: string): Record<string, unknown> | undefined {
  const v = o[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function arr<T>(o: Json, key: string, path: string, item: (v: unknown, p: string) => T): T[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'a list');
  return v.map((x, i) => item(x, `${path}.${key}[${i}]`));
}

/** Drops undefined values so that objects compare and serialise cleanly. */
function compact<T extends object>(value: T): T {
  // A copy rather than `delete`: deleting keys drops objects into slow dictionary mode, which
  // made decoding a 200-chat page several times slower than JSON.parse.
  const out = {} as T;
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

export function readUser(value: unknown, path = 'user'): User {
  const o = obj(value, path);
  const user: User = { id: str(o, 'id', path) };
  copyOptional(user, o, USER_STRINGS, 'string');
  copyOptional(user, o, USER_FLAGS, 'boolean');
  return user;
}

function readParticipant(value: unknown, path = 'participant'): Participant {
  // Built field by field (no spread, no delete): a 200-chat page has thousands of these.
  const participant: Participant = readUser(value, path);
  copyOptional(participant, value as Json, PARTICIPANT_FLAGS, 'boolean');
  return participant;
}

const USER_STRINGS = ['username', 'phoneNumber', 'email', 'fullName', 'imgURL'] as const;
const USER_FLAGS = ['cannotMessage', 'isSelf'] as const;
const PARTICIPANT_FLAGS = ['isAdmin', 'isPending', 'isNetworkBot'] as const;

/** Copies the keys whose values have the expected type; others are left out. */
function copyOptional(target: object, source: Json, keys: readonly string[], type: 'string' | 'boolean'): void {
  for (const key of keys) {
    const v = source[key];
    if (typeof v === type) (target as Json)[key] = v;
  }
}

function readAccountBridge(value: unknown, path: string): AccountBridge {
  const o = obj(value, path);
  return { id: str(o, 'id', path), provider: str(o, 'provider', path), type: str(o, 'type', path) };
}

export function readAccount(value: unknown, path = 'account'): Account {
  const o = obj(value, path);
  return compact({
    accountID: str(o, 'accountID', path),
    // Required by the bridge documents, absent on Beeper Desktop before v4.2.785: optional here.
    bridge: o.bridge === undefined || o.bridge === null ? undefined : readAccountBridge(o.bridge, `${path}.bridge`),
    status: optStr(o, 'status'),
    statusText: optStr(o, 'statusText'),
    user: readUser(o.user, `${path}.user`),
    network: optStr(o, 'network'),
    loginID: optStr(o, 'loginID'),
    capabilities: optRecord(o, 'capabilities'),
  });
}

export function readAccountList(value: unknown): Account[] {
  // The official spec answers a bare list; accept `{ items }` too, as the bridge routes use it.
  if (Array.isArray(value)) return value.map((a, i) => readAccount(a, `accounts[${i}]`));
  return arr(obj(value, 'body'), 'items', 'body', readAccount);
}

export function readBridge(value: unknown, path = 'bridge'): Bridge {
  const o = obj(value, path);
  return compact({
    id: str(o, 'id', path),
    accounts: Array.isArray(o.accounts) ? arr(o, 'accounts', path, readAccount) : [],
    activeAccountCount: optNum(o, 'activeAccountCount') ?? 0,
    displayName: optStr(o, 'displayName') ?? str(o, 'id', path),
    provider: str(o, 'provider', path),
    status: str(o, 'status', path),
    supportsMultipleAccounts: optBool(o, 'supportsMultipleAccounts') ?? false,
    type: optStr(o, 'type') ?? '',
    network: optStr(o, 'network'),
    statusText: optStr(o, 'statusText'),
  });
}

export function readBridgeList(value: unknown): Bridge[] {
  return arr(obj(value, 'body'), 'items', 'body', readBridge);
}

export function readCapabilities(value: unknown): ProvisioningCapabilities {
  const o = obj(value, 'capabilities');
  return compact({
    group_creation: (optRecord(o, 'group_creation') ?? {}) as ProvisioningCapabilities['group_creation'],
    resolve_identifier: (optRecord(o, 'resolve_identifier') ?? {}),
    image_pack_import: optBool(o, 'image_pack_import'),
    extra: unknownKeys(o, ['group_creation', 'resolve_identifier', 'image_pack_import']),
  });
}

function unknownKeys(o: Json, known: string[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k) && k !== '__proto__') extra[k] = v;
  return Object.keys(extra).length ? extra : undefined;
}

export function readLoginFlows(value: unknown): LoginFlow[] {
  return arr(obj(value, 'body'), 'items', 'body', (v, p) => {
    const o = obj(v, p);
    return compact({ id: str(o, 'id', p), name: optStr(o, 'name'), description: optStr(o, 'description') });
  });
}

function readInputField(value: unknown, path: string): LoginInputField {
  const o = obj(value, path);
  return compact({
    id: str(o, 'id', path),
    label: optStr(o, 'label'),
    placeholder: optStr(o, 'placeholder'),
    initialValue: optStr(o, 'initialValue'),
    optional: optBool(o, 'optional'),
    type: optStr(o, 'type'),
  });
}

function readCookieField(value: unknown, path: string): CookieField {
  const o = obj(value, path);
  return compact({ id: str(o, 'id', path), name: optStr(o, 'name'), type: optStr(o, 'type') });
}

function readDisplay(value: unknown, path: string): LoginDisplay {
  const o = obj(value, path);
  const type = str(o, 'type', path);
  if (type === 'qr') return { type, data: str(o, 'data', path) };
  if (type === 'emoji') return { type, imageURL: str(o, 'imageURL', path) };
  if (type === 'nothing') return { type };
  return { type: 'unknown', originalType: type };
}

function readBridgeLogin(value: unknown, path: string): BridgeLogin {
  const o = obj(value, path);
  return compact({
    bridgeID: str(o, 'bridgeID', path),
    loginID: str(o, 'loginID', path),
    removeScopes: Array.isArray(o.removeScopes) ? o.removeScopes.filter((s): s is string => typeof s === 'string') : [],
    status: optStr(o, 'status') ?? 'unknown',
    accountIDs: Array.isArray(o.accountIDs) ? o.accountIDs.filter((s): s is string => typeof s === 'string') : undefined,
    statusText: optStr(o, 'statusText'),
    user: o.user === undefined ? undefined : readUser(o.user, `${path}.user`),
  });
}

export function readLoginStep(value: unknown, path = 'currentStep'): LoginStep {
  const o = obj(value, path);
  const type = str(o, 'type', path);
  switch (type) {
    case 'user_input':
      return compact({
        type,
        stepID: str(o, 'stepID', path),
        fields: arr(o, 'fields', path, readInputField),
        instructions: optStr(o, 'instructions'),
        attachments: Array.isArray(o.attachments) ? o.attachments : undefined,
      });
    case 'cookies':
      return compact({
        type,
        stepID: str(o, 'stepID', path),
        fields: arr(o, 'fields', path, readCookieField),
        url: str(o, 'url', path),
        instructions: optStr(o, 'instructions'),
        expectedFinalURLRegex: optStr(o, 'expectedFinalURLRegex'),
        extractJS: optStr(o, 'extractJS'),
        userAgent: optStr(o, 'userAgent'),
      });
    case 'display_and_wait':
      return compact({
        type,
        stepID: str(o, 'stepID', path),
        display: readDisplay(o.display, `${path}.display`),
        instructions: optStr(o, 'instructions'),
      });
    case 'complete':
      return compact({
        type,
        stepID: optStr(o, 'stepID'),
        account: o.account === undefined ? undefined : readAccount(o.account, `${path}.account`),
        instructions: optStr(o, 'instructions'),
        login: o.login === undefined ? undefined : readBridgeLogin(o.login, `${path}.login`),
      });
    default:
      return compact({ type: 'unknown' as const, originalType: type, stepID: optStr(o, 'stepID'), instructions: optStr(o, 'instructions') });
  }
}

export function readErrorBody(value: unknown): ApiErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  if (typeof o.message !== 'string') return undefined;
  return compact({ code: typeof o.code === 'string' ? o.code : 'UNKNOWN', message: o.message, details: o.details });
}

export function readLoginSession(value: unknown): LoginSession {
  const path = 'loginSession';
  const o = obj(value, path);
  return compact({
    bridgeID: str(o, 'bridgeID', path),
    loginSessionID: str(o, 'loginSessionID', path),
    status: str(o, 'status', path),
    account: o.account === undefined ? undefined : readAccount(o.account, `${path}.account`),
    accountID: optStr(o, 'accountID'),
    loginID: optStr(o, 'loginID'),
    currentStep: o.currentStep === undefined || o.currentStep === null ? undefined : readLoginStep(o.currentStep),
    error: readErrorBody(o.error),
    login: o.login === undefined ? undefined : readBridgeLogin(o.login, `${path}.login`),
  });
}

export function readCancelResponse(value: unknown): LoginSessionCancelResponse {
  const o = obj(value, 'body');
  return { bridgeID: str(o, 'bridgeID', 'body'), loginSessionID: str(o, 'loginSessionID', 'body'), status: 'cancelled' };
}

export function readChat(value: unknown, path = 'chat'): Chat {
  const o = obj(value, path);
  const p = obj(o.participants ?? { items: [], hasMore: false, total: 0 }, `${path}.participants`);
  const items = Array.isArray(p.items) ? arr(p, 'items', `${path}.participants`, readParticipant) : [];
  return compact({
    id: str(o, 'id', path),
    accountID: str(o, 'accountID', path),
    network: optStr(o, 'network') ?? '',
    title: optStr(o, 'title') ?? '',
    type: optStr(o, 'type') ?? 'single',
    participants: {
      items,
      hasMore: optBool(p, 'hasMore') ?? false,
      total: optNum(p, 'total') ?? items.length,
    },
    unreadCount: optNum(o, 'unreadCount') ?? 0,
    localChatID: optNullableStr(o, 'localChatID'),
    description: optNullableStr(o, 'description'),
    imgURL: optNullableStr(o, 'imgURL'),
    isReadOnly: optBool(o, 'isReadOnly'),
    lastActivity: optStr(o, 'lastActivity'),
    unreadMentionsCount: optNum(o, 'unreadMentionsCount'),
    lastReadMessageSortKey: optStr(o, 'lastReadMessageSortKey'),
    isArchived: optBool(o, 'isArchived'),
    isMarkedUnread: optBool(o, 'isMarkedUnread'),
    isMuted: optBool(o, 'isMuted'),
    isPinned: optBool(o, 'isPinned'),
    isLowPriority: optBool(o, 'isLowPriority'),
    mergedIntoChatID: optStr(o, 'mergedIntoChatID'),
    merge: readMerge(o.merge),
  });
}

function readMerge(value: unknown): { chatIDs: string[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ids = (value as Json).chatIDs;
  return Array.isArray(ids) ? { chatIDs: ids.filter((i): i is string => typeof i === 'string') } : undefined;
}

export function readStartChat(value: unknown): StartChatResult {
  const chat = readChat(value, 'body');
  const status = optStr(obj(value, 'body'), 'status');
  return status ? { ...chat, status } : chat;
}

export function readMessage(value: unknown, path = 'message'): Message {
  const o = obj(value, path);
  const mentions = o.mentions;
  return compact({
    id: str(o, 'id', path),
    chatID: str(o, 'chatID', path),
    accountID: str(o, 'accountID', path),
    senderID: str(o, 'senderID', path),
    senderName: optStr(o, 'senderName'),
    timestamp: str(o, 'timestamp', path),
    sortKey: typeof o.sortKey === 'number' ? String(o.sortKey) : str(o, 'sortKey', path),
    type: optStr(o, 'type'),
    text: optStr(o, 'text'),
    editedTimestamp: optStr(o, 'editedTimestamp'),
    isSender: optBool(o, 'isSender'),
    sendStatus: readSendStatus(o.sendStatus),
    isHidden: optBool(o, 'isHidden'),
    isDeleted: optBool(o, 'isDeleted'),
    isUnread: optBool(o, 'isUnread'),
    attachments: optList(o.attachments, readAttachment),
    linkedMessageID: optStr(o, 'linkedMessageID'),
    mentions: Array.isArray(mentions) ? mentions.filter((m): m is string => typeof m === 'string') : mentions === null ? null : undefined,
    links: optList(o.links, readLinkPreview),
    reactions: optList(o.reactions, readReaction),
  });
}

/** An optional list: items that do not fit are dropped (one odd attachment never hides a message). */
function optList<T>(value: unknown, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const v of value) {
    const read = item(v);
    if (read !== undefined) out.push(read);
  }
  return out;
}

function readSendStatus(value: unknown): SendStatus | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  if (typeof o.status !== 'string') return undefined;
  return compact({ status: o.status, reason: optStr(o, 'reason'), message: optStr(o, 'message'), timestamp: optStr(o, 'timestamp') });
}

function readSize(value: unknown): { width: number; height: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const w = optNum(value as Json, 'width');
  const h = optNum(value as Json, 'height');
  return w !== undefined && h !== undefined && w > 0 && h > 0 ? { width: w, height: h } : undefined;
}

function readAttachment(value: unknown): Attachment | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Json;
  return compact({
    id: optStr(o, 'id'),
    type: optStr(o, 'type') ?? 'unknown',
    srcURL: optStr(o, 'srcURL'),
    mimeType: optStr(o, 'mimeType'),
    fileName: optStr(o, 'fileName'),
    fileSize: optNum(o, 'fileSize'),
    isGif: optBool(o, 'isGif'),
    isSticker: optBool(o, 'isSticker'),
    isVoiceNote: optBool(o, 'isVoiceNote'),
    duration: optNum(o, 'duration'),
    posterImg: optStr(o, 'posterImg'),
    size: readSize(o.size),
  });
}

function readLinkPreview(value: unknown): LinkPreview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  const url = optStr(o, 'url');
  if (!url) return undefined;
  return compact({ url, title: optStr(o, 'title') ?? '', originalURL: optStr(o, 'originalURL'), summary: optStr(o, 'summary'), img: optStr(o, 'img'), favicon: optStr(o, 'favicon') });
}

function readReaction(value: unknown): Reaction | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  const reactionKey = optStr(o, 'reactionKey');
  const participantID = optStr(o, 'participantID');
  if (!reactionKey || !participantID) return undefined;
  return compact({ id: optStr(o, 'id') ?? participantID + reactionKey, reactionKey, participantID, emoji: optBool(o, 'emoji'), imgURL: optStr(o, 'imgURL') });
}

export function readSendMessage(value: unknown): SendMessageResult {
  const o = obj(value, 'body');
  return { chatID: str(o, 'chatID', 'body'), pendingMessageID: str(o, 'pendingMessageID', 'body') };
}

export function readUpload(value: unknown): UploadResult {
  const o = obj(value, 'body');
  return compact({
    uploadID: optStr(o, 'uploadID'),
    srcURL: optStr(o, 'srcURL'),
    fileName: optStr(o, 'fileName'),
    mimeType: optStr(o, 'mimeType'),
    fileSize: optNum(o, 'fileSize'),
    width: optNum(o, 'width'),
    height: optNum(o, 'height'),
    duration: optNum(o, 'duration'),
    error: optStr(o, 'error'),
  });
}

/** Reaction add/remove and other `{ success: true, ... }` answers. */
export function readSuccess(value: unknown): { success: boolean } {
  const o = obj(value, 'body');
  return { success: o.success !== false };
}

export function readPage<T>(value: unknown, item: (v: unknown, p: string) => T): Page<T> {
  const o = obj(value, 'body');
  return {
    items: arr(o, 'items', 'body', item),
    hasMore: bool(o, 'hasMore', 'body'),
    oldestCursor: optNullableStr(o, 'oldestCursor') ?? null,
    newestCursor: optNullableStr(o, 'newestCursor') ?? null,
  };
}

/** A message search page; a chat in the map that does not decode is left out, not fatal. */
export function readMessageSearch(value: unknown): MessageSearchResult {
  const page = readPage(value, readMessage);
  const o = obj(value, 'body');
  const chats: Record<string, Chat> = {};
  const map = optRecord(o, 'chats');
  if (map) {
    for (const [id, chat] of Object.entries(map)) {
      try {
        chats[id] = readChat(chat, `chats.${id.slice(0, 40)}`);
      } catch {
        // The match stays; only its chat's details are missing.
      }
    }
  }
  return { ...page, chats };
}

export function readContactSearch(value: unknown): User[] {
  return arr(obj(value, 'body'), 'items', 'body', readUser);
}

export function readServerInfo(value: unknown): ServerInfo {
  const o = obj(value, 'info');
  const app = obj(o.app, 'info.app');
  const server = obj(o.server, 'info.server');
  const endpoints = optRecord(o, 'endpoints');
  const oauth = endpoints ? optRecord(endpoints, 'oauth') : undefined;
  return compact({
    app: compact({ name: str(app, 'name', 'info.app'), version: str(app, 'version', 'info.app'), bundle_id: optStr(app, 'bundle_id') }),
    platform: optRecord(o, 'platform'),
    server: compact({
      status: optStr(server, 'status') ?? 'unknown',
      base_url: optStr(server, 'base_url') ?? '',
      port: num(server, 'port', 'info.server'),
      hostname: optStr(server, 'hostname'),
      remote_access: optBool(server, 'remote_access'),
      mcp_enabled: optBool(server, 'mcp_enabled'),
    }),
    endpoints: endpoints
      ? compact({
          oauth: oauth
            ? compact({
                authorization_endpoint: optStr(oauth, 'authorization_endpoint'),
                token_endpoint: optStr(oauth, 'token_endpoint'),
                revocation_endpoint: optStr(oauth, 'revocation_endpoint'),
                registration_endpoint: optStr(oauth, 'registration_endpoint'),
                introspection_endpoint: optStr(oauth, 'introspection_endpoint'),
                userinfo_endpoint: optStr(oauth, 'userinfo_endpoint'),
              })
            : undefined,
          spec: optStr(endpoints, 'spec'),
          mcp: optStr(endpoints, 'mcp'),
          ws_events: optStr(endpoints, 'ws_events'),
        })
      : undefined,
  });
}

export function readFocus(value: unknown): { success: boolean } {
  return { success: bool(obj(value, 'body'), 'success', 'body') };
}

/** Wraps a reader so that a shape problem becomes the client's typed error. */
export function decodeWith<T>(reader: (v: unknown) => T, route: string): (v: unknown) => T {
  return (v) => {
    try {
      return reader(v);
    } catch (e) {
      if (e instanceof ShapeError) {
        throw new BeeperApiError({
          kind: 'badResponse',
          route,
          message: `Beeper Desktop sent an answer this extension cannot read (${e.message}).`,
          hint: 'Update Beeper Desktop and this extension; if it persists, report it with the Beeper output log.',
        });
      }
      throw e;
    }
  };
}
