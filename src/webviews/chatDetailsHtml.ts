// The chat page (conversation, composer and the chat's details beside them), as HTML. Pure: every string from the API passes through displayText and
// escapeHtml here, and the page's only script is media/chat.js (nonced). No vscode import.
import type { ChatStateUpdate } from './protocol';
import type { Chat, Participant } from '../api/types';
import { handleBeside, personName, relativeTime } from '../text/format';
import { displayText, escapeHtml, initials, pageEnd, pageStart, type PageFrame } from './html';

export type { PageFrame };
export type Translate = PageFrame['t'];

export interface ChatPageModel {
  chat: Chat;
  /** "Ana Silva (WhatsApp)", from the tree's account data when known. */
  accountLabel?: string;
  /** Usable image URLs (https: or data:) by participant id; the rest get initials. */
  avatars: ReadonlyMap<string, string>;
  chatAvatar?: string;
  now: number;
  /** More participants are being fetched. */
  loadingMore?: boolean;
  /** How many more "Show more" adds (at most 200). */
  moreCount?: number;
  /** The page's words for the conversation (l10n), handed to its script. */
  composer?: { strings: Record<string, string> };
}

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

/**
 * What a live update changes on an open page, as plain text (the page sets `textContent`; no
 * HTML crosses the message channel).
 */
export function chatStateUpdate(chat: Chat, now: number, t: PageFrame['t']): ChatStateUpdate {
  const flags = chatFlags(chat, t);
  const lastActivity = chat.lastActivity ? Date.parse(chat.lastActivity) : NaN;
  return {
    type: 'state',
    title: displayText(chat.title) || t('(untitled)'),
    unread: String(chat.unreadCount),
    mentions: chat.unreadMentionsCount ? t('{0} mentions', chat.unreadMentionsCount) : undefined,
    activity: Number.isFinite(lastActivity)
      ? { iso: new Date(lastActivity).toISOString(), text: agoText(relativeTime(chat.lastActivity, now), t), title: new Date(lastActivity).toLocaleString() }
      : { text: t('Unknown') },
    flags,
    noFlags: t('None'),
  };
}

