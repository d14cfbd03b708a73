// The webview safety rules: escaping, the CSP, which avatar URLs may load, the local-file root
// check, and the chat details page built from hostile API strings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Chat } from '../../../src/api/types';
import { chatErrorHtml, chatShellHtml, chatStateUpdate, participantView, type PageFrame } from '../../../src/webviews/chatDetailsHtml';
import { classifyImageUrl, contentSecurityPolicy, displayText, escapeHtml, makeNonce } from '../../../src/webviews/html';
import { initials } from '../../../src/text/format';
import { checkLocalImage, copyLocalImage, defaultMediaRoots, isInside, isNetworkPath, mapLimit } from '../../../src/webviews/localMedia';

const frame: PageFrame = {
  cspSource: 'https://file+.vscode-resource.test',
  nonce: 'NONCE123',
  scriptUri: 'https://file+.vscode-resource.test/media/chat.js',
  styleUri: 'https://file+.vscode-resource.test/media/webview.css',
  t: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
};

const hostile = '<img src=x onerror=alert(1)><script>alert("x")</script>\u202eevil';

function chat(extra: Partial<Chat> = {}): Chat {
  return {
    id: '!room:beeper.local',
    accountID: 'whatsapp-1',
    network: 'WhatsApp',
    title: 'Team',
    type: 'group',
    unreadCount: 3,
    participants: {
      items: [
        { id: 'u1', fullName: 'Ana', username: 'ana', isSelf: true },
        { id: 'u2', fullName: 'Bo', imgURL: 'javascript:alert(1)' },
        { id: 'u3', fullName: 'Cy', imgURL: 'https://example.invalid/a.png' },
      ],
      hasMore: true,
      total: 250,
    },
    lastActivity: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...extra,
  };
}

/** Every <script> in the page, with its attributes. */
function scripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
}

describe('webview HTML helpers', () => {
  it('escapes every character that could open markup or end an attribute', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    assert.equal(escapeHtml(undefined), '');
    assert.equal(escapeHtml(42), '42');
  });

  it('strips bidi overrides and control characters, and cuts 10,000-character text', () => {
    assert.equal(displayText('abc\u202edef\u2066g\u0007'), 'abcdefg');
    const long = displayText('x'.repeat(10_000));
    assert.equal(long.length, 500);
    assert.ok(long.endsWith('…'));
  });

  it('gives a CSP that allows nothing by default and scripts only with the nonce', () => {
    const csp = contentSecurityPolicy('vscode-resource:', 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http:/);
    assert.match(csp, /img-src vscode-resource: data:(;|$)/, 'no remote images unless asked for');
    assert.match(contentSecurityPolicy('vscode-resource:', 'abc', true), /img-src vscode-resource: https: data:/, 'beeper.loadRemoteImages on');
  });

  it('makes a fresh, URL-safe nonce each time', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{20,}$/);
    assert.notEqual(a, makeNonce());
  });

  it('lets only https: and image data: URLs through; file: needs a root check; the rest are placeholders', () => {
    assert.deepEqual(classifyImageUrl('https://cdn.example/a.png'), { kind: 'url', url: 'https://cdn.example/a.png' });
    assert.equal(classifyImageUrl('data:image/png;base64,AAAA').kind, 'url');
    assert.equal(classifyImageUrl('data:text/html,<script>alert(1)</script>').kind, 'none');
    for (const bad of ['javascript:alert(1)', 'http://example.com/a.png', 'blob:https://x/1', 'a.png', '', null, undefined, 'vbscript:x']) {
      assert.equal(classifyImageUrl(bad as string).kind, 'none', String(bad));
    }
    assert.deepEqual(classifyImageUrl('file:///home/me/Pictures/a%20b.png'), { kind: 'file', path: '/home/me/Pictures/a b.png' });
    assert.equal(classifyImageUrl('https://cdn.example/a.png', false).kind, 'none', 'remote images off');
    for (const unc of ['file://fileserver/share/a.png', 'file:////fileserver/share/a.png', 'file:///%2F%2Ffileserver/share/a.png', 'file:///%5C%5Cfileserver%5Cshare%5Ca.png']) {
      assert.equal(classifyImageUrl(unc).kind, 'none', `${unc} names another computer`);
    }
  });

  it('takes initials from the first and last word', () => {
    assert.equal(initials('Ana Maria Silva'), 'AS');
    assert.equal(initials('émile'), 'É');
    assert.equal(initials(''), '?');
  });
});

