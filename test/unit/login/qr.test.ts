// The QR code drawn for a login step, read back by an independent decoder.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qrSvg } from '../../../src/login/qr';
import { decodeQrSvg } from '../../support/qrDecode';

describe('QR code', () => {
  it('draws an SVG that decodes back to the step data, for short and long data', async () => {
    for (const data of ['https://sandbox.beeper.invalid/login/abc/qr/0', `2@${'x'.repeat(200)},AbC+/=,1`]) {
      const svg = await qrSvg(data);
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.doesNotMatch(svg, /<script|on\w+=/i);
      assert.equal(decodeQrSvg(svg), data);
    }
  });
});
