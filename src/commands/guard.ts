// Commands that need Beeper Desktop check the connection first when its state is not known to be
// good (right after the window opened, or while Beeper Desktop was not answering), then either go
// on or say what is wrong and offer the way out.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { ConnectionService } from '../connection/connectionService';
import { untrusted } from '../text/untrusted';

export async function ensureConnected(connection: ConnectionService): Promise<boolean> {
  if (connection.state === 'connected') return true;
  const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Beeper: checking the connection…') }, () => connection.check());
  if (state === 'connected') return true;
  const connect = vscode.l10n.t('Connect');
  const settings = vscode.l10n.t('Open Settings');
  const review = vscode.l10n.t('Review Address');
  const why = connection.lastError ? untrusted(describeError(connection.lastError), 600) : '';
  let message: string;
  let actions: string[];
  switch (state) {
    case 'signedOut':
      message = vscode.l10n.t('Beeper: not connected to Beeper Desktop yet.');
      actions = [connect];
      break;
    case 'unauthorized':
      message = vscode.l10n.t('Beeper Desktop did not accept the access token. Connect again to get a new one.');
      actions = [connect];
      break;
    case 'misconfigured':
      message = vscode.l10n.t('Beeper: the beeper.baseUrl setting is not a usable address. {0}', why);
      actions = [settings];
      break;
    case 'notApproved':
      message = vscode.l10n.t('Beeper: {0}', why);
      actions = [review, settings];
      break;
    default:
      message = vscode.l10n.t('Beeper Desktop is not answering. {0}', why);
      actions = [connect, settings];
  }
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice === connect) void vscode.commands.executeCommand('beeper.connect');
  else if (choice === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'beeper.baseUrl');
  else if (choice === review) void vscode.commands.executeCommand('beeper.reviewAddress');
  return false;
}
