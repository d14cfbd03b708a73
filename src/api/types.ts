// Types of the Beeper Desktop API as the extension reads it.
// Stable routes follow the official OpenAPI spec 5.0.0; bridge and login routes follow the
// bridge documents (newer than the SDK). Enum-typed fields keep unknown values as plain strings:
// new statuses appear with every Beeper release and must be shown, not rejected.

/** A known literal, or any other string the server may send in a newer release. */
export type Open<T extends string> = T | (string & { readonly __open?: never });

export const BRIDGE_PROVIDERS = ['local', 'cloud', 'self-hosted', 'platform-sdk'] as const;
export type BridgeProvider = Open<(typeof BRIDGE_PROVIDERS)[number]>;

export const ACCOUNT_STATUSES = [
  'connected',
  'connecting',
  'backfilling',
  'connection_required',
  'reconnect_required',
  'attention_required',
  'disconnected',
  'disabled',
] as const;
export type AccountStatus = Open<(typeof ACCOUNT_STATUSES)[number]>;

export const BRIDGE_STATUSES = ['available', 'connected', 'limit_reached', 'temporarily_unavailable', 'disabled'] as const;
export type BridgeStatus = Open<(typeof BRIDGE_STATUSES)[number]>;

export type LoginSessionStatus = Open<
  'waiting_for_input' | 'waiting_for_cookies' | 'waiting_for_display' | 'complete' | 'cancelled' | 'failed'
>;

export interface User {
  id: string;
  username?: string;
  phoneNumber?: string;
  email?: string;
  fullName?: string;
  imgURL?: string;
  cannotMessage?: boolean;
  isSelf?: boolean;
}

export interface Participant extends User {
  isAdmin?: boolean;
  isPending?: boolean;
  isNetworkBot?: boolean;
}

export interface AccountBridge {
  id: string;
  provider: BridgeProvider;
  type: string;
}

export interface Account {
  accountID: string;
  bridge?: AccountBridge;
  /** Missing on a Beeper Desktop older than the bridge API. */
  status?: AccountStatus;
  statusText?: string;
  user: User;
  network?: string;
  loginID?: string;
  capabilities?: Record<string, unknown>;
}

export interface Bridge {
  id: string;
  accounts: Account[];
  activeAccountCount: number;
  displayName: string;
  provider: BridgeProvider;
  status: BridgeStatus;
  supportsMultipleAccounts: boolean;
  type: string;
  network?: string;
  statusText?: string;
}

export interface ProvisioningCapabilities {
  group_creation: Record<string, Record<string, unknown>>;
  resolve_identifier: Record<string, unknown>;
  image_pack_import?: boolean;
  /** Top-level keys this client does not know, kept as they came (shown, never dropped). */
  extra?: Record<string, unknown>;
}

export interface LoginFlow {
  id: string;
  name?: string;
  description?: string;
}

export interface LoginInputField {
  id: string;
  label?: string;
  placeholder?: string;
  initialValue?: string;
  optional?: boolean;
  /** Suggested input type: text, password, email... */
  type?: string;
}

export interface CookieField {
  id: string;
  name?: string;
  type?: Open<'cookie' | 'header' | 'local_storage'>;
}

export interface UserInputStep {
  type: 'user_input';
  stepID: string;
  fields: LoginInputField[];
  instructions?: string;
  attachments?: unknown[];
}

export interface CookiesStep {
  type: 'cookies';
  stepID: string;
  fields: CookieField[];
  url: string;
  instructions?: string;
  expectedFinalURLRegex?: string;
  /** Opaque helper value from the server. Never evaluated by this extension. */
  extractJS?: string;
  userAgent?: string;
}

export type LoginDisplay =
  | { type: 'qr'; data: string }
  | { type: 'emoji'; imageURL: string }
  | { type: 'nothing' }
  /** A display kind this extension does not know; `originalType` is what the server sent. */
  | { type: 'unknown'; originalType: string };

export interface DisplayAndWaitStep {
  type: 'display_and_wait';
  stepID: string;
  display: LoginDisplay;
  instructions?: string;
}

export interface BridgeLogin {
  bridgeID: string;
  loginID: string;
  removeScopes: string[];
  status: Open<'connected' | 'connecting' | 'needs_login' | 'logged_out' | 'unknown'>;
  accountIDs?: string[];
  statusText?: string;
  user?: User;
}

export interface CompleteStep {
  type: 'complete';
  stepID?: string;
  account?: Account;
  instructions?: string;
  login?: BridgeLogin;
}

/** A step type this extension does not know yet; shown as such, never guessed at. */
export interface UnknownStep {
  type: 'unknown';
  /** The type the server sent. */
  originalType: string;
  stepID?: string;
  instructions?: string;
}

export type LoginStep = UserInputStep | CookiesStep | DisplayAndWaitStep | CompleteStep | UnknownStep;

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export interface LoginSession {
  bridgeID: string;
  loginSessionID: string;
  status: LoginSessionStatus;
  account?: Account;
  accountID?: string;
  loginID?: string;
  currentStep?: LoginStep;
  error?: ApiErrorBody;
  login?: BridgeLogin;
}

