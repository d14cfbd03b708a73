// The triage verbs: one call each with the right body, the row changes at once, a failure puts
// it back, the same verb twice at once is sent once, and what each chat allows.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BeeperClient } from '../../../src/api/client';
import { BeeperApiError } from '../../../src/api/errors';
import type { Chat } from '../../../src/api/types';
import { inboxKey } from '../../../src/model/inbox';
import { BeeperModel, EDIT_GUARD_MS } from '../../../src/model/model';
import { notAllowed, Triage, triageContext, UNDO_OF, type TriageVerb } from '../../../src/model/triage';
import { expiryChoices, parseReminderTime, reminderChoices } from '../../../src/model/reminders';

function chat(over: Partial<Chat> = {}): Chat {
  return { id: 'c1', accountID: 'a1', network: 'Signal', title: 'Team', type: 'group', participants: { items: [], hasMore: false, total: 3 }, unreadCount: 2, lastActivity: '2026-12-01T10:00:00Z', ...over };
}

/** A client that records each call and answers as told. */
function fakeClient(answer: (name: string, args: unknown[]) => unknown) {
  const calls: { name: string; args: unknown[] }[] = [];
  const handler: ProxyHandler<object> = {
    // Not a thenable: `await client()` must give the client itself.
    get: (_t, name: string) => name === 'then' ? undefined : async (...args: unknown[]) => {
      calls.push({ name, args });
      return answer(name, args);
    },
  };
  return { client: new Proxy({}, handler) as BeeperClient, calls };
}

