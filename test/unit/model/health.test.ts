// Status-bar health aggregation: what the status bar says for each mix of account states.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Account } from '../../../src/api/types';
import { aggregateHealth, nextRefreshMs, sortForAttention } from '../../../src/model/health';

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
