// A local avatar is copied once into the extension's storage and shown as a resource: many
// participants sharing one file, asked for at once, make one copy and no error.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { copyLocalImage } from '../../../src/webviews/localMedia';

describe('local avatars copied for the page', () => {
  it('copies a shared avatar once, even when 50 ask at the same time; a file outside the roots is refused', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-root-'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-out-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-outside-'));
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200 * 1024, 7)]);
    fs.writeFileSync(path.join(root, 'shared.png'), png);
    fs.writeFileSync(path.join(outside, 'x.png'), png);
    try {
      const copies = await Promise.all(Array.from({ length: 50 }, () => copyLocalImage(path.join(root, 'shared.png'), [root], out)));
      assert.ok(copies.every((c) => c && c.file === copies[0]!.file && c.bytes === png.length));
      assert.deepEqual(fs.readdirSync(out), [path.basename(copies[0]!.file)], 'one file, no leftover parts');
      assert.deepEqual(fs.readFileSync(copies[0]!.file), png);
      assert.equal(await copyLocalImage(path.join(outside, 'x.png'), [root], out), undefined);
      assert.equal(await copyLocalImage(path.join(root, '..', path.basename(outside), 'x.png'), [root], out), undefined, 'no way out with ..');
    } finally {
      for (const d of [root, out, outside]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
