// A turn of its own really is one: timers and I/O that are due run before the caller goes on,
// also when it is called from an I/O callback (where one setImmediate is not a turn).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { nextTurn, onNextTurn } from '../../../src/api/nextTurn';

/** Runs `body` inside an I/O callback (the poll phase), as an HTTP answer or a socket frame does. */
function inIoCallback(body: () => void): Promise<void> {
  return new Promise((resolve, reject) => fs.stat(__filename, () => {
    try {
      body();
      resolve();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  }));
}

describe('nextTurn', () => {
  it('from an I/O callback, a timer that is due runs before the caller goes on (one setImmediate would not let it)', async () => {
    const order: string[] = [];
    let done!: Promise<void>;
    await inIoCallback(() => {
      setTimeout(() => order.push('timer'), 0);
      // The timer is due (1 ms) before this stretch ends.
      const end = performance.now() + 3;
      while (performance.now() < end);
      done = nextTurn().then(() => {
        order.push('after nextTurn');
      });
      void new Promise<void>((r) => setImmediate(r)).then(() => order.push('after one setImmediate'));
    });
    await done;
    assert.deepEqual(order, ['after one setImmediate', 'timer', 'after nextTurn']);
  });

  it('onNextTurn calls back after the same round', async () => {
    const order: string[] = [];
    await new Promise<void>((resolve, reject) => void inIoCallback(() => {
      setTimeout(() => order.push('timer'), 0);
      const end = performance.now() + 3;
      while (performance.now() < end);
      onNextTurn(() => {
        order.push('callback');
        resolve();
      });
    }).catch(reject));
    assert.deepEqual(order, ['timer', 'callback']);
  });
});
