// Loads the HTML-to-text bundle (htmlparser2, about 140 KB) when message HTML first needs to
// become text (a notification, a send check, a chat tool), so it stays off the activation path,
// like the QR encoder.
import type * as MessageText from './messageText';

export function loadMessageText(): typeof MessageText {
  // './html.js' is external in the bundle: dist/extension.js loads dist/html.js here, once.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./html.js') as typeof MessageText;
}
