// The chat's header and details column, drawn from the host's `state` and `participants`
// messages (text only), and avatars by key from `images`.
import type { ChatPageUpdate, ChatStateUpdate } from '../../webviews/protocol';
import { initials as initialsOf } from '../../text/format';
import { $, avatarNode, button, el, pageState, saveState, t, view } from './context';

type ParticipantsUpdate = Extract<ChatPageUpdate, { type: 'participants' }>;

export function applyState(update: ChatStateUpdate): void {
  view.isGroup = update.isGroup;
  view.reactions = { off: update.reactions?.off === true, allowed: update.reactions?.allowed };
  document.body.dataset.group = String(update.isGroup);
  document.title = update.title;
  for (const node of document.querySelectorAll('.chat-title bdi')) node.textContent = update.title;
  pageState.title = update.title;
  saveState();
  const subtitle = $('subtitle');
  if (subtitle) {
    subtitle.textContent = '';
    update.subtitle.forEach((part, i) => {
      if (i > 0) subtitle.append(' · ');
      subtitle.append(el('bdi', undefined, part));
    });
  }
  const avatar = $('chat-avatar');
  if (avatar) {
    const next = avatarNode(update.avatar, update.title, 'avatar avatar-large', initialsOf);
    next.id = 'chat-avatar';
    avatar.replaceWith(next);
  }
  const description = $('description');
  if (description) {
    description.hidden = !update.description;
    description.textContent = '';
    if (update.description) description.append(el('bdi', undefined, update.description));
  }
  const unread = $('unread');
  if (unread) {
    unread.textContent = update.unread;
    if (update.mentions) unread.append(' ', el('span', 'muted', `(${update.mentions})`));
  }
  const activity = $('activity');
  if (activity) {
    activity.textContent = '';
    if (update.activity.iso) {
      const time = el('time', undefined, update.activity.text);
      time.dateTime = update.activity.iso;
      time.title = update.activity.title ?? '';
      activity.append(time);
    } else activity.textContent = update.activity.text;
  }
  const flags = $('flags');
  if (flags) {
    flags.textContent = '';
    if (!update.flags.length) flags.textContent = update.noFlags;
    update.flags.forEach((f, i) => {
      if (i > 0) flags.append(' ');
      flags.append(el('span', 'tag', f));
    });
  }
  const ids = $('ids');
  if (ids) {
    ids.textContent = '';
    for (const id of update.ids) {
      const dd = el('dd');
      const copy = button('', 'copy', { copy: id.value }, id.copyTitle);
      copy.append(el('code', undefined, id.value));
      dd.append(copy);
      ids.append(el('dt', undefined, id.label), dd);
    }
  }
}

export function applyParticipants(update: ParticipantsUpdate): void {
  const ul = $('participants');
  const count = $('participant-count');
  if (count) count.textContent = update.count;
  if (ul) {
    ul.textContent = '';
    for (const p of update.items) {
      const li = el('li', `participant${p.self ? ' self' : ''}`);
      li.append(avatarNode(p.avatar, p.name, 'avatar', initialsOf), el('bdi', 'name', p.name));
      if (p.handle) li.append(el('bdi', 'handle', p.handle));
      for (const b of p.badges) li.append(' ', el('span', 'tag', b));
      ul.append(li);
    }
  }
  const more = $<HTMLButtonElement>('show-more');
  if (more) {
    more.hidden = !update.more;
    more.textContent = update.loading ? t('Loading more participants…') : (update.more ?? '');
    more.disabled = !!update.loading;
    if (update.loading) more.setAttribute('aria-busy', 'true');
    else more.removeAttribute('aria-busy');
  }
}

/** Images arrived by key: every placeholder waiting for one shows it now. */
export function applyImages(images: Record<string, string>): void {
  for (const [key, src] of Object.entries(images)) view.images.set(key, src);
  for (const node of document.querySelectorAll<HTMLElement>('.placeholder[data-image-key]')) {
    const src = view.images.get(node.dataset.imageKey ?? '');
    if (!src) continue;
    const img = el('img', node.className.replace(/\bplaceholder\b/, '').trim());
    img.src = src;
    img.alt = '';
    img.dataset.imageKey = node.dataset.imageKey;
    if (node.id) img.id = node.id;
    node.replaceWith(img);
  }
}
