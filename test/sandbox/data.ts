// The sandbox's world: bridges of every provider and status, accounts in every status, and
// chats with every marker. Deterministic (a seeded generator), so tests can name what they see.
import type { Account, Bridge, Chat, Participant, User } from '../../src/api/types';

export interface SandboxChat extends Omit<Chat, 'participants'> {
  /** Participants are generated on demand: a 1,000-member group costs nothing until asked for. */
  participantCount: number;
  /** Sort key: epoch ms of lastActivity (or of a reminder that came due since, when later). */
  ts: number;
  /** Test hook: every generated participant's avatar URL (`{i}` becomes the participant's index). */
  participantImgURL?: string;
  /** A direct chat started with a contact: the other person, as the contact list has them. */
  partner?: Participant;
  /** Messages in the generated history (see messages.ts); a default from the chat's ID otherwise. */
  historyCount?: number;
  /** When the newest generated message was sent (epoch ms). */
  historyEnd?: number;
  /** A group created through POST /v1/chats: its participants as chosen (self first). */
  members?: Participant[];
  /** The timer that tells the reminder coming due (state.ts). */
  reminderTimer?: ReturnType<typeof setTimeout>;
}

export interface BridgeSpec extends Omit<Bridge, 'accounts' | 'activeAccountCount'> {
  flows: { id: string; name: string; description: string }[];
}

export interface WorldOptions {
  /** Chats of the first WhatsApp account (the benchmarks use 10,000). */
  bigAccountChats?: number;
  /** Extra connected accounts spread over the bridges (benchmarks use 20 accounts in all). */
  extraAccounts?: number;
  /** The sandbox's idea of now; lastActivity values count back from it. */
  now?: number;
}

export interface World {
  bridges: BridgeSpec[];
  accounts: Account[];
  chats: SandboxChat[];
}

export const SELF_NAME = 'Sam Sandbox';

export const BRIDGES: BridgeSpec[] = [
  {
    id: 'matrix', displayName: 'Beeper (Matrix)', provider: 'cloud', type: 'matrix', network: 'Beeper', status: 'limit_reached',
    statusText: 'Only one Beeper account can be signed in.', supportsMultipleAccounts: false,
    flows: [{ id: 'password', name: 'Password', description: 'Sign in with your Beeper username and password.' }],
  },
  {
    id: 'local-whatsapp', displayName: 'WhatsApp', provider: 'local', type: 'whatsapp', network: 'WhatsApp', status: 'connected',
    statusText: 'Connected', supportsMultipleAccounts: true,
    flows: [{ id: 'qr', name: 'QR code', description: 'Scan a QR code with WhatsApp on your phone.' }],
  },
  {
    id: 'local-telegram', displayName: 'Telegram', provider: 'local', type: 'telegram', network: 'Telegram', status: 'available',
    supportsMultipleAccounts: true,
    flows: [
      { id: 'phone', name: 'Phone number', description: 'Sign in with your phone number and a login code.' },
      { id: 'qr', name: 'QR code', description: 'Scan a QR code with Telegram on another device.' },
    ],
  },
  {
    id: 'discordgo', displayName: 'Discord', provider: 'cloud', type: 'discordgo', network: 'Discord', status: 'connected',
    statusText: 'Connected', supportsMultipleAccounts: true,
    flows: [{ id: 'qr', name: 'QR code', description: 'Scan a QR code with the Discord app.' }],
  },
  {
    id: 'slackgo', displayName: 'Slack', provider: 'cloud', type: 'slackgo', network: 'Slack', status: 'available',
    supportsMultipleAccounts: true,
    flows: [{ id: 'cookies', name: 'Browser sign-in', description: 'Sign in to Slack in your browser and paste the session values.' }],
  },
  {
    id: 'local-instagram', displayName: 'Instagram', provider: 'local', type: 'instagram', network: 'Instagram', status: 'available',
    supportsMultipleAccounts: false,
    flows: [{ id: 'emoji', name: 'Approve on phone', description: 'Confirm the matching emoji in the Instagram app.' }],
  },
  {
    id: 'local-twitter', displayName: 'X (Twitter)', provider: 'local', type: 'twitter', network: 'Twitter/X', status: 'available',
    supportsMultipleAccounts: false,
    flows: [{ id: 'password', name: 'Password', description: 'Sign in with your X username and password.' }],
  },
  {
    id: 'sh-gmessages', displayName: 'Google Messages (self-hosted)', provider: 'self-hosted', type: 'gmessages', network: 'Google Messages',
    status: 'temporarily_unavailable', statusText: 'Your self-hosted bridge is not responding.', supportsMultipleAccounts: false,
    flows: [{ id: 'qr', name: 'QR code', description: 'Pair with Google Messages on your phone.' }],
  },
  {
    id: 'psdk-linkedin', displayName: 'LinkedIn', provider: 'platform-sdk', type: 'linkedin', network: 'LinkedIn', status: 'disabled',
    statusText: 'LinkedIn is turned off in Beeper settings.', supportsMultipleAccounts: false,
    flows: [{ id: 'cookies', name: 'Browser sign-in', description: 'Sign in to LinkedIn in your browser.' }],
  },
  {
    id: 'local-signal', displayName: 'Signal', provider: 'local', type: 'signal', network: 'Signal', status: 'connected',
    statusText: 'Connected', supportsMultipleAccounts: false,
    flows: [{ id: 'qr', name: 'Link device', description: 'Scan a QR code with Signal on your phone.' }],
  },
];

