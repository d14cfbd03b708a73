// The tree's pure logic: grouping, labels, status categories, relative time, paging.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Account, Bridge, Page } from '../../../src/api/types';
import { accountHandle, accountLabel, canReconnect, chatDescription, groupsFromAccounts, groupsFromBridges, relativeTime, safeLabel, statusCategory } from '../../../src/model/labels';
import { Pager } from '../../../src/model/pager';

const account = (id: string, extra: Partial<Account> = {}): Account => ({ accountID: id, user: { id: `@${id}` }, ...extra });

describe('tree model', () => {
  it('puts bridges in use first, then the rest alphabetically', () => {
    const bridge = (id: string, displayName: string, accounts: Account[]): Bridge => ({
      id, displayName, accounts, activeAccountCount: accounts.length, provider: 'local', status: 'available', supportsMultipleAccounts: true, type: id,
    });
    const groups = groupsFromBridges([bridge('z', 'Zulip', []), bridge('w', 'WhatsApp', [account('w1')]), bridge('a', 'Anchor', [])]);
    assert.deepEqual(groups.map((g) => g.displayName), ['WhatsApp', 'Anchor', 'Zulip']);
  });

  it('groups accounts by bridge, or by network without bridge metadata (older Beeper Desktop)', () => {
    const groups = groupsFromAccounts([
      account('local-whatsapp_ba_1', { network: 'WhatsApp', bridge: { id: 'local-whatsapp', provider: 'local', type: 'whatsapp' } }),
      account('local-whatsapp_ba_2', { network: 'WhatsApp', bridge: { id: 'local-whatsapp', provider: 'local', type: 'whatsapp' } }),
      account('discordgo', { network: 'Discord' }),
      account('slackgo.T1-U1'),
    ]);
    assert.deepEqual(groups.map((g) => [g.displayName, g.accounts.length, g.fallback]), [['Discord', 1, true], ['Slackgo', 1, true], ['WhatsApp', 2, true]]);
  });

  it('maps every status to a category; unknown ones stay unknown', () => {
    assert.equal(statusCategory('connected'), 'ok');
    assert.equal(statusCategory('backfilling'), 'busy');
    for (const s of ['connection_required', 'reconnect_required', 'attention_required', 'disconnected']) {
      assert.equal(statusCategory(s), 'action');
      assert.equal(canReconnect(s), true);
    }
    assert.equal(statusCategory('disabled'), 'off');
    assert.equal(canReconnect('disabled'), false);
    assert.equal(statusCategory('quantum_entangled'), 'unknown');
  });

  it('labels accounts by name, with a handle', () => {
    assert.equal(accountLabel(account('x', { user: { id: 'u', fullName: 'Ada' , username: 'ada' } })), 'Ada');
    assert.equal(accountHandle(account('x', { user: { id: 'u', fullName: 'Ada', username: 'ada' } })), '@ada');
    assert.equal(accountLabel(account('x', { user: { id: 'u', phoneNumber: '+1555' } })), '+1555');
    assert.equal(accountLabel(account('only-id')), 'only-id');
  });

  it('writes relative times and chat descriptions', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    assert.equal(relativeTime('2026-01-10T11:59:30Z', now), 'now');
    assert.equal(relativeTime('2026-01-10T11:55:00Z', now), '5m');
    assert.equal(relativeTime('2026-01-08T12:00:00Z', now), '2d');
    assert.equal(relativeTime('garbage', now), undefined);
    const chat = { id: 'c', accountID: 'a', network: 'n', title: 't', type: 'single', participants: { items: [], hasMore: false, total: 0 }, unreadCount: 150, lastActivity: '2026-01-10T09:00:00Z' };
    assert.equal(chatDescription(chat, now), '99+ unread · 3h');
  });

  it('strips bidi controls and control characters from labels and bounds their length', () => {
    assert.equal(safeLabel('evil\u202Egnp.exe'), 'evilgnp.exe');
    assert.equal(safeLabel('a\nb'), 'a b', 'a line break becomes a space');
    assert.equal(safeLabel('x'.repeat(10_000)).length, 200);
    assert.equal(safeLabel('   '), '(untitled)');
  });
});

describe('pager', () => {
  const pages: Page<{ id: string }>[] = [
    { items: [{ id: '1' }, { id: '2' }], hasMore: true, oldestCursor: 'c2', newestCursor: 'c1' },
    { items: [{ id: '2' }, { id: '3' }], hasMore: false, oldestCursor: 'c3', newestCursor: 'c2' },
  ];

  it('fetches the first page once, shares concurrent requests, follows the cursor and stops', async () => {
    const cursors: (string | undefined)[] = [];
    const pager = new Pager(async (cursor) => {
      cursors.push(cursor);
      return pages[cursors.length - 1]!;
    });
    const [a, b] = await Promise.all([pager.first(), pager.first()]);
    assert.equal(a, b);
    assert.deepEqual(cursors, [undefined]);
    const [c, d] = await Promise.all([pager.next(), pager.next()]);
    assert.equal(c, d);
    assert.deepEqual(cursors, [undefined, 'c2']);
    assert.deepEqual([...a, ...c].map((i) => i.id), ['1', '2', '3'], 'no repeats across pages');
    assert.equal(pager.count, 3);
    assert.equal(pager.hasMore, false);
    await pager.next();
    assert.equal(cursors.length, 2, 'no request past the end');
  });

  it('can retry a failed first page, and starts over after reset', async () => {
    let calls = 0;
    const pager = new Pager(async () => {
      calls++;
      if (calls === 1) throw new Error('down');
      return pages[1]!;
    });
    await assert.rejects(pager.first(), /down/);
    assert.deepEqual((await pager.first()).map((i) => i.id), ['2', '3']);
    pager.reset();
    assert.equal(pager.count, 0);
    await pager.first();
    assert.equal(calls, 3);
  });

  it('does not follow a page that claims more but has no cursor', async () => {
    const pager = new Pager(async () => ({ items: [{ id: 'x' }], hasMore: true, oldestCursor: null, newestCursor: null }));
    await pager.first();
    assert.equal(pager.hasMore, false);
  });
});
