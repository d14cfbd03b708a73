// Drafts that follow the user: which draft wins when a chat opens, the empty-first rule on
// writes (clear, then set; a 409 clears and tries again), and offline drafts kept for later.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BeeperClient } from '../../../src/api/client';
import { BeeperApiError } from '../../../src/api/errors';
import type { Chat, PatchChatParams } from '../../../src/api/types';
import { DraftSync, readLocalDraft, reconcileDraft } from '../../../src/model/draftSync';
import { BeeperModel } from '../../../src/model/model';

describe('reconciling drafts when a chat opens', () => {
  it('the one that changed since they last agreed wins; the other is the undo step', () => {
    assert.deepEqual(reconcileDraft(undefined, ''), { text: '', push: false });
    assert.deepEqual(reconcileDraft(undefined, 'from phone'), { text: 'from phone', undo: undefined, push: false });
    assert.deepEqual(reconcileDraft({ text: 'typed here', at: 1 }, ''), { text: 'typed here', undo: undefined, push: true });
    assert.deepEqual(reconcileDraft({ text: 'old', at: 1, synced: 'old' }, 'from phone'), { text: 'from phone', undo: 'old', push: false });
    assert.deepEqual(reconcileDraft({ text: 'new here', at: 1, synced: 'old' }, 'old'), { text: 'new here', undo: 'old', push: true });
    assert.deepEqual(reconcileDraft({ text: 'here', at: 1, synced: 'old' }, 'phone'), { text: 'here', undo: 'phone', push: true }, 'both changed: the local one, the phone’s kept');
    assert.deepEqual(reconcileDraft({ text: 'same ', at: 1 }, 'same'), { text: 'same', push: false });
    assert.deepEqual(readLocalDraft('legacy string'), { text: 'legacy string', at: 0 });
    assert.equal(readLocalDraft({ nope: 1 }), undefined);
  });
});

function setup(serverDraft: string | undefined, patch: (p: PatchChatParams, current: { draft: string | undefined }) => void) {
  const model = new BeeperModel();
  const base: Chat = { id: 'c', accountID: 'a', network: 'N', title: 'T', type: 'single', participants: { items: [], hasMore: false, total: 2 }, unreadCount: 0 };
  const server = { draft: serverDraft };
  model.upsertChat({ ...base, draft: serverDraft ? { text: serverDraft } : null });
  const calls: PatchChatParams[] = [];
  const client = {
    patchChat: async (_id: string, p: PatchChatParams) => {
      calls.push(p);
      patch(p, server);
      if (p.draft === null) server.draft = undefined;
      else if (p.draft) server.draft = p.draft.text;
      return { ...base, draft: server.draft ? { text: server.draft } : null };
    },
  } as unknown as BeeperClient;
  const store = new Map<string, unknown>();
  const memento = { get: (k: string) => store.get(k), update: async (k: string, v: unknown) => void (v === undefined ? store.delete(k) : store.set(k, v)) };
  const warnings: string[] = [];
  const sync = new DraftSync(model, async () => client, memento, (h) => h, { warn: (m) => warnings.push(m) });
  return { sync, calls, server, model, warnings };
}

describe('writing drafts to Beeper', () => {
  it('onto an empty draft: one write; onto an existing one: clear, then set', async () => {
    const a = setup(undefined, () => undefined);
    await a.sync.typed('c', 'hello');
    await a.sync.push('c');
    assert.deepEqual(a.calls, [{ draft: { text: 'hello' } }]);
    assert.equal(a.sync.local('c')!.synced, 'hello');
    const b = setup('old', () => undefined);
    await b.sync.typed('c', 'new');
    await b.sync.push('c');
    assert.deepEqual(b.calls, [{ draft: null }, { draft: { text: 'new' } }]);
  });

  it('a 409 (another device set one meanwhile): clear and set again; sent text clears it', async () => {
    let refused = false;
    const a = setup(undefined, (p, server) => {
      if (p.draft && !refused) {
        refused = true;
        server.draft = 'phone';
        throw new BeeperApiError({ kind: 'http', status: 409, route: 'PATCH /v1/chats/c', message: 'draft not empty' });
      }
    });
    await a.sync.typed('c', 'mine');
    await a.sync.push('c');
    assert.deepEqual(a.calls, [{ draft: { text: 'mine' } }, { draft: null }, { draft: { text: 'mine' } }]);
    assert.equal(a.server.draft, 'mine');
    await a.sync.typed('c', '');
    await a.sync.push('c');
    assert.deepEqual(a.calls.at(-1), { draft: null });
    assert.equal(a.server.draft, undefined);
  });

  it('offline: the draft stays local and goes with flush()', async () => {
    let offline = true;
    const a = setup(undefined, () => {
      if (offline) throw new BeeperApiError({ kind: 'unreachable', route: 'PATCH', message: 'not running' });
    });
    await a.sync.typed('c', 'written on the train');
    await assert.rejects(a.sync.push('c'));
    assert.equal(a.sync.local('c')!.text, 'written on the train', 'kept');
    assert.equal(a.warnings.length, 1);
    offline = false;
    await a.sync.flush();
    assert.equal(a.server.draft, 'written on the train');
  });
});
