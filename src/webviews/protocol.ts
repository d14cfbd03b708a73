// The messages between the extension host and its webview pages, shared by both sides (the page
// bundles in src/webview-ui/ import these types; nothing here runs). Every page says `ready`
// once its script is listening; the host sends updates only after that.

/** What the chat page may ask of the host. Anything else is ignored by the host. */
export type ChatPageRequest =
  | { type: 'ready' }
  | { type: 'copy'; value: string }
  | { type: 'openInBeeper' }
  | { type: 'refresh' }
  | { type: 'showMoreParticipants' };

/** A chat changed while its page is open: the page redraws these parts in place. */
export interface ChatStateUpdate {
  type: 'state';
  title: string;
  unread: string;
  mentions?: string;
  activity: { iso?: string; text: string; title?: string };
  flags: string[];
  noFlags: string;
}

/** What the host sends the chat page. */
export type ChatPageUpdate = ChatStateUpdate | { type: 'deleted'; message: string };

/** What the page keeps across a reload (vscode.setState): enough to reopen the same chat. */
export interface ChatPageState {
  chatID: string;
  title?: string;
}

/** What the login page may ask of the host. */
export type LoginPageRequest = { type: 'ready' } | { type: 'cancel' };

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
export type BridgePageRequest = { type: 'ready' } | { type: 'addAccount'; flowID: string };

/** What the bridge page keeps across a reload. */
export interface BridgePageState {
  bridgeID: string;
}
