// Entry point: wires the services together and nothing else. Activation makes no request; the
// first one goes out when the Beeper view is shown or, for the status bar, just after.
import * as vscode from 'vscode';
import { registerAccountCommands } from './commands/accountCommands';
import { registerChatCommands } from './commands/chatCommands';
import { registerConnectCommands } from './commands/connectCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { ConnectionService } from './connection/connectionService';
import { LoginService } from './login/loginService';
import { HealthStatusItem } from './statusBar/healthItem';
import type { TreeNode } from './tree/nodes';
import { BeeperTreeProvider } from './tree/provider';
import { ChatPanels } from './webviews/chatPanels';

/** What activate returns: used by the integration tests and the benchmark, not a public API. */
export interface BeeperExtensionApi {
  connection: ConnectionService;
  tree: BeeperTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  chatPanels: ChatPanels;
  logins: LoginService;
  health: HealthStatusItem;
  /** From activate() being called to it returning, in ms (the benchmark reports it). */
  activationMs: number;
  /** Requests sent before activate() returned (the goal is none). */
  requestsDuringActivation: number;
  /** Where this extension's log files go (the security tests grep them for the token). */
  logUri: vscode.Uri;
}

let logins: LoginService | undefined;

export function activate(context: vscode.ExtensionContext): BeeperExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Beeper', { log: true });
  const connection = new ConnectionService(context.secrets, log);
  const tree = new BeeperTreeProvider(connection);
  const treeView = vscode.window.createTreeView('beeper.bridges', { treeDataProvider: tree, showCollapseAll: true });
  const accountLabel = (accountID: string) => tree.accountLabelFor(accountID);
  const chatPanels = new ChatPanels(context.extensionUri, connection, accountLabel);
  logins = new LoginService(context.extensionUri, connection);
  const health = new HealthStatusItem(connection, tree);

  context.subscriptions.push(
    log,
    connection,
    tree,
    treeView,
    chatPanels,
    logins,
    health,
    connection.onDidChange(() => tree.reset()),
    tree.onDidChangeUnread((total) => {
      treeView.badge = total > 0 ? { value: total, tooltip: total === 1 ? vscode.l10n.t('1 unread message') : vscode.l10n.t('{0} unread messages', total) } : undefined;
    }),
    ...registerTreeCommands(tree),
    ...registerConnectCommands(connection),
    ...registerChatCommands(connection, chatPanels, accountLabel),
    ...registerAccountCommands(connection, tree, treeView, logins),
  );
  // After activation has returned: the status bar's first read (shared with the tree).
  setTimeout(() => health.start(), 0);
  return { connection, tree, treeView, chatPanels, logins, health, activationMs: performance.now() - started, requestsDuringActivation: connection.requestCount, logUri: context.logUri };
}

/** A login in progress is cancelled on the server before the window goes. */
export async function deactivate(): Promise<void> {
  await logins?.cancelAll();
}