export interface CreateLoginSessionParams {
  flowID?: string;
  accountID?: string;
  loginID?: string;
}

export interface SubmitLoginStepParams {
  type: 'user_input' | 'cookies' | 'display_and_wait';
  fields?: Record<string, string>;
  lastURL?: string;
  source?: 'api' | 'webview' | 'browser_extension';
}

export interface LoginSessionCancelResponse {
  bridgeID: string;
  loginSessionID: string;
  status: 'cancelled';
}

export interface Chat {
  id: string;
  accountID: string;
  network: string;
  title: string;
  type: Open<'single' | 'group'>;
  participants: { items: Participant[]; hasMore: boolean; total: number };
  unreadCount: number;
  localChatID?: string | null;
  description?: string | null;
  imgURL?: string | null;
  isReadOnly?: boolean;
  lastActivity?: string;
  unreadMentionsCount?: number;
  lastReadMessageSortKey?: string;
  isArchived?: boolean;
  isMarkedUnread?: boolean;
  isMuted?: boolean;
  isPinned?: boolean;
  isLowPriority?: boolean;
  /** Newer Desktop: this chat was merged into another and is listed under that one. */
  mergedIntoChatID?: string;
  /** Newer Desktop: the chats merged into this one. */
  merge?: { chatIDs: string[] };
  /** Beeper's one draft per chat, across devices (Matrix HTML); null or absent when there is none. */
  draft?: ChatDraft | null;
  /** The reminder set on this chat; null or absent when there is none. */
  reminder?: ChatReminder | null;
  snooze?: { snoozeUntil?: string; userSnoozedAt?: string } | null;
  /** Disappearing-message timer in seconds. */
  messageExpirySeconds?: number | null;
  capabilities?: ChatCapabilities;
}

export interface ChatDraft {
  /** Matrix HTML. */
  text: string;
}

export interface ChatReminder {
  remindAt: string;
  dismissOnIncomingMessage?: boolean;
}

/** -2 rejected, -1 dropped, 0 unsupported, 1 partly, 2 fully (the spec's CapabilitySupportLevel). */
export type SupportLevel = number;

/** The parts of the spec's ChatCapabilities the extension reads (unknown keys are left out). */
export interface ChatCapabilities {
  archive?: boolean;
  markAsUnread?: boolean;
  maxTextLength?: number;
  edit?: SupportLevel;
  /** Seconds after sending that a message can still be edited. */
  editMaxAge?: number;
  delete?: SupportLevel;
  /** Seconds after sending that a message can still be deleted for everyone. */
  deleteMaxAge?: number;
  deleteForMe?: boolean;
  reaction?: SupportLevel;
  /** The reactions this network accepts; absent: any emoji. */
  allowedReactions?: string[];
  readReceipts?: boolean;
  /** Formatting that survives, by feature (code_block, inline_code, …): a support level each. */
  formatting?: Record<string, SupportLevel>;
  /** Files the network takes, by Matrix message type (m.image, m.file, …); a missing type is rejected. */
  attachments?: Record<string, { mimeTypes?: Record<string, SupportLevel>; maxSize?: number }>;
  disappearingTimer?: { types?: string[]; timers?: number[] };
  state?: { title?: { level: SupportLevel }; disappearingTimer?: { level: SupportLevel } };
}

/** PATCH /v1/chats/{id}: the fields the triage verbs and the draft sync set. */
export interface PatchChatParams {
  /** null clears; a non-empty draft is accepted only when the current one is empty (409 otherwise). */
  draft?: { text: string } | null;
  title?: string | null;
  isArchived?: boolean;
  isLowPriority?: boolean;
  isPinned?: boolean;
  isMuted?: boolean;
  messageExpirySeconds?: number | null;
}

/** POST /v1/chats. */
export interface CreateChatParams {
  accountID: string;
  type: 'single' | 'group';
  participantIDs: string[];
  title?: string;
  messageText?: string;
}

/** POST /v1/chats/start: a direct chat from a contact's identifiers. */
export interface StartChatParams {
  accountID: string;
  user: { id?: string; username?: string; phoneNumber?: string; email?: string; fullName?: string };
  messageText?: string;
  allowInvite?: boolean;
}

/** The chat, and whether it already existed (a legacy field; absent on some servers). */
export type StartChatResult = Chat & { status?: Open<'existing' | 'created'> };

/** A message, as the official spec has it (the fields the extension reads). */
export type SendState = Open<'SUCCESS' | 'PENDING' | 'FAIL_RETRIABLE' | 'FAIL_PERMANENT'>;

/** How the send of the user's own message went, when the bridge reports it. */
export interface SendStatus {
  status: SendState;
  /** Machine-readable failure reason. */
  reason?: string;
  /** Human-readable status or failure message (written by the bridge: untrusted). */
  message?: string;
  timestamp?: string;
  /** User IDs the message was delivered to, when the network reports it. */
  deliveredToUsers?: string[];
}

