// Row redraws batched per frame: many events, one flush; "everything" wins over single rows.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameBatch } from '../../../src/host/frameBatch';

function batch() {
  const flushed: (string[] | 'all')[] = [];
  let done: () => void = () => undefined;
  const b = new FrameBatch<string>((rows) => {
    flushed.push(rows === 'all' ? 'all' : [...rows]);
    done();
  }, 1);
  const next = () => new Promise<void>((r) => (done = r));
  return { b, flushed, next };
}

describe('frame batch', () => {
  it('rows named within a frame flush once, each once', async () => {
    const { b, flushed, next } = batch();
    const flushedOnce = next();
    for (const row of ['a', 'b', 'a', 'c', 'b']) b.schedule(row);
    await flushedOnce;
    assert.deepEqual(flushed, [['a', 'b', 'c']]);
    const again = next();
    b.schedule('d');
    await again;
    assert.deepEqual(flushed, [['a', 'b', 'c'], ['d']]);
  });
  it('"everything" in a frame replaces the rows named in it; dispose cancels a pending flush', async () => {
    const { b, flushed, next } = batch();
    const flushedOnce = next();
    b.schedule('a');
    b.schedule(undefined);
    b.schedule('b');
    await flushedOnce;
    assert.deepEqual(flushed, ['all']);
    b.schedule('c');
    b.dispose();
    // A later frame (20 ms) has passed: the disposed batch's 1 ms flush would have come first.
    await new Promise<void>((r) => new FrameBatch<string>(() => r(), 20).schedule('x'));
    assert.deepEqual(flushed, ['all'], 'nothing after dispose');
  });
});
