// Loads the QR encoder bundle on first use, so it stays off the activation path.
import type * as Qr from './qr';

type QrModule = typeof Qr;

export function loadQr(): QrModule {
  // './qr.js' is external in the bundle: dist/extension.js loads dist/qr.js here, once (require caches it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./qr.js') as QrModule;
}

