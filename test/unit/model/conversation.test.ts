// The conversation window, the message view, the sanitizing rules and the snippet helpers: pure
// logic, checked on its own, and the windowing against the sandbox's 10,000-message chat.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BeeperClient } from '../../../src/api/client';
import type { Message, Page } from '../../../src/api/types';
import { fencedSnippet, mimeTypeOf } from '../../../src/commands/snippet';
import { compareSortKeys, Conversation } from '../../../src/model/conversation';
import { viewOf, whoText, type ViewContext } from '../../../src/webviews/messageView';
import { formatBytes } from '../../../src/text/format';
import { allowedClass, isAllowedHref, linkTarget, PURIFY_CONFIG } from '../../../src/webviews/sanitizeRules';
import { showcaseChatID } from '../../sandbox/messages';
import { startSandbox } from '../../sandbox/server';

function msg(n: number, extra: Partial<Message> = {}): Message {
  return { id: `m${n}`, chatID: 'c', accountID: 'a', senderID: n % 2 ? '@a' : '@b', timestamp: new Date(1_700_000_000_000 + n * 60_000).toISOString(), sortKey: String(1000 + n), text: `message ${n}`, ...extra };
}

function page(from: number, to: number, hasMore: boolean, order: 'asc' | 'desc' = 'desc'): Page<Message> {
  const items: Message[] = [];
  for (let n = from; n < to; n++) items.push(msg(n));
  if (order === 'desc') items.reverse();
  return { items, hasMore, oldestCursor: `c${from}`, newestCursor: `c${to - 1}` };
}

describe('conversation window', () => {
  it('sorts by sortKey whatever order a page comes in, numerically for numeric keys', () => {
    assert.ok(compareSortKeys('999', '1000') < 0);
    assert.ok(compareSortKeys('b', 'a') > 0);
    const c = new Conversation();
    c.reset(page(10, 35, true, 'desc'));
    c.addOlder(page(0, 10, false, 'asc'));
    assert.deepStrictEqual(c.messages().map((m) => m.id), Array.from({ length: 35 }, (_, i) => `m${i}`));
    assert.ok(c.atStart && c.atEnd);
  });

  it('stays bounded: older pages drop the newest pages, and newer pages bring them back', () => {
    const c = new Conversation(100);
    c.reset(page(975, 1000, true));
    for (let to = 975; to > 800; to -= 25) {
      const diff = c.addOlder(page(to - 25, to, true));
      assert.ok(c.size <= 100, `${c.size} kept`);
      assert.strictEqual(diff.upserted.length, 25);
    }
    assert.strictEqual(c.atEnd, false, 'the window no longer reaches the newest message');
    assert.strictEqual(c.messages()[0]!.id, 'm800');
    assert.strictEqual(c.newerCursor, 'c899');
    const back = c.addNewer(page(900, 925, true));
    assert.strictEqual(back.removed.length, 25, 'the oldest page went');
    assert.strictEqual(c.messages()[c.size - 1]!.id, 'm924');
  });

  it('a live message joins a window at the newest message, and is only counted when the window stops short', () => {
    const c = new Conversation(50);
    c.reset(page(0, 25, true));
    assert.strictEqual(c.upsert(msg(25)).outside, false);
    assert.strictEqual(c.messages().at(-1)!.id, 'm25');
    // The same message again (an event and a poll) replaces, never duplicates.
    c.upsert(msg(25, { text: 'edited' }));
    assert.strictEqual(c.messages().filter((m) => m.id === 'm25').length, 1);
    assert.strictEqual(c.get('m25')!.text, 'edited');
    const short = new Conversation(50);
    short.reset(page(100, 125, true));
    short.addOlder(page(75, 100, true));
    short.addOlder(page(50, 75, true));
    assert.strictEqual(short.atEnd, false);
    assert.strictEqual(short.upsert(msg(200)).outside, true);
    assert.strictEqual(short.unseenNewer, 1);
  });

  it('a pending send is replaced by the confirmed message (no duplicate)', () => {
    const c = new Conversation();
    c.reset(page(0, 5, false));
    c.upsert({ ...msg(99), id: 'local:1', sortKey: '9'.repeat(30), sendStatus: { status: 'PENDING' } });
    const diff = c.upsert({ ...msg(6), id: 'final', isSender: true }, 'local:1');
    assert.deepStrictEqual(diff.removed, ['local:1']);
    assert.deepStrictEqual(c.messages().map((m) => m.id).slice(-1), ['final']);
    assert.strictEqual(c.get('local:1'), undefined);
  });

  it('against the sandbox: 10,000 messages paged back to the first, every one once, 400 requests, never more than 250 kept', async () => {
    const sb = await startSandbox({});
    try {
      const client = new BeeperClient({ baseUrl: sb.url, token: () => sb.token });
      const chatID = showcaseChatID('history');
      const c = new Conversation();
      const seen = new Set<string>();
      let requests = 1;
      let most = 0;
      c.reset(await client.listMessages(chatID));
      for (const m of c.messages()) seen.add(m.id);
      while (!c.atStart) {
        const diff = c.addOlder(await client.listMessages(chatID, { cursor: c.olderCursor!, direction: 'before' }));
        requests++;
        for (const m of diff.upserted) {
          assert.ok(!seen.has(m.id), `${m.id} twice`);
          seen.add(m.id);
        }
        most = Math.max(most, c.size);
      }
      assert.strictEqual(seen.size, 10_000);
      assert.strictEqual(requests, 400);
      assert.ok(most <= 250, `${most} kept`);
      await client.dispose();
    } finally {
      await sb.close();
    }
  });
});

