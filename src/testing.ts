// The testing port: what integration tests and the benchmark may read or turn, in one place,
// instead of public fields on product classes. Nothing here changes what a user sees; it is
// returned by activate() next to the services.
import type * as vscode from 'vscode';
import type { Conversation } from './model/conversation';
import type { ChatPageMirror } from './webviews/chatPageState';
import type { MessageNotifier, NotifierUi } from './notifications/notifier';
import type { ChatPanels } from './webviews/chatPanels';
import type { TriageCommands, TriageUi } from './commands/triageCommands';
import type { ChatPageUpdate } from './webviews/protocol';

/** One chat panel as a test sees it. */
export interface ChatPageProbe {
  readonly panel: vscode.WebviewPanel;
  /** The page's shell (or its error page). */
  readonly html: string;
  /** What the page shows once current: the chat, participants, images, the window of messages. */
  readonly page: ChatPageMirror;
  /** The newest 200 updates posted, in order. */
  readonly posted: readonly ChatPageUpdate[];
  /** How many times the page said `ready` and got the state replayed. */
  readonly replays: number;
  /** Whether posts reach the page now (it said `ready`, and is shown or retained). */
  readonly ready: boolean;
  readonly conversation: Conversation;
  /** Reads of this chat's messages (list or search pages, single messages), sends and marks read. */
  readonly stats: { pageRequests: number; olderPages: number; sends: number; markedRead: number };
  /** Local image bytes copied for the page's avatars. */
  readonly imageBytes: number;
  /** As if the page sent this message; resolves when it was handled. */
  receive(message: unknown): Promise<void>;
  whenReady(): Promise<void>;
  /** Whether an update of this type reached the page after it said `ready`. */
  delivered(type: ChatPageUpdate['type']): boolean;
}

export interface TestingPort {
  /** Pretends the window is focused (true), unfocused (false), or reads VS Code again (undefined). */
  setWindowFocused(focused: boolean | undefined): void;
  /** Notifications and their reply box go to `ui` (undefined: VS Code's again), folded per chat over `windowMs`. */
  setNotificationUi(ui: NotifierUi | undefined, windowMs?: number): void;
  /** The chat's open panel, as a probe. */
  chatPage(chatID: string): ChatPageProbe | undefined;
  /** The triage verbs' notifications and picks go to `ui` (undefined: VS Code's again). */
  setTriageUi(ui: TriageUi | undefined): void;
}

export function createTestingPort(chatPanels: ChatPanels, notifier: MessageNotifier, triage: TriageCommands, setFocus: (focused: boolean | undefined) => void): TestingPort {
  return {
    setWindowFocused: setFocus,
    setTriageUi: (ui) => triage.useForTesting(ui),
    setNotificationUi: (ui, windowMs) => notifier.useForTesting(ui, windowMs),
    chatPage(chatID) {
      const p = chatPanels.get(chatID);
      if (!p) return undefined;
      return {
        panel: p.panel,
        get html() {
          return p.html;
        },
        page: p.page,
        get posted() {
          return p.posted;
        },
        get replays() {
          return p.replays;
        },
        get ready() {
          return p.ready;
        },
        get conversation() {
          return p.conversation;
        },
        get stats() {
          return { pageRequests: p.session.requests, olderPages: p.session.reads.older, sends: p.sending.sends, markedRead: p.markedRead };
        },
        get imageBytes() {
          return p.images.copiedBytes;
        },
        receive: (message) => p.receive(message),
        whenReady: () => p.whenReady(),
        delivered: (type) => p.delivered(type),
      };
    },
  };
}
