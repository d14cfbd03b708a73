// The `beeper.*` settings' types and defaults, the same as package.json's (a unit test keeps them
// equal). Pure: no vscode import.
export interface BeeperSettings {
  baseUrl: string;
  requestTimeoutSeconds: number;
  chatPageSize: number;
  showArchivedChats: boolean;
  localMediaRoots: string[];
  healthRefreshSeconds: number;
  loadRemoteImages: boolean;
  liveUpdates: boolean;
  pollSeconds: number;
  notifications: 'mentionsAndDirect' | 'all' | 'off';
  languageModelTools: 'read' | 'readAndSend' | 'off';
  mcpServer: boolean;
  'catchUp.quietChats': 'last' | 'hide';
  'chat.participant': boolean;
  'ai.shareMessages': 'unreadOnly' | 'recent';
  'ai.maxChars': number;
  'ai.pseudonyms': boolean;
}

export const SETTING_DEFAULTS: BeeperSettings = {
  baseUrl: 'http://localhost:23373',
  requestTimeoutSeconds: 15,
  chatPageSize: 50,
  showArchivedChats: false,
  localMediaRoots: [],
  healthRefreshSeconds: 120,
  loadRemoteImages: true,
  liveUpdates: true,
  pollSeconds: 30,
  notifications: 'mentionsAndDirect',
  languageModelTools: 'read',
  mcpServer: false,
  'catchUp.quietChats': 'last',
  'chat.participant': true,
  'ai.shareMessages': 'unreadOnly',
  'ai.maxChars': 12_000,
  'ai.pseudonyms': true,
};


/**
 * Settings that widen what leaves this machine or what the chat agent may do. They are
 * application-scoped in package.json (user settings only) and listed in
 * `restrictedConfigurations`; `setting()` reads them from user settings alone, so a repository's
 * `.vscode/settings.json` (or a dev container's) can never turn them on.
 */
export const USER_ONLY_SETTINGS: readonly (keyof BeeperSettings)[] = ['baseUrl', 'localMediaRoots', 'loadRemoteImages', 'languageModelTools', 'mcpServer', 'chat.participant', 'ai.shareMessages', 'ai.maxChars', 'ai.pseudonyms'];
