// The Inbox: what each filter keeps, its order (due reminders, pinned, newest), its server
// query, and the model's Inbox lists under live changes.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chat } from '../../../src/api/types';
import { inboxCompare, inboxKey, inboxMatches, inboxQuery, inboxSorted, nextReminder, readFilter, type InboxFilter } from '../../../src/model/inbox';
import { BeeperModel } from '../../../src/model/model';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

function chat(id: string, over: Partial<Chat> = {}): Chat {
  return { id, accountID: 'a1', network: 'WhatsApp', title: id, type: 'single', participants: { items: [], hasMore: false, total: 2 }, unreadCount: 0, lastActivity: at(10), ...over };
}

describe('Inbox filters', () => {
  const c = {
    plain: chat('plain'),
    unread: chat('unread', { unreadCount: 3 }),
    marked: chat('marked', { isMarkedUnread: true }),
    mention: chat('mention', { type: 'group', unreadCount: 2, unreadMentionsCount: 1 }),
    group: chat('group', { type: 'group' }),
    low: chat('low', { isLowPriority: true, unreadCount: 1 }),
    archived: chat('archived', { isArchived: true, unreadCount: 4 }),
    reminded: chat('reminded', { reminder: { remindAt: at(-60) } }),
    merged: chat('merged', { mergedIntoChatID: 'plain', unreadCount: 1 }),
    other: chat('other', { accountID: 'a2' }),
  };
  const keep = (f: InboxFilter) => Object.values(c).filter((x) => inboxMatches(x, f)).map((x) => x.id).sort();

  it('All is the primary inbox: no archived, no low priority, no merged parts', () => {
    assert.deepEqual(keep({ kind: 'all' }), ['group', 'marked', 'mention', 'other', 'plain', 'reminded', 'unread']);
  });
  it('Unread: unread messages or marked unread, not archived; Mentions: unread mentions', () => {
    assert.deepEqual(keep({ kind: 'unread' }), ['low', 'marked', 'mention', 'unread']);
    assert.deepEqual(keep({ kind: 'mentions' }), ['mention']);
  });
  it('direct messages, groups, low priority, archived, reminders, one account, one network', () => {
    assert.deepEqual(keep({ kind: 'dms' }), ['marked', 'other', 'plain', 'reminded', 'unread']);
    assert.deepEqual(keep({ kind: 'groups' }), ['group', 'mention']);
    assert.deepEqual(keep({ kind: 'lowPriority' }), ['low']);
    assert.deepEqual(keep({ kind: 'archived' }), ['archived']);
    assert.deepEqual(keep({ kind: 'reminders' }), ['reminded']);
    assert.deepEqual(keep({ kind: 'account', accountID: 'a2' }), ['other']);
    assert.deepEqual(keep({ kind: 'network', network: 'X', accountIDs: ['a2'] }), ['other']);
  });
  it('each filter asks the server as narrowly as the API allows, across every account', () => {
    assert.deepEqual(inboxQuery({ kind: 'all' }), { inbox: 'primary' });
    assert.deepEqual(inboxQuery({ kind: 'unread' }), { unreadOnly: true });
    assert.deepEqual(inboxQuery({ kind: 'groups' }), { inbox: 'primary', type: 'group' });
    assert.deepEqual(inboxQuery({ kind: 'archived' }), { inbox: 'archive' });
    assert.deepEqual(inboxQuery({ kind: 'account', accountID: 'a2' }), { inbox: 'primary', accountIDs: ['a2'] });
    assert.equal(inboxQuery({ kind: 'all' }).accountIDs, undefined);
  });
  it('a kept filter is read back, and anything unreadable is All', () => {
    assert.deepEqual(readFilter({ kind: 'unread' }), { kind: 'unread' });
    assert.deepEqual(readFilter({ kind: 'account', accountID: 'x' }), { kind: 'account', accountID: 'x' });
    for (const bad of [undefined, null, 'unread', { kind: 'nope' }, { kind: 'network', network: 1 }, { kind: 'account' }]) assert.deepEqual(readFilter(bad), { kind: 'all' });
    assert.notEqual(inboxKey({ kind: 'unread' }), inboxKey({ kind: 'all' }));
  });
});

describe('Inbox order', () => {
  it('due reminders first, then pinned, then newest activity; under Reminders, soonest first', () => {
    const due = chat('due', { lastActivity: at(500), reminder: { remindAt: at(5) } });
    const later = chat('later', { lastActivity: at(1), reminder: { remindAt: at(-30) } });
    const pinned = chat('pinned', { isPinned: true, lastActivity: at(300) });
    const fresh = chat('fresh', { lastActivity: at(0) });
    const old = chat('old', { lastActivity: at(100) });
    const sorted = [old, fresh, pinned, later, due].sort(inboxCompare({ kind: 'all' }, NOW)).map((x) => x.id);
    assert.deepEqual(sorted, ['due', 'pinned', 'fresh', 'later', 'old']);
    const reminders = [later, due].sort(inboxCompare({ kind: 'reminders' }, NOW)).map((x) => x.id);
    assert.deepEqual(reminders, ['due', 'later']);
    assert.equal(nextReminder([due, later, old], NOW), Date.parse(at(-30)));
  });
});