describe('message view', () => {
  const ctx: ViewContext = {
    selfIDs: new Set(['@me']),
    names: new Map([['@a', 'Ada'], ['@b', 'Grace']]),
    quoted: (id) => (id === 'q1' ? msg(1, { id: 'q1', text: '<b>quoted</b>' }) : undefined),
    assetSrc: (key) => (key === 'mxc://x/ready' ? 'https://file+.vscode-resource/cache/a.png' : undefined),
    remoteImages: false,
    t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])),
  };

  it('edit and delete follow the network: its capability levels, time limits and delete-for-me', () => {
    const now = Date.parse(msg(10).timestamp) + 20 * 60_000;
    const own = msg(10, { isSender: true });
    const at = (caps: ViewContext['caps']) => viewOf(own, { ...ctx, caps, now })!;
    assert.deepStrictEqual([at(undefined).canEdit, at(undefined).canDelete], [true, true], 'no capabilities known: as before');
    assert.deepStrictEqual([at({ edit: 2, delete: 2 }).canEdit, at({ edit: 2, delete: 2 }).canDelete], [true, true]);
    assert.strictEqual(at({ edit: 2, editMaxAge: 900 }).canEdit, false, '20 minutes old, 15 minutes to edit');
    assert.strictEqual(at({ edit: 2, editMaxAge: 3600 }).canEdit, true);
    assert.strictEqual(at({ edit: 0 }).canEdit, false, 'no edits on this network');
    assert.strictEqual(at({ delete: 0, deleteForMe: false }).canDelete, false);
    assert.strictEqual(at({ delete: 0, deleteForMe: true }).canDelete, true, 'delete for me');
    assert.strictEqual(viewOf(msg(11), { ...ctx, caps: { delete: 2, deleteForMe: false }, now })!.canDelete, false, 'someone else’s message, no delete for me');
  });

  it('receipts: sent, delivered, read by whom (groups) or when (direct); nothing where the network has none', () => {
    const sent = msg(12, { isSender: true, sendStatus: { status: 'SUCCESS' } });
    assert.deepStrictEqual(viewOf(sent, ctx)!.receipt, { state: 'sent', text: 'Sent' });
    assert.deepStrictEqual(viewOf({ ...sent, sendStatus: { status: 'SUCCESS', deliveredToUsers: ['@a'] } }, ctx)!.receipt, { state: 'delivered', text: 'Delivered' });
    assert.deepStrictEqual(viewOf({ ...sent, seen: { '@a': '2026-12-01T10:00:00Z', '@b': false } }, ctx)!.receipt, { state: 'read', text: 'Read by Ada' });
    assert.deepStrictEqual(viewOf({ ...sent, seen: '2026-12-01T10:00:00Z' }, ctx)!.receipt, { state: 'read', text: 'Read', at: '2026-12-01T10:00:00.000Z' });
    assert.strictEqual(viewOf({ ...sent, seen: true }, { ...ctx, caps: { readReceipts: false } })!.receipt, undefined, 'no receipts on this network: no guess');
    assert.strictEqual(viewOf(msg(13, { sendStatus: { status: 'SUCCESS' } }), ctx)!.receipt, undefined, 'only your own messages');
    assert.strictEqual(viewOf(msg(14, { isSender: true }), ctx)!.receipt, undefined, 'nothing reported yet: nothing shown');
  });

  it('hides hidden messages, words deleted ones, and shows the send state of own messages', () => {
    assert.strictEqual(viewOf(msg(1, { isHidden: true }), ctx), undefined);
    const deleted = viewOf(msg(2, { isDeleted: true, text: 'secret' }), ctx)!;
    assert.ok(deleted.deleted && deleted.html === undefined);
    const failed = viewOf(msg(3, { isSender: true, sendStatus: { status: 'FAIL_RETRIABLE', message: 'Network\u202e down' } }), ctx)!;
    assert.deepStrictEqual(failed.send, { state: 'failed', reason: 'Network down' });
    assert.strictEqual(failed.canEdit, false, 'a failed send is retried, not edited');
    assert.deepStrictEqual(viewOf(msg(4, { isSender: true, sendStatus: { status: 'PENDING' } }), ctx)!.send, { state: 'pending' });
  });

  it('groups reactions with counts and who reacted; quotes replies; images wait for the cache', () => {
    const v = viewOf(
      msg(5, {
        linkedMessageID: 'q1',
        reactions: [
          { id: '1', reactionKey: '👍', participantID: '@a' },
          { id: '2', reactionKey: '👍', participantID: '@me' },
          { id: '3', reactionKey: '❤️', participantID: '@b' },
        ],
        attachments: [
          { type: 'img', id: 'mxc://x/ready', fileName: 'a.png', mimeType: 'image/png', fileSize: 2048 },
          { type: 'img', id: 'mxc://x/later', fileName: 'b.png' },
          { type: 'unknown', id: 'mxc://x/doc', fileName: 'r.pdf', mimeType: 'application/pdf', fileSize: 3_500_000 },
        ],
        links: [{ url: 'https://e.org', title: 'T', img: 'https://e.org/i.png' }],
      }),
      ctx,
    )!;
    assert.deepStrictEqual(v.reactions, [
      { key: '👍', count: 2, mine: true, who: 'Ada and you' },
      { key: '❤️', count: 1, mine: false, who: 'Grace' },
    ]);
    assert.deepStrictEqual(v.replyTo, { id: 'q1', sender: 'Ada', html: '<b>quoted</b>' });
    assert.strictEqual(v.attachments![0]!.src, 'https://file+.vscode-resource/cache/a.png');
    assert.strictEqual(v.attachments![1]!.src, undefined);
    assert.strictEqual(v.attachments![1]!.assetKey, 'mxc://x/later');
    assert.deepStrictEqual([v.attachments![2]!.kind, v.attachments![2]!.detail], ['file', '3.3 MB · PDF']);
    assert.strictEqual(v.links![0]!.img, undefined, 'no remote preview image unless beeper.loadRemoteImages');
    assert.deepStrictEqual(viewOf(msg(6, { linkedMessageID: 'gone' }), ctx)!.replyTo, { id: 'gone', missing: true });
    assert.strictEqual(formatBytes(512), '512 B');
    assert.strictEqual(whoText(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], ctx.t), 'a, b, c, d, e and 3 others');
  });
});

