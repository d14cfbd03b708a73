// Entry point: wires the services together and nothing else. Activation makes no request;
// the first one goes out when the Beeper view is shown.
import * as vscode from 'vscode';
import { registerChatCommands } from './commands/chatCommands';
import { registerConnectCommands } from './commands/connectCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { ConnectionService } from './connection/connectionService';
import { BeeperTreeProvider } from './tree/provider';
import type { TreeNode } from './tree/nodes';
import { ChatPanels } from './webviews/chatPanels';

/** What activate returns: used by the integration tests, not a public API. */
export interface BeeperExtensionApi {
  connection: ConnectionService;
  tree: BeeperTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  chatPanels: ChatPanels;
}

export function activate(context: vscode.ExtensionContext): BeeperExtensionApi {
  const log = vscode.window.createOutputChannel('Beeper', { log: true });
  const connection = new ConnectionService(context.secrets, log);
  const tree = new BeeperTreeProvider(connection);
  const treeView = vscode.window.createTreeView('beeper.bridges', { treeDataProvider: tree, showCollapseAll: true });
  const accountLabel = (accountID: string) => tree.accountLabelFor(accountID);
  const chatPanels = new ChatPanels(context.extensionUri, connection, accountLabel);

  context.subscriptions.push(
    log,
    connection,
    tree,
    treeView,
    chatPanels,
    connection.onDidChange(() => tree.reset()),
    tree.onDidChangeUnread((total) => {
      treeView.badge = total > 0 ? { value: total, tooltip: vscode.l10n.t('{0} unread messages', total) } : undefined;
    }),
    ...registerTreeCommands(tree),
    ...registerConnectCommands(connection),
    ...registerChatCommands(connection, chatPanels, accountLabel),
  );
  return { connection, tree, treeView, chatPanels };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