/** Account templates: one per status, so every state can be seen and tested. */
const ACCOUNTS: { bridgeID: string; accountID: string; status: string; statusText: string; user: Omit<User, 'id'>; chats: number }[] = [
  { bridgeID: 'matrix', accountID: 'matrix', status: 'connected', statusText: 'Connected', user: { username: 'sam:beeper.com', fullName: SELF_NAME }, chats: 14 },
  { bridgeID: 'local-whatsapp', accountID: 'local-whatsapp_ba_sandbox1', status: 'connected', statusText: 'Connected', user: { phoneNumber: '+15550100001', fullName: SELF_NAME }, chats: 120 },
  { bridgeID: 'local-whatsapp', accountID: 'local-whatsapp_ba_sandbox2', status: 'backfilling', statusText: 'Syncing history (42%)', user: { phoneNumber: '+15550100002', fullName: 'Sam (work phone)' }, chats: 8 },
  { bridgeID: 'discordgo', accountID: 'discordgo', status: 'reconnect_required', statusText: 'Discord signed you out. Reconnect to keep receiving messages.', user: { username: 'sam_sandbox', fullName: SELF_NAME }, chats: 22 },
  { bridgeID: 'local-signal', accountID: 'local-signal_ba_sandbox1', status: 'connection_required', statusText: 'Link this computer to Signal again.', user: { phoneNumber: '+15550100003', fullName: SELF_NAME }, chats: 6 },
  { bridgeID: 'local-telegram', accountID: 'local-telegram_ba_sandbox1', status: 'connecting', statusText: 'Connecting…', user: { username: 'samsandbox', fullName: SELF_NAME }, chats: 11 },
  { bridgeID: 'slackgo', accountID: 'slackgo.T0SANDBOX-U0SAM', status: 'attention_required', statusText: 'Slack needs you to accept its new terms.', user: { username: 'sam', fullName: 'Sam Sandbox (Acme)', email: 'sam@acme.example' }, chats: 9 },
  { bridgeID: 'local-instagram', accountID: 'local-instagram_ba_sandbox1', status: 'disconnected', statusText: 'Disconnected', user: { username: 'sam.sandbox', fullName: SELF_NAME }, chats: 4 },
  { bridgeID: 'psdk-linkedin', accountID: 'psdk-linkedin_ba_sandbox1', status: 'disabled', statusText: 'Disabled in Beeper settings', user: { fullName: SELF_NAME }, chats: 3 },
];

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Radia', 'Dennis', 'Frances', 'Tim', 'Hedy', 'Guido', 'Katherine', 'Edsger', 'Sophie'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Thompson', 'Perlman', 'Ritchie', 'Allen', 'Berners-Lee', 'Lamarr', 'van Rossum', 'Johnson', 'Dijkstra', 'Wilson'];
const GROUPS = ['Family 👨‍👩‍👧', 'Book club 📚', '家族のグループ', 'Команда проекта', 'مجموعة الأصدقاء', 'Weekend hikes 🥾', 'Release crew', 'Πληροφορική', '🎉 Party planning', 'Climbing gym', 'Neighbours', 'Design reviews'];

