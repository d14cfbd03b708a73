// The chat page: its shell (the layout, empty), the chat's state and participants as the page
// shows them (messages, plain text), and the error page. Pure: every string from the API passes
// through displayText here, and the page's only script is dist/webview/chat.js (nonced). No
// vscode import.
import type { ChatStateUpdate, ViewParticipant } from './protocol';
import { BeeperApiError, describeError } from '../api/errors';
import type { Chat, Participant } from '../api/types';
import { handleBeside, personName, relativeTime } from '../text/format';
import { displayText, escapeHtml, pageEnd, pageStart, type PageFrame } from './html';

export type { PageFrame };
export type Translate = PageFrame['t'];

/** The chat's markers, as the State section lists them. */
function chatFlags(chat: Chat, t: PageFrame['t']): string[] {
  return [
    chat.isPinned && t('Pinned'),
    chat.isMuted && t('Muted'),
    chat.isArchived && t('Archived'),
    chat.isLowPriority && t('Low priority'),
    chat.isReadOnly && t('Read only'),
    chat.isMarkedUnread && t('Marked unread'),
  ].filter((f): f is string => !!f);
}

export interface ChatStateContext {
  /** "Ana Silva (WhatsApp)", from the model's accounts when known. */
  accountLabel?: string;
  /** The chat avatar's key in the page's images. */
  avatar?: string;
  now: number;
  t: PageFrame['t'];
}

/**
 * The chat as the page shows it (header and details), as plain text: the page sets
 * `textContent`; no HTML crosses the message channel. Sent on `ready` and on every change.
 */
export function chatStateUpdate(chat: Chat, ctx: ChatStateContext): ChatStateUpdate {
  const t = ctx.t;
  const lastActivity = chat.lastActivity ? Date.parse(chat.lastActivity) : NaN;
  const kind = chat.type === 'group' ? t('Group chat') : chat.type === 'single' ? t('Direct chat') : displayText(chat.type, 40);
  const ids: Array<[string, string | null | undefined]> = [
    [t('Chat ID'), chat.id],
    [t('Local chat ID'), chat.localChatID],
    [t('Account ID'), chat.accountID],
  ];
  return {
    type: 'state',
    title: displayText(chat.title) || t('(untitled)'),
    subtitle: [displayText(chat.network, 80), ctx.accountLabel ? displayText(ctx.accountLabel, 120) : '', kind].filter(Boolean),
    isGroup: chat.type === 'group',
    avatar: ctx.avatar,
    description: chat.description ? displayText(chat.description, 2000) : undefined,
    ids: ids.filter((e): e is [string, string] => !!e[1]).map(([label, value]) => ({ label, value: displayText(value, 500), copyTitle: t('Copy {0}', label) })),
    unread: String(chat.unreadCount),
    mentions: chat.unreadMentionsCount ? t('{0} mentions', chat.unreadMentionsCount) : undefined,
    activity: Number.isFinite(lastActivity)
      ? { iso: new Date(lastActivity).toISOString(), text: agoText(relativeTime(chat.lastActivity, ctx.now), t), title: new Date(lastActivity).toLocaleString() }
      : { text: t('Unknown') },
    flags: chatFlags(chat, t),
    noFlags: t('None'),
    ...(chat.capabilities && (chat.capabilities.reaction !== undefined || chat.capabilities.allowedReactions)
      ? { reactions: { off: chat.capabilities.reaction !== undefined && chat.capabilities.reaction <= 0, allowed: chat.capabilities.allowedReactions?.slice(0, 50).map((r) => displayText(r, 16)) } }
      : {}),
  };
}

/** A participant as the details list shows them. */
export function participantView(p: Participant, avatar: string | undefined, t: Translate): ViewParticipant {
  const name = displayText(personName(p), 200);
  const handle = handleBeside(p, name);
  return {
    name,
    handle: handle ? displayText(handle, 200) : undefined,
    badges: [p.isSelf && t('You'), p.isAdmin && t('Admin'), p.isPending && t('Pending'), p.isNetworkBot && t('Bot')].filter((b): b is string => !!b),
    avatar,
    self: !!p.isSelf,
  };
}

/**
 * The chat page's shell: the layout and its empty places. Everything in them (the header, the
 * details, the participants, the messages, the composer's state) renders from messages.
 */