describe('sanitizing rules', () => {
  it('keep only the formatting the issue allows', () => {
    assert.deepStrictEqual(
      [...PURIFY_CONFIG.ALLOWED_TAGS].sort(),
      ['a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'i', 'li', 'ol', 'p', 'pre', 's', 'strong', 'u', 'ul'],
    );
    assert.deepStrictEqual([...PURIFY_CONFIG.ALLOWED_ATTR], ['href', 'class']);
    for (const dropped of ['mx-reply', 'script', 'style', 'iframe', 'form', 'img']) assert.ok(PURIFY_CONFIG.FORBID_CONTENTS.includes(dropped), dropped);
  });

  it('links: http(s) and mailto only; everything else is refused', () => {
    for (const ok of ['https://example.org', 'http://localhost:3000/x', 'mailto:a@b.c', ' HTTPS://EXAMPLE.ORG ']) assert.ok(isAllowedHref(ok), ok);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', 'file:///etc/passwd', 'command:workbench.action.quit', 'vscode://x', '//evil.example', 'java\u0000script:alert(1)']) {
      assert.ok(!isAllowedHref(bad), bad);
    }
    assert.strictEqual(linkTarget('https://example.org/a b')?.href, 'https://example.org/a%20b');
  });

  it('classes: only a code block language survives', () => {
    assert.strictEqual(allowedClass('code', 'language-typescript'), 'language-typescript');
    assert.strictEqual(allowedClass('pre', 'x language-c++ y'), 'language-c++');
    assert.strictEqual(allowedClass('code', 'evil'), undefined);
    assert.strictEqual(allowedClass('a', 'language-js'), undefined);
    assert.strictEqual(allowedClass('code', 'language-"><script>'), undefined);
  });
});

describe('sharing from the editor', () => {
  it('a selection becomes a fenced block with its language and file:line, fenced longer than any backticks inside', () => {
    assert.strictEqual(fencedSnippet('const a = 1;\n', 'typescript', 'src/a.ts', 3, 3), '`src/a.ts:3`\n```typescript\nconst a = 1;\n```');
    const tricky = fencedSnippet('x = ```\ny', 'plaintext', 'notes.txt', 1, 2);
    assert.strictEqual(tricky, '`notes.txt:1-2`\n````\nx = ```\ny\n````');
    assert.strictEqual(mimeTypeOf('Photo.JPG'), 'image/jpeg');
    assert.strictEqual(mimeTypeOf('archive.weird'), 'application/octet-stream');
  });
});