export interface Attachment {
  /** Usually an mxc:// URL; served by GET /v1/assets/serve. */
  id?: string;
  type: Open<'unknown' | 'img' | 'video' | 'audio'>;
  srcURL?: string;
  mimeType?: string;
  fileName?: string;
  fileSize?: number;
  isGif?: boolean;
  isSticker?: boolean;
  isVoiceNote?: boolean;
  duration?: number;
  posterImg?: string;
  size?: { width: number; height: number };
}

export interface LinkPreview {
  url: string;
  title: string;
  originalURL?: string;
  summary?: string;
  img?: string;
  favicon?: string;
}

export interface Reaction {
  id: string;
  reactionKey: string;
  participantID: string;
  emoji?: boolean;
  imgURL?: string;
}

export interface Message {
  id: string;
  chatID: string;
  accountID: string;
  senderID: string;
  senderName?: string;
  timestamp: string;
  sortKey: string;
  type?: Open<'TEXT' | 'NOTICE' | 'IMAGE' | 'VIDEO' | 'VOICE' | 'AUDIO' | 'FILE' | 'STICKER' | 'LOCATION' | 'REACTION'>;
  /** Matrix HTML. */
  text?: string;
  editedTimestamp?: string;
  isSender?: boolean;
  sendStatus?: SendStatus;
  isHidden?: boolean;
  isDeleted?: boolean;
  isUnread?: boolean;
  attachments?: Attachment[];
  /** The message this one replies to. */
  linkedMessageID?: string;
  /** Mentioned user IDs, `@room`, or null for legacy messages. */
  mentions?: string[] | null;
  links?: LinkPreview[];
  reactions?: Reaction[];
  /** Read receipts: true, when (ISO), or per participant ID (true or when). Absent: not reported. */
  seen?: boolean | string | Record<string, boolean | string>;
}

export interface SendMessageParams {
  /** Markdown or plain text; the API converts it to Matrix HTML. */
  text?: string;
  replyToMessageID?: string;
  attachment?: { uploadID: string; mimeType?: string; fileName?: string; type?: string };
}

export interface SendMessageResult {
  chatID: string;
  pendingMessageID: string;
}

export interface UploadResult {
  uploadID?: string;
  srcURL?: string;
  fileName?: string;
  mimeType?: string;
  fileSize?: number;
  width?: number;
  height?: number;
  duration?: number;
  error?: string;
}

/** A cursor page as the API returns it: `oldestCursor` with `direction=before` fetches older items. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
  oldestCursor: string | null;
  newestCursor: string | null;
}

export interface ServerInfo {
  app: { name: string; version: string; bundle_id?: string };
  platform?: { os?: string; arch?: string; release?: string };
  server: { status: string; base_url: string; port: number; hostname?: string; remote_access?: boolean; mcp_enabled?: boolean };
  endpoints?: {
    oauth?: {
      authorization_endpoint?: string;
      token_endpoint?: string;
      revocation_endpoint?: string;
      registration_endpoint?: string;
      introspection_endpoint?: string;
      userinfo_endpoint?: string;
    };
    spec?: string;
    /** Beeper Desktop's MCP server (streamable HTTP), usually `/v0/mcp` on the base URL. */
    mcp?: string;
    ws_events?: string;
  };
}

/** GET /v1/messages/search: literal words and filters across chats (the spec's parameters). */
export interface MessageSearchParams {
  query?: string;
  chatIDs?: string[];
  accountIDs?: string[];
  chatType?: 'group' | 'single';
  mediaTypes?: ('any' | 'video' | 'image' | 'link' | 'file')[];
  /** 'me', 'others' or a user ID. */
  sender?: string;
  /** ISO 8601; strictly after / before. */
  dateAfter?: string;
  dateBefore?: string;
  /** 1–20 (the spec's maximum). */
  limit?: number;
  cursor?: string;
  direction?: Direction;
  excludeLowPriority?: boolean;
  includeMuted?: boolean;
}

/** A page of matches, newest first, with the chats they are in. */
export interface MessageSearchResult extends Page<Message> {
  chats: Record<string, Chat>;
}

export type Direction = 'before' | 'after';

export interface ChatSearchParams {
  accountIDs?: string[];
  query?: string;
  limit?: number;
  cursor?: string;
  direction?: Direction;
  inbox?: 'primary' | 'low-priority' | 'archive';
  includeMuted?: boolean;
  unreadOnly?: boolean;
  type?: 'single' | 'group' | 'any';
  /** 'titles' (the default) matches title and network; 'participants' matches participant names. */
  scope?: 'titles' | 'participants';
}

export interface ContactListParams {
  cursor?: string;
  direction?: Direction;
  limit?: number;
  query?: string;
}

export interface FocusParams {
  chatID?: string;
  messageID?: string;
  draftText?: string;
}