export function chatDetailsHtml(frame: PageFrame, model: ChatPageModel): string {
  const { chat, now } = model;
  const t = frame.t;
  const title = displayText(chat.title) || t('(untitled)');
  const kind = chat.type === 'group' ? t('Group chat') : chat.type === 'single' ? t('Direct chat') : displayText(chat.type, 40);
  const subtitle = [displayText(chat.network, 80), model.accountLabel && displayText(model.accountLabel, 120), kind].filter(Boolean);

  const flags = chatFlags(chat, t);

  const lastActivity = chat.lastActivity ? Date.parse(chat.lastActivity) : NaN;
  const activity = Number.isFinite(lastActivity)
    ? `<time datetime="${escapeHtml(new Date(lastActivity).toISOString())}" title="${escapeHtml(new Date(lastActivity).toLocaleString())}">${escapeHtml(agoText(relativeTime(chat.lastActivity, now), t))}</time>`
    : escapeHtml(t('Unknown'));

  const { items, total, hasMore } = chat.participants;
  const participantRows = items.map((p) => participantHtml(p, model.avatars.get(p.id), t)).join('\n');

  const ids: Array<[string, string | null | undefined]> = [
    [t('Chat ID'), chat.id],
    [t('Local chat ID'), chat.localChatID],
    [t('Account ID'), chat.accountID],
  ];

  const composer = model.composer ?? { strings: {} };
  return `${pageStart(frame, title, ` class="chat" data-chat-id="${escapeHtml(chat.id)}" data-group="${chat.type === 'group'}" data-strings="${escapeHtml(JSON.stringify(composer.strings))}"`)}
<div class="layout">
<main class="conversation">
<header class="chat-header">
  ${avatarHtml(title, model.chatAvatar, 'avatar avatar-large')}
  <div class="heading">
    <h1 id="chat-title" class="chat-title"><bdi>${escapeHtml(title)}</bdi></h1>
    <p class="subtitle">${subtitle.map((s) => `<bdi>${escapeHtml(s)}</bdi>`).join(' · ')}</p>
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
${chat.description ? `<p class="description"><bdi>${escapeHtml(displayText(chat.description, 2000))}</bdi></p>` : ''}
<section aria-labelledby="state-heading">
  <h2 id="state-heading">${escapeHtml(t('State'))}</h2>
  <dl class="facts">
    <dt>${escapeHtml(t('Unread'))}</dt><dd id="unread">${escapeHtml(chat.unreadCount)}${
      chat.unreadMentionsCount ? ` <span class="muted">(${escapeHtml(t('{0} mentions', chat.unreadMentionsCount))})</span>` : ''
    }</dd>
    <dt>${escapeHtml(t('Last activity'))}</dt><dd id="activity">${activity}</dd>
    <dt>${escapeHtml(t('Marked'))}</dt><dd id="flags">${flags.length ? flags.map((f) => `<span class="tag">${escapeHtml(f)}</span>`).join(' ') : escapeHtml(t('None'))}</dd>
  </dl>
</section>
<section aria-labelledby="participants-heading">
  <h2 id="participants-heading">${escapeHtml(t('Participants'))} <span class="count" id="participant-count">${escapeHtml(
    hasMore ? t('{0} of {1}', items.length, total) : String(total || items.length),
  )}</span></h2>
  <ul class="participants" id="participants">
${participantRows}
  </ul>
  <button type="button" id="show-more" data-action="showMoreParticipants" ${hasMore ? '' : 'hidden'} ${model.loadingMore ? 'disabled aria-busy="true"' : ''}>${escapeHtml(
    hasMore ? (model.loadingMore ? t('Loading more participants…') : t('Show {0} more', model.moreCount ?? Math.max(0, total - items.length))) : '',
  )}</button>
</section>
<section aria-labelledby="ids-heading">
  <h2 id="ids-heading">${escapeHtml(t('Identifiers'))}</h2>
  <dl class="facts ids">
${ids
  .filter(([, v]) => !!v)
  .map(
    ([name, value]) =>
      `    <dt>${escapeHtml(name)}</dt><dd><button type="button" class="copy" data-copy="${escapeHtml(value)}" title="${escapeHtml(t('Copy {0}', name))}"><code>${escapeHtml(value)}</code></button></dd>`,
  )
  .join('\n')}
  </dl>
</section>
</aside>
</div>
${pageEnd(frame)}`;
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

function participantHtml(p: Participant, avatar: string | undefined, t: Translate): string {
  const name = displayText(personName(p), 200);
  const handle = handleBeside(p, name);
  const badges = [p.isSelf && t('You'), p.isAdmin && t('Admin'), p.isPending && t('Pending'), p.isNetworkBot && t('Bot')].filter(
    (b): b is string => !!b,
  );
  return `    <li class="participant${p.isSelf ? ' self' : ''}">
      ${avatarHtml(name, avatar, 'avatar')}
      <span class="name"><bdi>${escapeHtml(name)}</bdi></span>
      ${handle ? `<span class="handle"><bdi>${escapeHtml(displayText(handle, 200))}</bdi></span>` : ''}
      ${badges.map((b) => `<span class="tag">${escapeHtml(b)}</span>`).join(' ')}
    </li>`;
}

function avatarHtml(name: string, url: string | undefined, className: string): string {
  if (url) return `<img class="${className}" src="${escapeHtml(url)}" alt="" width="32" height="32">`;
  return `<span class="${className} placeholder" aria-hidden="true">${escapeHtml(initials(name))}</span>`;
}

function agoText(rel: string | undefined, t: Translate): string {
  if (!rel) return '';
  return rel === 'now' ? t('just now') : t('{0} ago', rel);
}
