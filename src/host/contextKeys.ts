// The `when`-clause context keys this extension sets, in one place: their names and who sets them.
import * as vscode from 'vscode';

export type ContextKey =
  /** The connection state (ConnectionService): signedOut, unreachable, unauthorized, connected, … */
  | 'beeper.state'
  /** Whether Beeper Desktop has any account (the tree's welcome view). */
  | 'beeper.hasAccounts';

export function setContext(key: ContextKey, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