export function chatShellHtml(frame: PageFrame, chatID: string, strings: Record<string, string>): string {
  const t = frame.t;
  return `${pageStart(frame, t('Chat'), ` class="chat" data-chat-id="${escapeHtml(chatID)}" data-strings="${escapeHtml(JSON.stringify(strings))}"`)}
<div class="layout">
<main class="conversation">
<header class="chat-header">
  <span id="chat-avatar" class="avatar avatar-large placeholder" aria-hidden="true"></span>
  <div class="heading">
    <h1 id="chat-title" class="chat-title"><bdi></bdi></h1>
    <p class="subtitle" id="subtitle"></p>
  </div>
  <div class="actions" role="toolbar" aria-label="${escapeHtml(t('Chat actions'))}">
    <button type="button" data-action="openInBeeper" class="secondary">${escapeHtml(t('Open in Beeper'))}</button>
    <button type="button" id="details-toggle" class="secondary details-toggle" aria-expanded="false" aria-controls="details">${escapeHtml(t('Details'))}</button>
  </div>
</header>
<p class="banner" id="banner" role="status" hidden></p>
<div id="messages" class="messages" tabindex="0" aria-label="${escapeHtml(t('Messages'))}">
  <div id="top-status" class="list-status" role="status"></div>
  <ol id="message-list" class="message-list" role="log" aria-live="polite"></ol>
  <div id="bottom-status" class="list-status" role="status"></div>
</div>
<button type="button" id="jump" class="jump primary" hidden>${escapeHtml(t('Jump to newest'))}</button>
<div class="composer" id="composer">
  <div id="reply-bar" class="reply-bar" hidden><span id="reply-text"></span><button type="button" id="cancel-reply" class="icon" title="${escapeHtml(t('Cancel reply'))}" aria-label="${escapeHtml(t('Cancel reply'))}">✕</button></div>
  <p id="composer-note" class="composer-note" role="status" hidden></p>
  <div class="composer-row">
    <textarea id="input" rows="1" aria-label="${escapeHtml(t('Message'))}" placeholder="${escapeHtml(t('Message (Enter to send, Shift+Enter for a new line)'))}"></textarea>
    <button type="button" id="send" class="primary">${escapeHtml(t('Send'))}</button>
  </div>
</div>
</main>
<aside id="details" class="details" aria-label="${escapeHtml(t('Chat details'))}">
<div class="actions">
  <button type="button" data-action="refresh" class="secondary">${escapeHtml(t('Refresh'))}</button>
</div>
<p class="description" id="description" hidden><bdi></bdi></p>
<section aria-labelledby="state-heading">
  <h2 id="state-heading">${escapeHtml(t('State'))}</h2>
  <dl class="facts">
    <dt>${escapeHtml(t('Unread'))}</dt><dd id="unread"></dd>
    <dt>${escapeHtml(t('Last activity'))}</dt><dd id="activity"></dd>
    <dt>${escapeHtml(t('Marked'))}</dt><dd id="flags"></dd>
  </dl>
</section>
<section aria-labelledby="participants-heading">
  <h2 id="participants-heading">${escapeHtml(t('Participants'))} <span class="count" id="participant-count"></span></h2>
  <ul class="participants" id="participants"></ul>
  <button type="button" id="show-more" data-action="showMoreParticipants" hidden></button>
</section>
<section aria-labelledby="ids-heading">
  <h2 id="ids-heading">${escapeHtml(t('Identifiers'))}</h2>
  <dl class="facts ids" id="ids"></dl>
</section>
</aside>
</div>
${pageEnd(frame)}`;
}

/** The error page for a chat that could not be read: what happened and what to do. */
export function chatLoadErrorHtml(frame: PageFrame, chatID: string, e: unknown): string {
  const t = frame.t;
  const err = e instanceof BeeperApiError ? e : undefined;
  const notFound = err?.kind === 'notFound';
  return chatErrorHtml(
    frame,
    chatID,
    notFound ? t('Chat not found') : t('Could not load this chat'),
    err?.message ?? describeError(e),
    notFound ? t('It may have been deleted, or it belongs to an account that is no longer signed in.') : err?.hint,
  );
}

/** A page that says what went wrong and offers to try again; the panel keeps its chat. */
export function chatErrorHtml(frame: PageFrame, chatID: string, title: string, message: string, hint?: string): string {
  const t = frame.t;
  return `${pageStart(frame, title, ` data-chat-id="${escapeHtml(chatID)}"`)}
<div class="error" role="alert">
  <h1><bdi>${escapeHtml(displayText(title))}</bdi></h1>
  <p class="message">${escapeHtml(displayText(message, 2000))}</p>
  ${hint ? `<p class="hint">${escapeHtml(displayText(hint, 2000))}</p>` : ''}
  <button type="button" data-action="refresh" class="primary">${escapeHtml(t('Try again'))}</button>
</div>
${pageEnd(frame)}`;
}

function agoText(rel: string | undefined, t: Translate): string {
  if (!rel) return '';
  return rel === 'now' ? t('just now') : t('{0} ago', rel);
}