/** A small deterministic PRNG (mulberry32) so the world is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostOf(accountID: string): string {
  return accountID.replace(/_ba_.*$/, '').replace(/[^a-z0-9-]/gi, '-') + '.localhost';
}

export function makeAccount(spec: BridgeSpec, accountID: string, status: string, statusText: string, user: Omit<User, 'id'>): Account {
  return {
    accountID,
    bridge: { id: spec.id, provider: spec.provider, type: spec.type },
    status,
    statusText,
    user: { id: `@${accountID}:${hostOf(accountID)}`, isSelf: true, ...user },
    network: spec.network,
    loginID: `login_${accountID}`,
  };
}

export function makeChats(account: Account, count: number, now: number, seed: number): SandboxChat[] {
  const random = rng(seed);
  const chats: SandboxChat[] = [];
  for (let i = 0; i < count; i++) {
    const group = i % 4 === 1 || i % 9 === 0;
    const first = FIRST[Math.floor(random() * FIRST.length)];
    const last = LAST[Math.floor(random() * LAST.length)];
    const title = group ? `${GROUPS[i % GROUPS.length]}${i >= GROUPS.length ? ` ${Math.floor(i / GROUPS.length) + 1}` : ''}` : `${first} ${last}`;
    // Spread over weeks: the first chats are minutes old, later ones days old.
    const ts = now - Math.floor(i * 17 * 60_000 + random() * 15 * 60_000 + i * i * 1_000);
    const participantCount = group ? (i === 1 ? 1000 : 3 + Math.floor(random() * 40)) : i === 0 && count > 5 ? 1 : 2;
    chats.push({
      id: `!chat${i}_${account.accountID}:${hostOf(account.accountID)}`,
      localChatID: String(100000 + seed * 1000 + i),
      accountID: account.accountID,
      network: account.network ?? '',
      title,
      type: group ? 'group' : 'single',
      participantCount,
      unreadCount: random() < 0.3 ? 1 + Math.floor(random() * 12) : 0,
      lastActivity: new Date(ts).toISOString(),
      ts,
      historyEnd: ts,
      // A few pinned chats, on three of the accounts (the Inbox lists pinned chats first).
      isPinned: (i === 2 || i === 5) && (seed === 1 || seed === 2 || seed === 4),
      isMuted: i % 7 === 3,
      isArchived: i % 11 === 10,
      isLowPriority: false,
      isReadOnly: false,
      lastReadMessageSortKey: String(449706228480 + i),
    });
    const chat = chats[chats.length - 1]!;
    // Some unread groups mention the user.
    if (group && chat.unreadCount > 0 && i % 3 === 1) chat.unreadMentionsCount = 1 + (i % 2);
  }
  return chats;
}

/** Names in several scripts for the contact directories. */
const DIRECTORY_NAMES = ['田中 花子', 'Анна Иванова', 'محمد علي', 'Ελένη Παπαδοπούλου', 'José Núñez', 'Zoë Ünal', 'Nguyễn Văn An', 'שרה כהן', 'Priya Sharma', 'Kwame Mensah'];

/**
 * An account's contact directory beyond its chats: deterministic, 40 people, some with a phone,
 * some with an email, some only a username, every seventh one that cannot be messaged.
 */
