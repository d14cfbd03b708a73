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
};

