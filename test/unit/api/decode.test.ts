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

  it("chats that report the same capabilities share one frozen copy; different or oversized ones do not", () => {
    const caps = (maxTextLength: number) => ({
      edit: 2,
      maxTextLength,
      formatting: { bold: 2, italic: 2 },
      attachments: { 'm.image': { mimeTypes: { 'image/png': 2 }, maxSize: 1024 } },
      disappearingTimer: { types: ['afterSend'], timers: [86_400_000] },
      state: { title: { level: 2 } },
    });
    // Parsed apart, like two chats of one page.
    const a = readChat(JSON.parse(JSON.stringify({ id: 'a', accountID: 'x', capabilities: caps(4096) })));
    const b = readChat(JSON.parse(JSON.stringify({ id: 'b', accountID: 'x', capabilities: caps(4096) })));
    const c = readChat({ id: 'c', accountID: 'x', capabilities: caps(65_536) });
    assert.equal(a.capabilities, b.capabilities, 'one object for the same capabilities');
    assert.notEqual(a.capabilities, c.capabilities);
    assert.equal(c.capabilities?.maxTextLength, 65_536);
    assert.deepEqual(a.capabilities?.attachments, { 'm.image': { mimeTypes: { 'image/png': 2 }, maxSize: 1024 } });
    // Shared, so nobody can change it for the other chats.
    assert.ok(Object.isFrozen(a.capabilities) && Object.isFrozen(a.capabilities?.attachments?.['m.image']?.mimeTypes));
    assert.throws(() => {
      (a.capabilities as { edit?: number }).edit = 0;
    }, TypeError);
    // A huge set (a hostile server) is decoded for its chat and not kept.
    const huge = { ...caps(1), allowedReactions: Array.from({ length: 5000 }, (_, i) => `r${i}`) };
    const h1 = readChat({ id: 'h1', accountID: 'x', capabilities: huge });
    const h2 = readChat({ id: 'h2', accountID: 'x', capabilities: huge });
    assert.notEqual(h1.capabilities, h2.capabilities);
    assert.equal(h1.capabilities?.allowedReactions?.length, 100, 'still bounded by the decoder');
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
