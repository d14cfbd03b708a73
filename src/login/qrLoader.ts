// Loads the QR encoder bundle on first use, so it stays off the activation path.
type QrModule = typeof import('./qr');

let loaded: QrModule | undefined;

export function loadQr(): QrModule {
  // './qr.js' is external in the bundle: dist/extension.js loads dist/qr.js at this point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./qr.js') as QrModule);
}

/** Whether the QR bundle has been loaded in this extension host (the benchmark reports it). */
export function qrLoaded(): boolean {
  return loaded !== undefined;
}
