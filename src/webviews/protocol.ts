// The messages between the extension host and its webview pages, shared by both sides (the page
// bundles in src/webview-ui/ import these types; nothing here runs). Every page says `ready`
// once its script is listening (again after VS Code discarded a hidden page); the host queues
// its posts until then and answers every `ready` by replaying the current state. What the host
// accepts from a page is checked field by field in validate.ts before anything reads it.

/** What the chat page may ask of the host. Anything else is ignored by the host. */
export type ChatPageRequest =
  /** The page's script is listening; `anchorID` is the message it showed before a reload. */
  | { type: 'ready'; anchorID?: string }
  | { type: 'copy'; value: string }
  | { type: 'openInBeeper'; messageID?: string }
  | { type: 'refresh' }
  | { type: 'showMoreParticipants' }
  /** Scrolled near the top (older page) or the bottom of a window that stops short (newer page). */
  | { type: 'loadOlder' }
  | { type: 'loadNewer' }
  | { type: 'jumpToNewest' }
  /** Bring this message into the window (a reply's quote was clicked). */
  | { type: 'reveal'; id: string }
  | { type: 'send'; requestID: number; text: string; replyTo?: string }
  /** A text over the network's limit: sent in parts, or as a text file. */
  | { type: 'sendLong'; requestID: number; text: string; how: 'split' | 'file' }
  | { type: 'retry'; id: string }
  /** Adds the reaction, or removes it when it is the user's own. */
  | { type: 'react'; id: string; key: string }
  /** "Any emoji…": the host asks for one. */
  | { type: 'pickReaction'; id: string }
  | { type: 'edit'; requestID: number; id: string; text: string }
  | { type: 'delete'; id: string }
  | { type: 'copyText'; id: string }
  | { type: 'openLink'; url: string }
  /** A code link in a message (its number in the message's `code`): the host opens the file. */
  | { type: 'openCode'; id: string; n: number }
  | { type: 'saveAttachment'; id: string; index: number }
  | { type: 'draft'; text: string }
  /** Whether the newest message is in view (the host marks the chat read). */
  | { type: 'viewport'; atBottom: boolean }
  /** The page has drawn every window update up to `seq` (the host paces them: src/webviews/windowFlow.ts). */
  | { type: 'applied'; seq: number };

/** The chat as the page shows it (header and details): sent on `ready` and whenever it changes. */
export interface ChatStateUpdate {
  type: 'state';
  title: string;
  /** Network, account, kind of chat: already worded. */
  subtitle: string[];
  isGroup: boolean;
  /** Key of the chat's avatar in the page's images (see `images`); initials otherwise. */
  avatar?: string;
  description?: string;
  /** The identifiers the details list, each with its copy button's title. */
  ids: { label: string; value: string; copyTitle: string }[];
  unread: string;
  mentions?: string;
  activity: { iso?: string; text: string; title?: string };
  flags: string[];
  noFlags: string;
  /** What the network takes (chat capabilities): no reactions, or only these; absent: any. */
  reactions?: { off?: boolean; allowed?: string[] };
}

export interface ViewAttachment {
  kind: 'image' | 'video' | 'audio' | 'file' | 'sticker';
  /** Index in the message's attachments (for Save As…). */
  index: number;
  name: string;
  /** "1.2 MB · PDF", already worded. */
  detail: string;
  width?: number;
  height?: number;
  /** Key of the image the host is fetching; an `asset` update brings its URL. */
  assetKey?: string;
  /** The image's URL in the page (a webview resource from the disk cache), once fetched. */
  src?: string;
}

export interface ViewReaction {
  key: string;
  count: number;
  mine: boolean;
  /** Who reacted, worded ("Ada, Grace and you"). */
  who: string;
}