export function directoryOf(account: Account): (User & { ts: number })[] {
  const random = rng([...account.accountID].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 17));
  const host = hostOf(account.accountID);
  const out: (User & { ts: number })[] = [];
  for (let i = 0; i < 40; i++) {
    const name = i % 4 === 3 ? DIRECTORY_NAMES[i % DIRECTORY_NAMES.length]! : `${FIRST[Math.floor(random() * FIRST.length)]} ${LAST[Math.floor(random() * LAST.length)]}`;
    const handle = `${name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '') || 'user'}${i}`;
    const user: User & { ts: number } = { id: `@dir${i}_${handle}:${host}`, fullName: name, isSelf: false, ts: 1_000_000 - i };
    if (i % 3 !== 2) user.username = handle;
    if (i % 2 === 0) user.phoneNumber = `+1555020${String(1000 + i).slice(1)}`;
    if (i % 5 === 1) user.email = `${handle}@example.org`;
    if (i % 7 === 6) user.cannotMessage = true;
    out.push(user);
  }
  return out;
}

/** Participants of a chat, generated from its ID: the same every time. */
export function participantsOf(chat: SandboxChat, account: Account | undefined, limit: number): Participant[] {
  if (chat.members) return limit < 0 ? chat.members : chat.members.slice(0, limit);
  const count = limit < 0 ? chat.participantCount : Math.min(limit, chat.participantCount);
  const out: Participant[] = [];
  for (let i = 0; i < count; i++) {
    if (i === 0 && chat.participantCount > 1 && account) {
      out.push({ ...account.user, isSelf: true, isAdmin: chat.type === 'group' });
      continue;
    }
    if (chat.type === 'single' && chat.partner) {
      out.push(chat.partner);
      continue;
    }
    if (chat.type === 'single' && i === 0) {
      out.push({ id: `@${chat.title.toLowerCase().replace(/\W+/g, '')}:${hostOf(chat.accountID)}`, fullName: chat.title, isSelf: false });
      continue;
    }
    const name = chat.type === 'single' ? chat.title : `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    out.push({
      id: `@p${i}_${chat.localChatID}:${hostOf(chat.accountID)}`,
      fullName: name,
      username: name.toLowerCase().replace(/[^a-z]+/g, '.'),
      imgURL: chat.participantImgURL ? chat.participantImgURL.replace('{i}', String(i)) : i % 3 === 0 ? `data:image/svg+xml;base64,${Buffer.from(avatarSvg(name)).toString('base64')}` : undefined,
      isSelf: false,
      isAdmin: chat.type === 'group' && i === 1,
    });
  }
  return out;
}

function avatarSvg(name: string): string {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  const initials = name.split(' ').map((w) => w[0]).join('').slice(0, 2).replace(/[<&>]/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="16" fill="hsl(${hue},55%,45%)"/><text x="16" y="21" font-size="13" text-anchor="middle" fill="#fff" font-family="sans-serif">${initials}</text></svg>`;
}

export function makeWorld(options: WorldOptions = {}): World {
  const now = options.now ?? Date.now();
  const bridges = BRIDGES.map((b) => ({ ...b, flows: [...b.flows] }));
  const byId = new Map(bridges.map((b) => [b.id, b]));
  const accounts: Account[] = [];
  const chats: SandboxChat[] = [];
  ACCOUNTS.forEach((t, index) => {
    const account = makeAccount(byId.get(t.bridgeID)!, t.accountID, t.status, t.statusText, t.user);
    accounts.push(account);
    const count = index === 1 && options.bigAccountChats ? options.bigAccountChats : t.chats;
    chats.push(...makeChats(account, count, now, index + 1));
  });
  // The first WhatsApp account's announcements channel: read-only (messages.ts names the others).
  const announcements = chats.find((c) => c.id === '!chat11_local-whatsapp_ba_sandbox1:local-whatsapp.localhost');
  if (announcements) Object.assign(announcements, { title: 'Announcements 📣', type: 'group', participantCount: 40, isReadOnly: true });
  const hostile = chats.find((c) => c.id === '!chat3_local-whatsapp_ba_sandbox1:local-whatsapp.localhost');
  if (hostile) hostile.title = 'Mallory (hostile HTML)';
  const history = chats.find((c) => c.id === '!chat4_local-whatsapp_ba_sandbox1:local-whatsapp.localhost');
  if (history) history.title = 'Long History (10,000 messages)';
  const code = chats.find((c) => c.id === '!chat9_local-whatsapp_ba_sandbox1:local-whatsapp.localhost');
  if (code) code.title = 'Code review 🧑‍💻';
  // The Inbox's markers, on chats the other tests do not open: a due reminder, later reminders,
  // drafts from another device, low priority and a disappearing-message timer.
  const mark = (id: string, patch: Partial<SandboxChat>) => {
    const chat = chats.find((c) => c.id === id);
    if (chat) Object.assign(chat, patch);
  };
  mark('!chat9_matrix:matrix.localhost', { reminder: { remindAt: new Date(now - 5 * 60_000).toISOString(), dismissOnIncomingMessage: false } });
  mark('!chat6_matrix:matrix.localhost', { reminder: { remindAt: new Date(now + 3 * 3600_000).toISOString(), dismissOnIncomingMessage: true }, draft: { text: 'Let me check and get back to you' } });
  mark('!chat3_local-telegram_ba_sandbox1:local-telegram.localhost', { draft: { text: 'Running late, <b>10 min</b>' } });
  mark('!chat8_matrix:matrix.localhost', { isLowPriority: true });
  mark('!chat4_local-telegram_ba_sandbox1:local-telegram.localhost', { isLowPriority: true, messageExpirySeconds: 86_400 });
  mark('!chat2_slackgo.T0SANDBOX-U0SAM:slackgo-T0SANDBOX-U0SAM.localhost', { reminder: { remindAt: new Date(now + 26 * 3600_000).toISOString() } });
  const extraBridges = bridges.filter((b) => b.supportsMultipleAccounts);
  for (let i = 0; i < (options.extraAccounts ?? 0); i++) {
    const bridge = extraBridges[i % extraBridges.length]!;
    const account = makeAccount(bridge, `${bridge.id}_ba_extra${i + 1}`, 'connected', 'Connected', { fullName: `${SELF_NAME} #${i + 2}` });
    accounts.push(account);
    chats.push(...makeChats(account, 30, now, 100 + i));
  }
  return { bridges, accounts, chats };
}

/** Disappearing-message timers (ms) a network offers, as the chat capabilities list them. */
const TIMERS: Record<string, number[]> = {
  whatsapp: [86_400_000, 604_800_000, 7_776_000_000],
  signal: [30_000, 300_000, 3_600_000, 28_800_000, 86_400_000, 604_800_000],
  telegram: [86_400_000, 604_800_000, 2_592_000_000],
};

/**
 * What each network's chats can do, from rich to none (the spec's ChatCapabilities): edit and
 * delete with their time limits, delete for me, reactions (any, some, none), read receipts and
 * the longest text. LinkedIn can do almost nothing; Beeper (Matrix) everything.
 */
const NETWORK_CAPS: Record<string, { edit: number; editMaxAge?: number; delete: number; deleteMaxAge?: number; deleteForMe: boolean; reaction: number; allowedReactions?: string[]; readReceipts: boolean; maxTextLength: number }> = {
  matrix: { edit: 2, delete: 2, deleteForMe: true, reaction: 2, readReceipts: true, maxTextLength: 65_536 },
  whatsapp: { edit: 2, editMaxAge: 900, delete: 2, deleteMaxAge: 216_000, deleteForMe: true, reaction: 2, readReceipts: true, maxTextLength: 65_536 },
  signal: { edit: 2, editMaxAge: 86_400, delete: 2, deleteMaxAge: 86_400, deleteForMe: true, reaction: 2, readReceipts: true, maxTextLength: 2000 },
  telegram: { edit: 2, editMaxAge: 172_800, delete: 2, deleteForMe: true, reaction: 2, allowedReactions: ['👍', '👎', '❤️', '🔥', '🎉', '😁', '😢', '🙏'], readReceipts: true, maxTextLength: 4096 },
  discordgo: { edit: 2, delete: 2, deleteForMe: false, reaction: 2, readReceipts: false, maxTextLength: 2000 },
  slackgo: { edit: 2, delete: 2, deleteForMe: false, reaction: 2, readReceipts: false, maxTextLength: 40_000 },
  instagram: { edit: 0, delete: 2, deleteForMe: false, reaction: 2, allowedReactions: ['❤️'], readReceipts: true, maxTextLength: 1000 },
  twitter: { edit: 0, delete: 2, deleteForMe: true, reaction: 2, readReceipts: true, maxTextLength: 10_000 },
  gmessages: { edit: 0, delete: 0, deleteForMe: true, reaction: 2, readReceipts: true, maxTextLength: 1600 },
  linkedin: { edit: 0, delete: 0, deleteForMe: false, reaction: 0, readReceipts: false, maxTextLength: 8000 },
};

const RICH_TEXT = { bold: 2, italic: 2, strikethrough: 2, inline_code: 2, code_block: 2, 'code_block.syntax_highlighting': 2 };
const MB = 1024 * 1024;
/** Files each network takes (by Matrix message type); a network not listed takes anything. */
const NETWORK_FILES: Record<string, Record<string, { mimeTypes: Record<string, number>; maxSize?: number }>> = {
  whatsapp: { 'm.image': { mimeTypes: { 'image/jpeg': 2, 'image/png': 2, 'image/webp': 2 }, maxSize: 16 * MB }, 'm.video': { mimeTypes: { 'video/mp4': 2 }, maxSize: 16 * MB }, 'm.audio': { mimeTypes: { 'audio/*': 2 }, maxSize: 16 * MB }, 'm.file': { mimeTypes: { '*/*': 2 }, maxSize: 100 * MB } },
  instagram: { 'm.image': { mimeTypes: { 'image/jpeg': 2, 'image/png': 2 }, maxSize: 8 * MB }, 'm.video': { mimeTypes: { 'video/mp4': 2 }, maxSize: 25 * MB } },
  linkedin: { 'm.image': { mimeTypes: { 'image/jpeg': 2, 'image/png': 2 }, maxSize: 20 * MB } },
  discordgo: { 'm.image': { mimeTypes: { 'image/*': 2 }, maxSize: 25 * MB }, 'm.video': { mimeTypes: { 'video/*': 2 }, maxSize: 25 * MB }, 'm.audio': { mimeTypes: { 'audio/*': 2 }, maxSize: 25 * MB }, 'm.file': { mimeTypes: { '*/*': 2 }, maxSize: 25 * MB } },
};
/** Formatting that survives, by network (none on LinkedIn, Instagram and Google Messages). */
const NETWORK_FORMATTING: Record<string, Record<string, number>> = {
  matrix: RICH_TEXT,
  whatsapp: { bold: 2, italic: 2, strikethrough: 2, inline_code: 2, code_block: 2 },
  signal: { bold: 2, italic: 2, strikethrough: 2, inline_code: 2, code_block: 1 },
  telegram: RICH_TEXT,
  discordgo: RICH_TEXT,
  slackgo: { bold: 2, italic: 2, strikethrough: 2, inline_code: 2, code_block: 2 },
  instagram: {},
  twitter: {},
  gmessages: {},
  linkedin: {},
};

/** A chat's capabilities (the spec's ChatCapabilities), by its network: what the verbs and the composer may do. */
export function chatCapabilitiesOf(chat: SandboxChat, account: Account | undefined) {
  const type = account?.bridge?.type ?? '';
  const timers = TIMERS[type];
  const group = chat.type === 'group';
  const net = NETWORK_CAPS[type] ?? NETWORK_CAPS.matrix!;
  return {
    archive: true,
    markAsUnread: true,
    ...net,
    formatting: NETWORK_FORMATTING[type] ?? RICH_TEXT,
    ...(NETWORK_FILES[type] ? { attachments: NETWORK_FILES[type] } : {}),
    ...(timers ? { disappearingTimer: { types: ['afterSend'], timers } } : {}),
    state: {
      // Direct chats take the other person's name; groups can be renamed where the network allows it.
      title: { level: group && type !== 'linkedin' && !chat.isReadOnly ? 2 : 0 },
      disappearingTimer: { level: timers ? 2 : 0 },
    },
  };
}