describe('local avatars', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-media-'));
  const root = path.join(base, 'BeeperTexts');
  const outside = path.join(base, 'elsewhere');
  fs.mkdirSync(path.join(root, 'media'), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  fs.writeFileSync(path.join(root, 'media', 'a.png'), png);
  fs.writeFileSync(path.join(outside, 'secret.png'), png);
  fs.writeFileSync(path.join(root, 'media', 'notes.txt'), 'not an image');
  fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'media', 'link.png'));

  it('copies an image inside an allowed root into the storage folder, once, by a key that changes with it', async () => {
    const checked = await checkLocalImage(path.join(root, 'media', 'a.png'), [root]);
    assert.equal(checked?.type, 'image/png');
    assert.equal(checked?.size, png.length);
    const dir = path.join(base, 'copies');
    const first = await copyLocalImage(path.join(root, 'media', 'a.png'), [root], dir);
    assert.ok(first && fs.readFileSync(first.file).equals(png), 'the bytes, copied');
    assert.deepEqual(await copyLocalImage(path.join(root, 'media', 'a.png'), [root], dir), first, 'the same copy the second time');
    assert.equal(fs.readdirSync(dir).length, 1);
  });

  it('refuses files outside the roots, also through .. and symlinks, and non-images', async () => {
    assert.equal(await checkLocalImage(path.join(outside, 'secret.png'), [root]), undefined);
    assert.equal(await checkLocalImage(path.join(root, 'media', '..', '..', 'elsewhere', 'secret.png'), [root]), undefined);
    assert.equal(await checkLocalImage(path.join(root, 'media', 'link.png'), [root]), undefined);
    assert.equal(await checkLocalImage(path.join(root, 'media', 'notes.txt'), [root]), undefined);
    assert.equal(await checkLocalImage('media/a.png', [root]), undefined);
    assert.equal(await checkLocalImage(path.join(root, 'media', 'a.png'), [path.join(base, 'missing')]), undefined);
  });

  it('never touches the file system for a network (UNC) path or a path outside the roots: the text is checked first', async () => {
    const realpath = fs.promises.realpath;
    const stat = fs.promises.stat;
    const touched: string[] = [];
    fs.promises.realpath = (async (p: fs.PathLike) => {
      touched.push(String(p));
      return realpath(p);
    }) as typeof fs.promises.realpath;
    fs.promises.stat = (async (p: fs.PathLike) => {
      touched.push(String(p));
      return stat(p);
    }) as typeof fs.promises.stat;
    try {
      for (const p of ['\\\\fileserver\\share\\a.png', '//fileserver/share/a.png', '\\\\?\\UNC\\fileserver\\share\\a.png', path.join(outside, 'secret.png'), '/etc/passwd.png']) {
        assert.equal(await checkLocalImage(p, [root]), undefined, p);
      }
      assert.equal(await checkLocalImage(path.join(root, 'media', 'a.png'), ['//fileserver/share']), undefined, 'a network root allows nothing');
      assert.deepEqual(touched, [], 'no file was looked at');
      assert.ok(isNetworkPath('\\\\host\\share') && isNetworkPath('//host/share') && !isNetworkPath('/home/me'));
    } finally {
      fs.promises.realpath = realpath;
      fs.promises.stat = stat;
    }
  });

  it('reads avatars at most 8 at a time, in order', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit(Array.from({ length: 40 }, (_, i) => i), 8, async (i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return i * 2;
    });
    assert.equal(most, 8);
    assert.deepEqual(out, Array.from({ length: 40 }, (_, i) => i * 2));
  });

  it('knows where Beeper Desktop keeps its data and compares paths by segment', () => {
    assert.deepEqual(defaultMediaRoots('linux', {}, '/home/u'), ['/home/u/.config/BeeperTexts']);
    assert.deepEqual(defaultMediaRoots('darwin', {}, '/Users/u'), ['/Users/u/Library/Application Support/BeeperTexts']);
    assert.ok(isInside('/a/b', '/a/b/c.png'));
    assert.ok(!isInside('/a/b', '/a/bc/d.png'), 'a sibling with the same prefix is outside');
    assert.ok(!isInside('/a/b', '/a'));
  });
});

