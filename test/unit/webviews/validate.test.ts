// What a page sends is checked field by field before the host reads it (src/webviews/validate.ts).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bridgeRequestValidators, chatRequestValidators, loginRequestValidators, validateMessage } from '../../../src/webviews/validate';

describe('page message validators', () => {
  const chat = (raw: unknown) => validateMessage(raw, chatRequestValidators);
  it('accepts each well-formed message and keeps only its declared fields', () => {
    assert.deepEqual(chat({ type: 'send', requestID: 3, text: 'hi', replyTo: 'm1', extra: '<script>' }), { type: 'send', requestID: 3, text: 'hi', replyTo: 'm1' });
    assert.deepEqual(chat({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(chat({ type: 'viewport', atBottom: false }), { type: 'viewport', atBottom: false });
    assert.deepEqual(chat({ type: 'saveAttachment', id: 'm1', index: 0 }), { type: 'saveAttachment', id: 'm1', index: 0 });
  });
  it('refuses wrong types, missing fields, oversized values and unknown types', () => {
    for (const bad of [
      null,
      'send',
      [],
      { type: 'nope' },
      { type: 'toString' },
      { type: '__proto__' },
      { type: 'send', requestID: '1', text: 'x' },
      { type: 'send', requestID: -1, text: 'x' },
      { type: 'send', requestID: 1.5, text: 'x' },
      { type: 'send', requestID: 1 },
      { type: 'send', requestID: 1, text: 'x'.repeat(40_001) },
      { type: 'react', id: 'm1', key: '' },
      { type: 'react', id: 'm1', key: 'x'.repeat(65) },
      { type: 'reveal', id: '' },
      { type: 'viewport', atBottom: 'yes' },
      { type: 'saveAttachment', id: 'm1', index: NaN },
      { type: 'openLink', url: 42 },
      { type: 'copy', value: { toString: () => 'x' } },
    ]) {
      assert.equal(chat(bad), undefined, JSON.stringify(bad));
    }
  });
  it('the login and bridge pages have their own small sets', () => {
    assert.deepEqual(validateMessage({ type: 'cancel', x: 1 }, loginRequestValidators), { type: 'cancel' });
    assert.equal(validateMessage({ type: 'send', requestID: 1, text: 'x' }, loginRequestValidators), undefined);
    assert.deepEqual(validateMessage({ type: 'addAccount', flowID: 'qr' }, bridgeRequestValidators), { type: 'addAccount', flowID: 'qr' });
    assert.equal(validateMessage({ type: 'addAccount' }, bridgeRequestValidators), undefined);
  });
});
