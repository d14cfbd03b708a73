// The transport's response size cap: a body past it is an error, not a heap full of it.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BeeperClient } from '../../../src/api/client';
import { BeeperApiError } from '../../../src/api/errors';
import { startSandbox, type Sandbox } from '../../sandbox/server';

describe('response size cap', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());
  it('stops reading a body past 16 MB and says so, then carries on', async () => {
    const outcomes: string[] = [];
    const client = new BeeperClient({ baseUrl: sandbox.url, token: () => sandbox.token, onOutcome: (o) => outcomes.push(o === 'ok' ? 'ok' : o.kind) });
    sandbox.setFaults({ rules: [{ path: '/v1/chats', body: 'huge', times: 1 }] });
    const before = process.memoryUsage().heapUsed;
    await assert.rejects(client.listChats(), (e: unknown) => e instanceof BeeperApiError && e.kind === 'tooLarge' && /16 MB/.test(e.message));
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024, 'the body was not kept');
    assert.ok((await client.listChats()).items.length > 0, 'the next call works');
    assert.deepEqual(outcomes, ['tooLarge', 'ok'], 'each call reports its outcome once');
    await client.dispose();
  });
  it('refuses a declared Content-Length over the cap before reading', async () => {
    const client = new BeeperClient({ baseUrl: sandbox.url, token: () => sandbox.token, maxResponseBytes: 1000 });
    await assert.rejects(client.listBridges(), (e: unknown) => e instanceof BeeperApiError && e.kind === 'tooLarge');
    await client.dispose();
  });
});
