// The chat page's words, translated on the host (the page cannot call vscode.l10n) and handed to
// its script once, in the shell.
import * as vscode from 'vscode';

/** The chat page's words, translated here (the page cannot call vscode.l10n). */
export function chatPageStrings(): Record<string, string> {
  const keys = [
    'Today', 'Yesterday', 'You', 'yourself', 'just now', 'edited', 'Sending…', 'Not sent: {0}', 'unknown error', 'Retry', 'Message deleted', 'Attachment',
    'Reply to a message that is not available', 'Go to the message this replies to', 'Save As…', 'Open in Beeper', 'Message actions', 'Reply', 'React', 'Copy text',
    'Edit', 'Delete', 'Loading older messages…', 'This is the start of the conversation.', 'Loading newer messages…', 'Jump to newest ({0})', 'Jump to newest',
    'This message is {0} characters long; the most that can be sent at once is {1}.', '{0} of at most {1} characters.', 'Replying to {0}', 'Edit message', 'Save',
    'Cancel', 'React with {0}', 'Any emoji…', 'Loading more participants…', 'Message (Enter to send, Shift+Enter for a new line)', 'Show all ({0} characters)',
  ];
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = vscode.l10n.t(k);
  return out;
}

