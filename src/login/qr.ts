// QR codes as SVG, drawn locally from the login step's data (nothing leaves the machine).
// Built as its own bundle (dist/qr.js) and loaded only when a QR step appears.
import * as QRCode from 'qrcode';

/** Dark modules on a light quiet zone: phones read it whatever the editor theme is. */
export function qrSvg(data: string): Promise<string> {
  return QRCode.toString(data, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000ff', light: '#ffffffff' } });
}
