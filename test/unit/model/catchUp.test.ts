// The catch-up ranking over hostile and edge data: due and future reminders, mentions, direct
// messages, marked unread, groups that ask the user something (and a mention inside a quote that
// does not), muted and low priority last or left out, archived chats, merged chats.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chat, Message } from '../../../src/api/types';
import { askedIn, nameMatchers, namesOf, questionIn, rankNeeds, withoutQuotes, type RankOptions } from '../../../src/model/catchUp';

const NOW = Date.parse('2026-12-01T14:00:00Z');
let n = 0;
function chat(p: Partial<Chat> = {}): Chat {
  n++;
  return { id: `!c${n}`, accountID: 'wa', network: 'WhatsApp', title: `Chat ${n}`, type: 'group', participants: { items: [], hasMore: false, total: 0 }, unreadCount: 0, lastActivity: new Date(NOW - n * 60_000).toISOString(), ...p };
}
function msg(p: Partial<Message> & { id: string }): Message {
  return { chatID: '!x', accountID: 'wa', senderID: '@other', senderName: 'Ada', timestamp: new Date(NOW).toISOString(), sortKey: p.id, type: 'TEXT', isUnread: true, ...p };
}
// Tests pass plain text: "HTML" here has no tags, and quotes are "> " lines.
const opts = (p: Partial<RankOptions> = {}): RankOptions => ({ now: NOW, selfNames: ['Sam Sandbox', 'Sam', 'samsandbox'], quiet: 'last', ownText: (t) => t, ...p });
const kinds = (chats: Chat[], o = opts()) => rankNeeds(chats, o).map((x) => [x.chat.title, x.kind, x.quiet]);

