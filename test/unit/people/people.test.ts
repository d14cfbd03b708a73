// People and networks without a window: capabilities in words (unknown keys kept), identifiers
// for New Chat, merged contacts, the bridge page's HTML with hostile strings, and the sandbox's
// contacts and chat-start semantics.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BeeperClient } from '../../../src/api/client';
import { BeeperApiError } from '../../../src/api/errors';
import { readCapabilities } from '../../../src/api/decode';
import { canResolve, capabilityLine, classifyIdentifier, describeCapabilities } from '../../../src/people/capabilities';
import { mergeContacts } from '../../../src/people/contacts';
import { bridgeDetailsHtml } from '../../../src/webviews/bridgeDetailsHtml';
import { capabilitiesOf } from '../../sandbox/routes/bridges';
import { startSandbox, type Sandbox } from '../../sandbox/server';

const t = (m: string, ...a: Array<string | number>) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

describe('capabilities in words', () => {
  it('says what a rich network can do, and keeps keys it does not know', () => {
    const c = describeCapabilities(readCapabilities(capabilitiesOf('whatsapp')), t);
    assert.deepEqual(c.people, ['Start direct chats with any phone number', 'Import your contact list', 'Start direct chats', 'Find people by phone number']);
    assert.equal(c.groups.length, 2);
    assert.match(c.groups[0]!, /^Create WhatsApp group: title \(required, at most 100\), topic \(at most 512\), avatar, participants \(required, at least 1, at most 1023\), disappearing messages$/);
    assert.deepEqual(c.disappearing, ['WhatsApp group: messages can disappear after sending', 'WhatsApp group: timers 1 d, 7 d, 90 d']);
    assert.deepEqual(c.unknown, ['message_requests: {"inbox":"separate","expires_after_days":30}']);
    assert.match(capabilityLine(c), /phone number/);
  });

  it('an empty answer says nothing, and unknown nested keys are listed too', () => {
    const empty = describeCapabilities(readCapabilities(capabilitiesOf('matrix')), t);
    assert.deepEqual([empty.people, empty.groups, empty.unknown], [[], [], []]);
    const odd = describeCapabilities(readCapabilities({ group_creation: { g: { type_description: 'G', sparkle: { allowed: true } } }, resolve_identifier: { lookup_pigeon: true } }), t);
    assert.deepEqual(odd.unknown, ['resolve_identifier.lookup_pigeon: true', 'group_creation.g.sparkle: {"allowed":true}']);
  });
});

describe('New Chat identifiers', () => {
  it('reads phone numbers, emails and usernames, and refuses what the network cannot look up', () => {
    assert.deepEqual(classifyIdentifier(' +1 (555) 010-1234 '), { kind: 'phone', value: '+15550101234' });
    assert.deepEqual(classifyIdentifier('ada@example.org'), { kind: 'email', value: 'ada@example.org' });
    assert.deepEqual(classifyIdentifier('@ada.l'), { kind: 'username', value: '@ada.l' });
    assert.equal(classifyIdentifier('two words'), undefined);
    const whatsapp = readCapabilities(capabilitiesOf('whatsapp'));
    assert.deepEqual(canResolve('phone', whatsapp, t), { ok: true });
    assert.deepEqual(canResolve('email', whatsapp, t), { ok: false, reason: 'This network cannot find people by email.' });
    assert.deepEqual(canResolve('username', whatsapp, t), { ok: false, reason: 'This network cannot find people by username.' });
    assert.deepEqual(canResolve('email', undefined, t), { ok: true }, 'not reported: the server decides');
  });
});

describe('contacts from several accounts', () => {
  it('one row per user ID, with the account that has them first', () => {
    const rows = mergeContacts([
      { accountID: 'a', network: 'WhatsApp', users: [{ id: '@x' }, { id: '@y' }] },
      { accountID: 'b', network: 'Signal', users: [{ id: '@y' }, { id: '@z' }] },
    ]);
    assert.deepEqual(rows.map((r) => `${r.user.id}/${r.network}`), ['@x/WhatsApp', '@y/WhatsApp', '@z/Signal']);
  });
});

describe('the bridge page', () => {
  it('escapes every string from the API and lists flows with their button', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const html = bridgeDetailsHtml(
      { cspSource: 'vscode-resource:', nonce: 'n0nce', scriptUri: 'x.js', styleUri: 'x.css', t },
      {
        bridge: { id: 'b"1', displayName: evil, provider: 'local', status: 'connected', statusText: evil, supportsMultipleAccounts: true, activeAccountCount: 1, type: 'whatsapp' },
        accounts: [{ accountID: 'a', user: { id: '@a', fullName: evil }, status: 'connected', statusText: evil }],
        flows: [{ id: 'qr"><script>', name: evil, description: evil }],
        capabilities: readCapabilities({ ...capabilitiesOf('whatsapp'), [evil]: evil }),
      },
    );
    assert.doesNotMatch(html, /<img|<script>|onerror=alert\(1\)>/);
    assert.match(html, /data-flow="qr&quot;&gt;&lt;script&gt;"/);
    assert.match(html, /Add account with this flow/);
    assert.match(html, /On this device/);
    assert.match(html, /message_requests/);
  });
});

describe('the sandbox: contacts and starting chats', () => {
  let sb: Sandbox;
  let client: BeeperClient;
  before(async () => {
    sb = await startSandbox();
    client = new BeeperClient({ baseUrl: sb.url, token: () => sb.token });
  });
  after(async () => {
    await client.dispose();
    await sb.close();
  });

  it('pages contacts, has people who cannot be messaged, and one account whose contacts fail', async () => {
    const first = await client.listContacts('local-whatsapp_ba_sandbox1', { limit: 50 });
    assert.equal(first.items.length, 50);
    assert.ok(first.hasMore && first.oldestCursor);
    const second = await client.listContacts('local-whatsapp_ba_sandbox1', { limit: 50, cursor: first.oldestCursor, direction: 'before' });
    assert.ok(second.items.length > 0);
    assert.ok(![...first.items, ...second.items].some((u, i, all) => all.findIndex((x) => x.id === u.id) !== i), 'no one twice');
    assert.ok([...first.items, ...second.items].some((u) => u.cannotMessage));
    await assert.rejects(client.searchContacts('slackgo.T0SANDBOX-U0SAM', 'a'), (e: unknown) => e instanceof BeeperApiError && /contact list/.test(e.message));
  });

  it('starts a chat once, then finds the same one; refuses who cannot be messaged', async () => {
    const people = (await client.listContacts('local-whatsapp_ba_sandbox1', { limit: 200 })).items;
    const someone = people.find((u) => u.id.startsWith('@dir') && !u.cannotMessage)!;
    const created = await client.startChat({ accountID: 'local-whatsapp_ba_sandbox1', user: { id: someone.id } });
    assert.equal(created.status, 'created');
    const again = await client.startChat({ accountID: 'local-whatsapp_ba_sandbox1', user: { phoneNumber: someone.phoneNumber, username: someone.username } });
    assert.equal(again.status, 'existing');
    assert.equal(again.id, created.id);
    const blocked = people.find((u) => u.cannotMessage)!;
    await assert.rejects(client.startChat({ accountID: 'local-whatsapp_ba_sandbox1', user: { id: blocked.id } }), (e: unknown) => e instanceof BeeperApiError && e.status === 422);
  });
});