/** A message as the page shows it. Text fields are untrusted; `html` is sanitized by the page. */
export interface ViewMessage {
  id: string;
  sortKey: string;
  senderID: string;
  sender: string;
  mine: boolean;
  time: string;
  edited?: string;
  deleted?: boolean;
  notice?: boolean;
  /** Matrix HTML from the network: rendered only through the page's sanitizer. */
  html?: string;
  attachments?: ViewAttachment[];
  links?: { url: string; title: string; summary?: string; img?: string }[];
  /**
   * Code in the text that opens in the editor: the exact text to mark (already in the message)
   * and its hover. The file it opens stays in the host; the page only says which one (`n`).
   */
  code?: { n: number; text: string; title: string }[];
  reactions?: ViewReaction[];
  replyTo?: { id: string; sender?: string; html?: string; missing?: boolean };
  send?: { state: 'pending' | 'failed'; reason?: string };
  canEdit: boolean;
  canDelete: boolean;
  /** Your own message's receipt, worded: sent, delivered, read (by whom, or when). */
  receipt?: { state: 'sent' | 'delivered' | 'read'; text: string; at?: string };
  /** Key of the sender's avatar in the page's images. */
  avatar?: string;
}

export interface ViewParticipant {
  name: string;
  handle?: string;
  badges: string[];
  /** Key of the avatar in the page's images. */
  avatar?: string;
  self: boolean;
}

/** What the host sends the chat page. */
export type ChatPageUpdate =
  | ChatStateUpdate
  | { type: 'deleted'; message: string }
  | {
      type: 'window';
      reason: 'reset' | 'older' | 'newer' | 'live';
      upserted: ViewMessage[];
      removed: string[];
      atStart: boolean;
      atEnd: boolean;
      /** Messages that arrived below a window that stops short. */
      unseen: number;
      /** The update's number, for the page's `applied` (absent while the page is not ready). */
      seq?: number;
    }
  | { type: 'loading'; which: 'older' | 'newer' | 'none'; error?: string }
  | { type: 'asset'; key: string; src: string }
  /** Images the page has not had yet, by key: each distinct image goes to the page once. */
  | { type: 'images'; images: Record<string, string> }
  | { type: 'reveal'; id: string; restore?: boolean; notFound?: string }
  | { type: 'response'; requestID: number; ok: boolean; error?: string }
  | { type: 'composer'; disabled?: string; draft?: string; /** The draft that lost to `draft` when a chat opened (one undo step in the composer). */ draftUndo?: string; maxLength: number; /** Replaces the composer's text and focuses it (Send Selection). */ insert?: string }
  | { type: 'participants'; items: ViewParticipant[]; count: string; more?: string; loading?: boolean }
  /** From a message's context menu: the page starts a reply or an inline edit. */
  | { type: 'startReply'; id: string }
  | { type: 'startEdit'; id: string };

/** What the page keeps across a reload (vscode.setState). */
export interface ChatPageState {
  chatID: string;
  title?: string;
  draft?: string;
  replyTo?: string;
  /** The message at the top of the view and its offset, to come back to the same place. */
  anchorID?: string;
  anchorOffset?: number;
  atBottom?: boolean;
}

/** The page's words (l10n), given once in the HTML. */
export interface ChatPageStrings {
  [key: string]: string;
}

/** Every page's first word (and its word again after VS Code reloaded it). */
export interface ReadyRequest {
  type: 'ready';
}

/** What the login page may ask of the host. */
export type LoginPageRequest = ReadyRequest | { type: 'cancel' };

/** What the host sends the login page: a refreshed or new display, drawn in place. */
export interface LoginDisplayMessage {
  type: 'display';
  kind: 'qr' | 'emoji' | 'nothing';
  imageSrc?: string;
  alt: string;
  heading: string;
  instructions: string;
}

export type LoginPageUpdate = LoginDisplayMessage;

/** What the bridge details page may ask of the host. */
export type BridgePageRequest = ReadyRequest | { type: 'addAccount'; flowID: string };

/** What the host sends the bridge page: nothing yet (its HTML is static). */
export type BridgePageUpdate = never;

/** What the bridge page keeps across a reload. */
export interface BridgePageState {
  bridgeID: string;
}