describe('chat page: shell, state and participants', () => {
  const t = frame.t;
  it('the shell holds no chat data: the layout, the CSP with a nonce, one page script', () => {
    const html = chatShellHtml(frame, '!room:beeper.local', { Today: 'Today' });
    assert.equal(scripts(html).length, 1, 'only the page script');
    assert.match(scripts(html)[0]!, /nonce="NONCE123" src="https:\/\/file\+\.vscode-resource\.test\/media\/chat\.js"/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-NONCE123&#39;/);
    assert.match(html, /<h1 id="chat-title" class="chat-title"><bdi><\/bdi><\/h1>/);
    // The conversation: an empty list the page fills by message, and a composer.
    assert.match(html, /<ol id="message-list" class="message-list" role="log" aria-live="polite"><\/ol>/);
    assert.match(html, /<textarea id="input"/);
    assert.match(html, /data-action="openInBeeper"/);
    assert.match(html, /<button type="button" id="show-more" data-action="showMoreParticipants" hidden/);
  });

  it('the state is plain text from hostile API strings: no markup crosses, bidi removed', () => {
    const state = chatStateUpdate(chat({ title: hostile, network: hostile, description: hostile }), { accountLabel: hostile, now: Date.now(), t });
    assert.equal(state.title, '<img src=x onerror=alert(1)><script>alert("x")</script>evil', 'text for textContent');
    assert.ok(!JSON.stringify(state).includes('\u202e'));
    assert.equal(state.subtitle.length, 3);
  });

  it('the state says what the details list: kind, account, unread, flags, time, copyable IDs', () => {
    const state = chatStateUpdate(chat({ isPinned: true, isMuted: true, localChatID: '42' }), { accountLabel: 'Ana (WhatsApp)', avatar: 'k1', now: Date.now(), t });
    assert.deepEqual(state.subtitle, ['WhatsApp', 'Ana (WhatsApp)', 'Group chat']);
    assert.equal(state.isGroup, true);
    assert.equal(state.avatar, 'k1');
    assert.equal(state.unread, '3');
    assert.deepEqual(state.flags, ['Pinned', 'Muted']);
    assert.equal(state.activity.text, '5m ago');
    assert.deepEqual(state.ids.map((i) => i.value), ['!room:beeper.local', '42', 'whatsapp-1']);
  });

  it('a participant: name, handle beside it, badges, an avatar key or none', () => {
    const [ana, bo] = chat().participants.items;
    assert.deepEqual(participantView(ana!, undefined, t), { name: 'Ana', handle: '@ana', badges: ['You'], avatar: undefined, self: true });
    assert.deepEqual(participantView({ ...bo!, fullName: hostile }, 'k2', t).name, '<img src=x onerror=alert(1)><script>alert("x")</script>evil');
  });

  it('says what went wrong on the error page, as text', () => {
    const html = chatErrorHtml(frame, 'c1', 'Could not load this chat', hostile, 'Check <b>the app</b>');
    assert.ok(html.includes('role="alert"'));
    assert.ok(html.includes('Check &lt;b&gt;the app&lt;/b&gt;'));
    assert.equal(scripts(html).length, 1);
    assert.match(html, /data-action="refresh"/);
  });
});
