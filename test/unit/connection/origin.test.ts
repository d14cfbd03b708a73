// Where the stored token may go: its own origin, loopback, and nothing else without a yes.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideOrigin, isInsecureRemote } from '../../../src/connection/origin';

describe('where the stored token may go', () => {
  const base = { baseUrlSource: 'setting' as const, tokenSource: 'stored' as const, approved: [] as string[] };
  it('sends to loopback whatever the token was stored for', () => {
    for (const url of ['http://localhost:23374', 'http://127.0.0.1:9', 'http://[::1]:23373']) {
      assert.deepEqual(decideOrigin({ ...base, baseUrl: url, boundOrigin: 'https://beeper.example' }), { send: true }, url);
    }
  });
  it('asks before another origin, and always before plain http to another computer', () => {
    const other = decideOrigin({ ...base, baseUrl: 'https://evil.example:8443/api', boundOrigin: 'http://localhost:23373' });
    assert.deepEqual(other, { send: false, origin: 'https://evil.example:8443', host: 'evil.example:8443', insecure: false, boundOrigin: 'http://localhost:23373' });
    assert.deepEqual(decideOrigin({ ...base, baseUrl: 'https://beeper.example', boundOrigin: 'https://beeper.example' }), { send: true }, 'its own https origin');
    const plain = decideOrigin({ ...base, baseUrl: 'http://192.0.2.10:23373', boundOrigin: 'http://192.0.2.10:23373' });
    assert.equal(plain.send, false, 'plain http to another computer, even its own origin');
    assert.equal(!plain.send && plain.insecure, true);
    assert.equal(decideOrigin({ ...base, baseUrl: 'https://legacy.example' }).send, false, 'a token stored before origins were recorded');
  });
  it('remembers a yes per origin', () => {
    assert.deepEqual(decideOrigin({ ...base, baseUrl: 'http://192.0.2.10:23373', approved: ['http://192.0.2.10:23373'] }), { send: true });
    assert.equal(decideOrigin({ ...base, baseUrl: 'http://192.0.2.11:23373', approved: ['http://192.0.2.10:23373'] }).send, false);
  });
  it('a token from the environment goes with its address; an address from the environment alone asks like the setting', () => {
    assert.deepEqual(decideOrigin({ ...base, tokenSource: 'environment', baseUrl: 'http://192.0.2.10:1' }), { send: true });
    // In a dev container or Codespace, the repository sets the environment: BEEPER_DESKTOP_BASE_URL
    // pointing at another computer does not carry the stored token there unasked.
    const fromRepo = decideOrigin({ ...base, baseUrlSource: 'environment', baseUrl: 'https://collector.example:443' });
    assert.equal(fromRepo.send, false);
    assert.deepEqual(decideOrigin({ ...base, baseUrlSource: 'environment', baseUrl: 'http://127.0.0.1:23999' }), { send: true }, 'this computer never asks');
    assert.deepEqual(decideOrigin({ ...base, baseUrlSource: 'environment', baseUrl: 'https://collector.example', approved: ['https://collector.example'] }), { send: true }, 'once approved');
    assert.deepEqual(decideOrigin({ ...base, tokenSource: 'none', baseUrl: 'http://192.0.2.10:1' }), { send: true }, 'no token, nothing to leak');
    assert.ok(isInsecureRemote('http://192.0.2.10:1') && !isInsecureRemote('http://localhost:1') && !isInsecureRemote('https://x.example'));
  });
});