describe('what needs me: the ranking', () => {
  it('orders due reminders, mentions, direct messages, marked unread, asked, other unread; quiet chats last', () => {
    const other = chat({ title: 'other', unreadCount: 4 });
    const asked = chat({ title: 'asked', unreadCount: 2 });
    const marked = chat({ title: 'marked', isMarkedUnread: true });
    const direct = chat({ title: 'direct', type: 'single', unreadCount: 1 });
    const mention = chat({ title: 'mention', unreadCount: 3, unreadMentionsCount: 2 });
    const due = chat({ title: 'due', reminder: { remindAt: new Date(NOW - 60_000).toISOString() } });
    const muted = chat({ title: 'muted', type: 'single', unreadCount: 9, isMuted: true });
    const low = chat({ title: 'low', unreadCount: 1, unreadMentionsCount: 1, isLowPriority: true });
    const recent = new Map([[asked.id, [msg({ id: '2', text: 'Can you review the PR today?' })]]]);
    assert.deepEqual(kinds([other, asked, marked, direct, mention, due, muted, low], opts({ recent })), [
      ['due', 'reminder', false],
      ['mention', 'mention', false],
      ['direct', 'direct', false],
      ['marked', 'markedUnread', false],
      ['asked', 'asked', false],
      ['other', 'unread', false],
      ['low', 'mention', true],
      ['muted', 'direct', true],
    ]);
    assert.deepEqual(kinds([other, muted, low], opts({ quiet: 'hide' })), [['other', 'unread', false]], 'quiet chats left out with the setting');
  });

  it('a future reminder is no reason; a due one is, even on a muted or archived chat with nothing unread', () => {
    const future = chat({ title: 'future', reminder: { remindAt: new Date(NOW + 60_000).toISOString() } });
    const dueArchived = chat({ title: 'dueArchived', isArchived: true, isMuted: true, reminder: { remindAt: new Date(NOW - 1).toISOString() } });
    const bad = chat({ title: 'bad', reminder: { remindAt: 'not a date' } });
    assert.deepEqual(kinds([future, dueArchived, bad], opts({ quiet: 'hide' })), [['dueArchived', 'reminder', false]]);
    const older = chat({ title: 'older', reminder: { remindAt: new Date(NOW - 3_600_000).toISOString() } });
    assert.deepEqual(rankNeeds([dueArchived, older], opts()).map((x) => x.chat.title), ['older', 'dueArchived'], 'the longest-due reminder first');
  });

  it('archived, merged and read chats are not listed; a chat is listed once; newest first within a tier', () => {
    const archived = chat({ title: 'archived', unreadCount: 5, isArchived: true });
    const merged = chat({ title: 'merged', unreadCount: 5, mergedIntoChatID: '!other' });
    const read = chat({ title: 'read' });
    const a = chat({ title: 'a', unreadCount: 1, lastActivity: new Date(NOW - 10_000).toISOString() });
    const b = chat({ title: 'b', unreadCount: 1, lastActivity: new Date(NOW - 1_000).toISOString() });
    assert.deepEqual(rankNeeds([archived, merged, read, a, b, a], opts()).map((x) => x.chat.title), ['b', 'a']);
  });

  it('asked: a reply to the user, the user’s name, or a question, from the newest unread message of someone else', () => {
    const c = chat({ unreadCount: 3 });
    const o = { ownText: (t: string) => t };
    const names = nameMatchers(['Sam Sandbox', 'Sam']);
    const mine = msg({ id: '1', isSender: true, isUnread: false, text: 'I shipped it' });
    assert.equal(askedIn([mine, msg({ id: '2', text: 'nice work', linkedMessageID: '1' })], c, o, names)?.how, 'reply');
    assert.equal(askedIn([msg({ id: '2', text: 'thanks @Sam, great' })], c, o, names)?.how, 'name');
    assert.deepEqual(askedIn([msg({ id: '2', text: 'Ok. Could you check the logs? Thanks' })], c, o, names), { how: 'question', text: 'Could you check the logs?', sender: 'Ada', messageID: '2' });
    assert.equal(askedIn([msg({ id: '2', text: 'Samuel said hi' })], c, o, names), undefined, 'a longer word is not the name');
    assert.equal(askedIn([msg({ id: '2', text: 'what?', isUnread: false })], c, o, names), undefined, 'read messages do not count');
    assert.equal(askedIn([msg({ id: '2', text: 'what?', isSender: true })], c, o, names), undefined, 'the user’s own questions do not count');
    assert.equal(askedIn([msg({ id: '2', text: 'what?', isDeleted: true })], c, o, names), undefined);
  });

  it('a mention or a question inside a quote is not the author asking the user', () => {
    const c = chat({ unreadCount: 1 });
    const names = nameMatchers(['Sam']);
    const quoted = msg({ id: '2', text: '> Sam, can you look at this?\nAgreed with the above.' });
    assert.equal(askedIn([quoted], c, { ownText: (t) => t }, names), undefined);
    assert.equal(withoutQuotes('> a?\n  > b\nc'), 'c');
    // The host's text leaves <blockquote> out with skipQuotes; the ranking trusts its ownText.
    assert.equal(askedIn([msg({ id: '3', text: 'HTML' })], c, { ownText: () => '' }, names), undefined);
  });

  it('questions in other scripts, and hostile text: bidi, huge, markup-looking', () => {
    assert.equal(questionIn('ok。你能看看吗？'), '你能看看吗？');
    assert.equal(questionIn('هل يمكنك المراجعة؟'), 'هل يمكنك المراجعة؟');
    assert.equal(questionIn('Μπορείς να το δεις;'), 'Μπορείς να το δεις;');
    assert.equal(questionIn('a; b'), undefined, 'a semicolon is a question mark only in Greek');
    const huge = `${'x'.repeat(50_000)} ok?`;
    const asked = askedIn([msg({ id: '2', text: huge })], chat({ unreadCount: 1 }), { ownText: (t) => t }, []);
    assert.ok(asked && asked.text.length <= 120, 'clipped');
    const re = nameMatchers(['a.b*(c', 'x'])[0]!;
    assert.ok(re.test('hi a.b*(c!') && !re.test('hi aXb*(c'), 'names are literal, not patterns; one letter is no name');
  });

  it('the user’s names: full name, first name, handle', () => {
    assert.deepEqual(namesOf([{ fullName: 'Sam Sandbox', username: 'sam' }, { fullName: 'Al' }]), ['Sam Sandbox', 'Sam', 'sam', 'Al']);
  });
});
