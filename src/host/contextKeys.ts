// The `when`-clause context keys this extension sets, in one place: their names and who sets them.
import * as vscode from 'vscode';

export type ContextKey =
  /** The connection state (ConnectionService): signedOut, unreachable, unauthorized, connected, … */
  | 'beeper.state'
  /** Whether Beeper Desktop has any account (the tree's welcome view). */
  | 'beeper.hasAccounts'
  /** The Inbox shows a filter other than All (its Clear Filter button). */
  | 'beeper.inbox.filtered'
  /** The Inbox has no rows under its filter (the welcome view offers Show All Chats). */
  | 'beeper.inbox.empty'
  /** The focused chat panel's chat, as triage words (the panel's title-bar menus). */
  | 'beeper.activeChat'
  /** A search was opened in the Search Results view (the view shows). */
  | 'beeper.searchResults.active';

export function setContext(key: ContextKey, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
