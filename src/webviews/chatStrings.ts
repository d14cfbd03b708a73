// The chat page's words, translated on the host (the page cannot call vscode.l10n) and handed to
// its script once, in the shell. Each is a literal l10n.t call, so string extraction finds it.
import * as vscode from 'vscode';

/** The chat page's words, translated here (the page cannot call vscode.l10n). */
export function chatPageStrings(): Record<string, string> {
  return {
    'Today': vscode.l10n.t('Today'),
    'Yesterday': vscode.l10n.t('Yesterday'),
    'You': vscode.l10n.t('You'),
    'yourself': vscode.l10n.t('yourself'),
    'just now': vscode.l10n.t('just now'),
    'edited': vscode.l10n.t('edited'),
    'Sending…': vscode.l10n.t('Sending…'),
    'Not sent: {0}': vscode.l10n.t('Not sent: {0}'),
    'unknown error': vscode.l10n.t('unknown error'),
    'Retry': vscode.l10n.t('Retry'),
    'Message deleted': vscode.l10n.t('Message deleted'),
    'Attachment': vscode.l10n.t('Attachment'),
    'Reply to a message that is not available': vscode.l10n.t('Reply to a message that is not available'),
    'Go to the message this replies to': vscode.l10n.t('Go to the message this replies to'),
    'Save As…': vscode.l10n.t('Save As…'),
    'Open in Beeper': vscode.l10n.t('Open in Beeper'),
    'Message actions': vscode.l10n.t('Message actions'),
    'Reply': vscode.l10n.t('Reply'),
    'React': vscode.l10n.t('React'),
    'Copy text': vscode.l10n.t('Copy text'),
    'Edit': vscode.l10n.t('Edit'),
    'Delete': vscode.l10n.t('Delete'),
    'Loading older messages…': vscode.l10n.t('Loading older messages…'),
    'This is the start of the conversation.': vscode.l10n.t('This is the start of the conversation.'),
    'Loading newer messages…': vscode.l10n.t('Loading newer messages…'),
    'Jump to newest ({0})': vscode.l10n.t('Jump to newest ({0})'),
    'Jump to newest': vscode.l10n.t('Jump to newest'),
    'This message is {0} characters long; the most that can be sent at once is {1}.': vscode.l10n.t('This message is {0} characters long; the most that can be sent at once is {1}.'),
    '{0} of at most {1} characters.': vscode.l10n.t('{0} of at most {1} characters.'),
    'Replying to {0}': vscode.l10n.t('Replying to {0}'),
    'Edit message': vscode.l10n.t('Edit message'),
    'Save': vscode.l10n.t('Save'),
    'Cancel': vscode.l10n.t('Cancel'),
    'React with {0}': vscode.l10n.t('React with {0}'),
    'Any emoji…': vscode.l10n.t('Any emoji…'),
    'Loading more participants…': vscode.l10n.t('Loading more participants…'),
    'Message (Enter to send, Shift+Enter for a new line)': vscode.l10n.t('Message (Enter to send, Shift+Enter for a new line)'),
    'Show all ({0} characters)': vscode.l10n.t('Show all ({0} characters)'),
  };
}
