// Commands on the tree and its rows.
import * as vscode from 'vscode';
import { untrusted } from '../text/untrusted';
import type { BeeperTreeProvider } from '../tree/provider';
import type { TreeNode } from '../tree/nodes';

export function registerTreeCommands(tree: BeeperTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('beeper.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('beeper.loadMore', (node?: TreeNode) => {
      if (node?.kind === 'loadMore') return tree.loadMore(node);
    }),
    vscode.commands.registerCommand('beeper.showNewer', (node?: TreeNode) => {
      if (node?.kind === 'newer') tree.showNewer(node);
    }),
    vscode.commands.registerCommand('beeper.retry', (node?: TreeNode) => tree.retry(node)),
    vscode.commands.registerCommand('beeper.copyId', async (node?: TreeNode) => {
      const id = node?.kind === 'chat' ? node.chat.id : node?.kind === 'account' ? node.account.accountID : node?.kind === 'bridge' ? node.group.id : undefined;
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', untrusted(id, 100)), 3000);
    }),
  ];
}