/** Chats with ties, pins, due and future reminders and unreadable times, from a fixed seed. */
function randomChats(n: number, seed: number): Chat[] {
  let x = seed;
  const next = (m: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % m);
  return Array.from({ length: n }, (_, i) => {
    const r = next(10);
    return chat(`c${next(n * 4)}-${i}`, {
      lastActivity: next(20) === 0 ? 'not a time' : at(next(50)),
      isPinned: next(8) === 0,
      ...(r === 0 ? { reminder: { remindAt: at(next(30)) } } : r === 1 ? { reminder: { remindAt: at(-next(30) - 1) } } : {}),
    });
  });
}

describe('Inbox order at scale', () => {
  it('the keyed sort gives exactly the comparator’s order (ties, pins, reminders, bad times)', () => {
    for (const filter of [{ kind: 'all' }, { kind: 'reminders' }] as InboxFilter[]) {
      for (let seed = 1; seed <= 5; seed++) {
        const chats = randomChats(500, seed);
        assert.deepEqual(
          inboxSorted(filter, NOW, chats).map((c) => c.id),
          [...chats].sort(inboxCompare(filter, NOW)).map((c) => c.id),
        );
      }
    }
  });

  it('a chat placed by halving lands where a full sort puts it', () => {
    const filter: InboxFilter = { kind: 'all' };
    const chats = randomChats(400, 7).map((c) => ({ ...c, reminder: undefined }));
    const model = new BeeperModel();
    model.setInboxPage(filter, chats.slice(0, 300), { append: false, hasMore: false });
    const moved = randomChats(60, 11).map((c, i) => ({ ...chats[i * 5]!, lastActivity: c.lastActivity, isPinned: c.isPinned }));
    for (const c of [...moved, ...chats.slice(300)]) model.upsertChat(c);
    const expected = [...new Map([...chats, ...moved].map((c) => [c.id, c])).values()].sort(inboxCompare(filter, Date.now())).map((c) => c.id);
    assert.deepEqual(model.list(inboxKey(filter))!.ids, expected);
  });
});

describe('the model’s Inbox lists', () => {
  it('pages merge across accounts in Inbox order; a new message moves its chat to the top; a chat that stops matching leaves', () => {
    const model = new BeeperModel();
    const filter: InboxFilter = { kind: 'unread' };
    const key = inboxKey(filter);
    model.setInboxPage(filter, [chat('b', { unreadCount: 1, lastActivity: at(5), accountID: 'a2' }), chat('c', { unreadCount: 1, lastActivity: at(9) })], { append: false, hasMore: true });
    model.setInboxPage(filter, [chat('d', { unreadCount: 1, lastActivity: at(20) }), chat('p', { unreadCount: 2, isPinned: true, lastActivity: at(30) })], { append: true, hasMore: false });
    assert.deepEqual(model.list(key)!.ids, ['p', 'b', 'c', 'd']);
    model.upsertChat(chat('d', { unreadCount: 2, lastActivity: at(0) }));
    assert.deepEqual(model.list(key)!.ids, ['p', 'd', 'b', 'c'], 'the new message puts d on top of the unpinned rows');
    model.upsertChat(chat('b', { unreadCount: 0, lastActivity: at(5), accountID: 'a2' }));
    assert.deepEqual(model.list(key)!.ids, ['p', 'd', 'c'], 'read elsewhere: it leaves Unread');
    model.upsertChat(chat('n', { unreadCount: 1, lastActivity: at(1) }));
    assert.deepEqual(model.list(key)!.ids, ['p', 'd', 'n', 'c'], 'a chat new to the list comes in at its place');
  });

  it('a fresh first page (a reconnect) replaces the rows it covers and keeps older loaded ones', () => {
    const model = new BeeperModel();
    const filter: InboxFilter = { kind: 'all' };
    model.setInboxPage(filter, [chat('a', { lastActivity: at(1) }), chat('b', { lastActivity: at(2) })], { append: false, hasMore: true });
    model.setInboxPage(filter, [chat('c', { lastActivity: at(50) })], { append: true, hasMore: false });
    model.mergeInboxFirstPage(filter, [chat('z', { lastActivity: at(0) }), chat('a', { lastActivity: at(1) }), chat('y', { lastActivity: at(3) })], true);
    assert.deepEqual(model.list(inboxKey(filter))!.ids, ['z', 'a', 'y', 'c'], 'b is gone from the first page (archived elsewhere); c was loaded with Load more');
  });

  it('a reminder coming due re-sorts the list', () => {
    const model = new BeeperModel();
    const filter: InboxFilter = { kind: 'all' };
    const soon = new Date(Date.now() + 60_000).toISOString();
    model.setInboxPage(filter, [chat('a', { lastActivity: new Date(Date.now() - 60_000).toISOString() }), chat('r', { lastActivity: new Date(Date.now() - 9e6).toISOString(), reminder: { remindAt: soon } })], { append: false, hasMore: false });
    assert.deepEqual(model.list(inboxKey(filter))!.ids, ['a', 'r']);
    model.upsertChat(chat('r', { lastActivity: new Date(Date.now() - 9e6).toISOString(), reminder: { remindAt: new Date(Date.now() - 1000).toISOString() } }));
    assert.deepEqual(model.list(inboxKey(filter))!.ids, ['r', 'a']);
  });
});
