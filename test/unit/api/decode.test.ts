// Tolerant reading of API bodies: what is required is checked, the rest is optional for real.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAccount, readChat, readLoginSession, readLoginStep, readPage, ShapeError } from '../../../src/api/decode';

describe('decode', () => {
  it('reads a minimal account (no bridge, no status: an older Beeper Desktop)', () => {
    assert.deepEqual(readAccount({ accountID: 'a', user: { id: 'u' } }), { accountID: 'a', user: { id: 'u' } });
  });

  it('drops optional fields of the wrong type and ignores unknown ones', () => {
    const a = readAccount({ accountID: 'a', user: { id: 'u', fullName: 42, isSelf: 'yes' }, statusText: null, extra: 1 });
    assert.deepEqual(a, { accountID: 'a', user: { id: 'u' } });
  });

  it('names the missing required field', () => {
    assert.throws(() => readAccount({ user: { id: 'u' } }), (e: unknown) => e instanceof ShapeError && e.message === 'account.accountID should be a string');
    assert.throws(() => readPage({ items: [{}], hasMore: false }, readChat), /body\.items\[0\]\.id should be a string/);
  });

  it('reads a chat with missing optional parts', () => {
    const chat = readChat({ id: 'c', accountID: 'a' });
    assert.equal(chat.title, '');
    assert.deepEqual(chat.participants, { items: [], hasMore: false, total: 0 });
    assert.equal(chat.unreadCount, 0);
  });

  it('keeps an unknown step type as such, and an unknown display', () => {
    assert.deepEqual(readLoginStep({ type: 'webauthn', stepID: 's1', instructions: 'Touch your key' }), {
      type: 'unknown',
      originalType: 'webauthn',
      stepID: 's1',
      instructions: 'Touch your key',
    });
    const step = readLoginStep({ type: 'display_and_wait', stepID: 's', display: { type: 'hologram', data: 'x' } });
    assert.deepEqual(step.type === 'display_and_wait' && step.display, { type: 'unknown', originalType: 'hologram' });
  });

  it('reads a failed session with its error, and a complete one with its account', () => {
    const failed = readLoginSession({ bridgeID: 'b', loginSessionID: 'l', status: 'failed', error: { code: 'X', message: 'No' } });
    assert.deepEqual(failed.error, { code: 'X', message: 'No' });
    assert.equal(failed.currentStep, undefined);
    const done = readLoginSession({ bridgeID: 'b', loginSessionID: 'l', status: 'complete', account: { accountID: 'n', user: { id: 'u' } } });
    assert.equal(done.account?.accountID, 'n');
  });
});
