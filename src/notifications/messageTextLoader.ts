// Loads the HTML-to-text bundle (htmlparser2, about 140 KB) on the first notification, so it
// stays off the activation path, like the QR encoder.
import type * as MessageText from './messageText';

export function loadMessageText(): typeof MessageText {
  // './html.js' is external in the bundle: dist/extension.js loads dist/html.js here, once.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./html.js') as typeof MessageText;
}