describe('triage verbs', () => {
  it('each verb is one call with the body the API wants', async () => {
    const cases: [TriageVerb, string, unknown[]][] = [
      ['archive', 'archiveChat', ['c1', true]],
      ['unarchive', 'archiveChat', ['c1', false]],
      ['pin', 'patchChat', ['c1', { isPinned: true }]],
      ['unmute', 'patchChat', ['c1', { isMuted: false }]],
      ['lowPriority', 'patchChat', ['c1', { isLowPriority: true }]],
      ['markUnread', 'markChatUnread', ['c1']],
      ['markRead', 'markChatRead', ['c1']],
      ['clearReminder', 'clearChatReminder', ['c1']],
    ];
    for (const [verb, name, args] of cases) {
      const model = new BeeperModel();
      model.upsertChat(chat());
      const { client, calls } = fakeClient(() => undefined);
      const result = await new Triage(model, async () => client).run(chat(), verb);
      assert.ok(result.ok, verb);
      assert.equal(calls.length, 1, `${verb}: one call`);
      assert.equal(calls[0]!.name, name);
      assert.deepEqual(calls[0]!.args, args);
    }
    const model = new BeeperModel();
    const { client, calls } = fakeClient(() => undefined);
    await new Triage(model, async () => client).run(chat(), 'remind', { reminder: { remindAt: '2026-12-01T13:00:00.000Z', dismissOnIncomingMessage: true } });
    assert.deepEqual(calls[0]!.args, ['c1', { remindAt: '2026-12-01T13:00:00.000Z', dismissOnIncomingMessage: true }]);
  });

  it('the row changes at once, the answer is the server’s word, a failure puts back only what the verb changed', async () => {
    const model = new BeeperModel();
    model.upsertChat(chat());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client } = fakeClient(async () => {
      await gate;
      throw new BeeperApiError({ kind: 'server', status: 500, route: 'POST x', message: 'boom' });
    });
    const triage = new Triage(model, async () => client);
    const running = triage.run(chat(), 'archive');
    await new Promise((r) => setImmediate(r));
    assert.equal(model.chat('c1')!.isArchived, true, 'shown archived before the answer');
    // Meanwhile an event brings a new title.
    model.upsertChat({ ...model.chat('c1')!, title: 'Renamed' });
    const again = await triage.run(chat(), 'archive');
    assert.ok(again.duplicate, 'the same verb on the same chat is not sent twice');
    release();
    const result = await running;
    assert.equal(result.ok, false);
    assert.equal(model.chat('c1')!.isArchived, undefined, 'put back');
    assert.equal(model.chat('c1')!.title, 'Renamed', 'the newer change stays');
  });

  it('a read that was on its way before the verb was answered cannot undo it; a read from after can', async () => {
    const model = new BeeperModel();
    model.setInboxPage({ kind: 'all' }, [chat(), chat({ id: 'c2', lastActivity: '2026-12-01T11:00:00Z' })], { append: false, hasMore: false });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client } = fakeClient(async () => {
      await gate;
      return undefined; // 204, as POST …/reminders and …/archive answer
    });
    const triage = new Triage(model, async () => client);
    const reminder = { remindAt: '2026-12-01T13:00:00.000Z' };
    // A list read and a chat read leave before the verb; one more leaves while it is on its way.
    const before = model.readMark();
    const running = triage.run(chat(), 'remind', { reminder });
    await new Promise((r) => setImmediate(r));
    const during = model.readMark();
    model.upsertChat(chat({ title: 'Renamed' }), before);
    assert.deepEqual(model.chat('c1')!.reminder, reminder, 'a read from before: the reminder stays');
    assert.equal(model.chat('c1')!.title, 'Renamed', 'and the rest of the read lands');
    release();
    assert.ok((await running).ok);
    model.mergeInboxFirstPage({ kind: 'all' }, [chat({ title: 'Renamed' }), chat({ id: 'c2', lastActivity: '2026-12-01T11:00:00Z' })], false, during);
    assert.deepEqual(model.chat('c1')!.reminder, reminder, 'a page read while it was on its way: the reminder stays');
    model.setUnreadSnapshot([chat()], before);
    assert.deepEqual(model.chat('c1')!.reminder, reminder, 'the unread snapshot from before: the reminder stays');
    // A read from after the answer lands; then one from before it, late: the older one is not taken.
    const after = model.readMark();
    model.upsertChat(chat({ reminder, title: 'Renamed' }), after);
    assert.equal(model.editsOf('c1').length, 0, 'read back: the guard is done');
    model.upsertChat(chat(), before);
    assert.deepEqual(model.chat('c1')!.reminder, reminder, 'a read older than the one taken is not taken');
    assert.equal(model.chat('c1')!.title, 'Renamed');
    // The server's word from later still: the reminder was dismissed elsewhere.
    model.upsertChat(chat({ reminder: null }), model.readMark());
    assert.equal(model.chat('c1')!.reminder, null, 'a read from after is the server’s word');
    assert.equal(model.editsOf('c1').length, 0, 'and the guard is gone');

    // Archive: a page from before cannot bring the row back into the Inbox.
    const mark = model.readMark();
    assert.ok((await new Triage(model, async () => fakeClient(() => undefined).client).run(chat({ id: 'c2' }), 'archive')).ok);
    model.setInboxPage({ kind: 'all' }, [chat(), chat({ id: 'c2', lastActivity: '2026-12-01T11:00:00Z' })], { append: false, hasMore: false, readAt: mark });
    assert.deepEqual(model.list(inboxKey({ kind: 'all' }))!.ids, ['c1'], 'the archived chat stays out of the Inbox');
  });

  it('a failed verb stops guarding at once; a settled one stops after the guard time with no read', async () => {
    const model = new BeeperModel();
    model.upsertChat(chat());
    const failing = fakeClient(() => {
      throw new BeeperApiError({ kind: 'server', status: 500, route: 'POST x', message: 'boom' });
    });
    const mark = model.readMark();
    assert.equal((await new Triage(model, async () => failing.client).run(chat(), 'pin')).ok, false);
    assert.equal(model.editsOf('c1').length, 0);
    model.upsertChat(chat({ isPinned: false }), mark);
    assert.equal(model.chat('c1')!.isPinned, false);

    const edit = model.beginEdit('c1', { isPinned: true });
    model.settleEdit(edit, true, Date.now() - EDIT_GUARD_MS - 1);
    model.upsertChat(chat({ isPinned: false }), mark);
    assert.equal(model.chat('c1')!.isPinned, false, 'older than the longest read: the read lands');
    assert.equal(model.editsOf('c1').length, 0);
  });

  it('what a chat allows, and the words its menus match on', () => {
    assert.equal(notAllowed('archive', chat({ isArchived: true })), 'already');
    assert.equal(notAllowed('archive', chat({ capabilities: { archive: false } })), 'notSupported');
    assert.equal(notAllowed('archive', chat({ isReadOnly: true })), undefined, 'read-only chats can still be archived');
    assert.equal(notAllowed('rename', chat({ type: 'single' })), 'direct');
    assert.equal(notAllowed('rename', chat({ capabilities: { state: { title: { level: 0 } } } })), 'notSupported');
    assert.equal(notAllowed('disappearing', chat()), 'notSupported');
    assert.equal(notAllowed('disappearing', chat({ capabilities: { disappearingTimer: { timers: [86_400_000] } } })), undefined);
    assert.equal(triageContext(chat({ isPinned: true, reminder: { remindAt: '2026-12-02T09:00:00Z' } })), 'chat unarchived pinned unmuted primary unread reminder renamable');
    assert.equal(UNDO_OF.archive, 'unarchive');
    assert.equal(UNDO_OF.mute, 'unmute');
    assert.equal(UNDO_OF.lowPriority, 'primary');
  });
});

