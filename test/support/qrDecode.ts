// Reads a QR code back from the SVG the extension draws: the SVG's path is rasterised into
// pixels and handed to jsQR, an independent decoder. Used by the tests only.
import jsQR from 'jsqr';

/** Decodes an SVG document, or a data:image/svg+xml;base64 URL of one. */
export function decodeQrSvg(svgOrDataUrl: string): string | undefined {
  const svg = svgOrDataUrl.startsWith('data:') ? Buffer.from(svgOrDataUrl.split(',')[1]!, 'base64').toString('utf8') : svgOrDataUrl;
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const d = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) return undefined;
  const dark = new Uint8Array(size * size);
  let x = 0;
  let y = 0;
  // The dark modules are horizontal runs: M x y, m dx dy (relative), h length.
  for (const [, cmd, a, b] of d.matchAll(/([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    const n1 = Number(a);
    const n2 = Number(b);
    if (cmd === 'M') [x, y] = [n1, n2];
    else if (cmd === 'm') [x, y] = [x + n1, y + n2];
    else if (cmd === 'h') {
      const row = Math.floor(y);
      for (let i = 0; i < n1; i++) dark[row * size + x + i] = 1;
      x += n1;
    }
  }
  const scale = 6;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const v = dark[Math.floor(py / scale) * size + Math.floor(px / scale)] ? 0 : 255;
      const o = (py * width + px) * 4;
      pixels[o] = pixels[o + 1] = pixels[o + 2] = v;
      pixels[o + 3] = 255;
    }
  }
  return jsQR(pixels, width, width)?.data;
}
