// Status-bar health aggregation, and the QR code drawn for a login step read back by an
// independent decoder.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Account } from '../../src/api/types';
import { qrSvg } from '../../src/login/qr';
import { aggregateHealth, nextRefreshMs, sortForAttention } from '../../src/model/health';
import { decodeQrSvg } from '../support/qrDecode';

const account = (accountID: string, status?: string): Account => ({ accountID, status, user: { id: `@${accountID}` } });

describe('account health', () => {
  it('all connected: a calm icon and the count; disabled accounts do not count against health', () => {
    const h = aggregateHealth('connected', [account('a', 'connected'), account('b', 'connected'), account('c', 'disabled')]);
    assert.equal(h.kind, 'ok');
    assert.equal(`$(${h.icon}) ${h.text}`, '$(check) 2');
    assert.equal(h.warning, false);
  });

  it('some connecting or backfilling: a spinning sync icon and connected/total', () => {
    const h = aggregateHealth('connected', [account('a', 'connected'), account('b', 'backfilling'), account('c', 'connecting')]);
    assert.equal(`$(${h.icon}) ${h.text}`, '$(sync~spin) 1/3');
    assert.equal(h.warning, false);
  });

  it('some need action: a warning icon, how many, and the warning background (which wins over syncing)', () => {
    const h = aggregateHealth('connected', [account('a', 'reconnect_required'), account('b', 'backfilling'), account('c', 'attention_required'), account('d', 'disconnected')]);
    assert.equal(`$(${h.icon}) ${h.text}`, '$(warning) 3');
    assert.ok(h.warning);
  });

  it('not reachable or not signed in: a disconnected icon, no warning colour; no accounts: zero', () => {
    for (const state of ['unreachable', 'signedOut', 'unauthorized'] as const) {
      const h = aggregateHealth(state, [account('a', 'reconnect_required')]);
      assert.equal(h.icon, 'debug-disconnect');
      assert.equal(h.warning, false);
    }
    assert.equal(aggregateHealth('connected', []).kind, 'empty');
    assert.equal(aggregateHealth('connected', [account('legacy')]).kind, 'ok', 'an older Beeper Desktop without statuses reads as connected');
  });

  it('orders accounts that need the user first', () => {
    const sorted = sortForAttention([account('z', 'connected'), account('y', 'backfilling'), account('x', 'reconnect_required'), account('w', 'disabled')]);
    assert.deepEqual(sorted.map((a) => a.accountID), ['x', 'y', 'z', 'w']);
  });

  it('refreshes on the configured interval and backs off while Beeper does not answer', () => {
    assert.equal(nextRefreshMs(120, 0), 120_000);
    assert.equal(nextRefreshMs(120, 1), 240_000);
    assert.equal(nextRefreshMs(120, 5), 600_000);
    assert.equal(nextRefreshMs(1, 0), 10_000, 'never faster than every 10 s');
    assert.equal(nextRefreshMs(0, 0), undefined, '0 turns it off');
  });
});

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