describe('reminder times', () => {
  it('quick choices in local time; "This evening" only before 17:00; next Monday is after today', () => {
    const morning = new Date(2026, 11, 1, 10, 15); // a Tuesday
    const choices = reminderChoices(morning);
    assert.deepEqual(choices.map((c) => c.id), ['hour', 'evening', 'tomorrow', 'monday']);
    assert.equal(choices[0]!.at, morning.getTime() + 3_600_000);
    assert.equal(new Date(choices[1]!.at).getHours(), 18);
    assert.equal(new Date(choices[2]!.at).getDate(), 2);
    assert.equal(new Date(choices[3]!.at).getDay(), 1);
    assert.equal(new Date(choices[3]!.at).getDate(), 7);
    assert.ok(!reminderChoices(new Date(2026, 11, 1, 19, 0)).some((c) => c.id === 'evening'));
    const monday = new Date(2026, 11, 7, 8, 0);
    assert.equal(new Date(reminderChoices(monday).find((c) => c.id === 'monday')!.at).getDate(), 14, 'on a Monday: a week on');
  });
  it('a typed date and time is checked: format, past, far; a bare time is today or tomorrow', () => {
    const now = new Date(2026, 11, 1, 10, 0);
    assert.deepEqual(parseReminderTime('2026-12-24 09:30', now), { at: new Date(2026, 11, 24, 9, 30).getTime() });
    assert.deepEqual(parseReminderTime('2026-12-24T09:30', now), { at: new Date(2026, 11, 24, 9, 30).getTime() });
    assert.deepEqual(parseReminderTime('17:45', now), { at: new Date(2026, 11, 1, 17, 45).getTime() });
    assert.deepEqual(parseReminderTime('08:00', now), { at: new Date(2026, 11, 2, 8, 0).getTime() });
    assert.deepEqual(parseReminderTime('2026-02-31 10:00', now), { error: 'format' });
    assert.deepEqual(parseReminderTime('2025-01-01 10:00', now), { error: 'past' });
    assert.deepEqual(parseReminderTime('2040-01-01 10:00', now), { error: 'far' });
    assert.deepEqual(parseReminderTime('tomorrow-ish', now), { error: 'format' });
    assert.deepEqual(parseReminderTime('25:00', now), { error: 'format' });
  });
  it('disappearing timers come from the capabilities (ms → s), sorted, deduplicated', () => {
    assert.deepEqual(expiryChoices([604_800_000, 86_400_000, 86_400_000]), [86_400, 604_800]);
    assert.deepEqual(expiryChoices(undefined), [86_400, 604_800, 7_776_000]);
  });
});
