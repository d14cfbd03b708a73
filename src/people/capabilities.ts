// A bridge's capabilities (GET /v1/bridges/{id}/capabilities) in words, and which identifiers a
// network can resolve for "New Chat". Unknown keys are listed as they come, never dropped. Pure:
// no vscode import; the words are passed through `t` by the caller for l10n.
import type { ProvisioningCapabilities } from '../api/types';

export type Translate = (message: string, ...args: Array<string | number>) => string;

export interface CapabilitySummary {
  /** Finding people and starting chats. */
  people: string[];
  /** One line per group type the bridge can create. */
  groups: string[];
  /** Disappearing-message timers, where reported. */
  disappearing: string[];
  /** Other known capabilities. */
  other: string[];
  /** Keys this extension does not know, with their values as text. */
  unknown: string[];
}

const LOOKUPS: Record<string, string> = {
  lookup_phone: 'Find people by phone number',
  lookup_email: 'Find people by email',
  lookup_username: 'Find people by username',
  search: "Search the network's directory",
  contact_list: 'Import your contact list',
  create_dm: 'Start direct chats',
  any_phone: 'Start direct chats with any phone number',
};

const FIELDS: Record<string, string> = {
  name: 'title',
  topic: 'topic',
  avatar: 'avatar',
  participants: 'participants',
  disappear: 'disappearing messages',
  username: 'username',
  parent: 'parent space',
};

export function describeCapabilities(caps: ProvisioningCapabilities, t: Translate): CapabilitySummary {
  const out: CapabilitySummary = { people: [], groups: [], disappearing: [], other: [], unknown: [] };
  for (const [key, value] of Object.entries(caps.resolve_identifier ?? {})) {
    const words = LOOKUPS[key];
    if (words) {
      if (value === true) out.people.push(t(words));
    } else out.unknown.push(`resolve_identifier.${key}: ${valueText(value)}`);
  }
  for (const [type, raw] of Object.entries(caps.group_creation ?? {})) {
    const group = isRecord(raw) ? raw : {};
    const name = typeof group.type_description === 'string' && group.type_description ? group.type_description : type || t('Group');
    const fields: string[] = [];
    for (const [key, value] of Object.entries(group)) {
      if (key === 'type_description') continue;
      const label = FIELDS[key];
      if (!label) {
        out.unknown.push(`group_creation.${type}.${key}: ${valueText(value)}`);
        continue;
      }
      if (!isRecord(value) || value.allowed !== true) continue;
      const limits: string[] = [];
      if (value.required === true) limits.push(t('required'));
      if (typeof value.min_length === 'number') limits.push(t('at least {0}', value.min_length));
      if (typeof value.max_length === 'number') limits.push(t('at most {0}', value.max_length));
      fields.push(limits.length ? `${t(label)} (${limits.join(', ')})` : t(label));
      if (key === 'disappear' && isRecord(value.settings)) out.disappearing.push(...disappearingLines(name, value.settings, t));
    }
    out.groups.push(fields.length ? t('Create {0}: {1}', name, fields.join(', ')) : t('Create {0}', name));
  }
  if (caps.image_pack_import === true) out.other.push(t('Import sticker and emoji packs'));
  for (const [key, value] of Object.entries(caps.extra ?? {})) out.unknown.push(`${key}: ${valueText(value)}`);
  return out;
}

function disappearingLines(group: string, settings: Record<string, unknown>, t: Translate): string[] {
  const types = Array.isArray(settings.types) ? settings.types.filter((x): x is string => typeof x === 'string') : [];
  const timers = Array.isArray(settings.timers) ? settings.timers.filter((x): x is number => typeof x === 'number' && x > 0) : [];
  // "" is the "off" choice: worth no words of its own.
  const kinds = types.filter((k) => k !== '').map((k) => (k === 'after_read' ? t('after reading') : k === 'after_send' ? t('after sending') : k));
  const lines: string[] = [];
  if (kinds.length) lines.push(t('{0}: messages can disappear {1}', group, kinds.join(', ')));
  if (timers.length) lines.push(t('{0}: timers {1}', group, timers.map(duration).join(', ')));
  return lines;
}

/** Seconds (or, past a year in seconds, milliseconds) as "30 s", "1 h", "7 d". */
export function duration(value: number): string {
  const seconds = value > 365 * 24 * 3600 ? value / 1000 : value;
  if (seconds % (24 * 3600) === 0) return `${seconds / (24 * 3600)} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** One line for a bridge row's tooltip. */
export function capabilityLine(summary: CapabilitySummary): string {
  const parts = [...summary.people.slice(0, 3), ...(summary.groups.length ? [summary.groups.length === 1 ? summary.groups[0]!.split(':')[0]! : `${summary.groups.length} group types`] : [])];
  return parts.join(' · ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueText(value: unknown): string {
  try {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return (text ?? String(value)).slice(0, 200);
  } catch {
    // A value that cannot be shown (a cycle): shown as '?'.
    return '?';
  }
}

// ---- identifiers for "New Chat" -----------------------------------------------------------

export type IdentifierKind = 'phone' | 'email' | 'username';

/** What the user typed, read as a phone number, an email address or a username. */
export function classifyIdentifier(raw: string): { kind: IdentifierKind; value: string } | undefined {
  const text = raw.trim();
  if (!text || text.length > 320) return undefined;
  if (/^\+?[\d\s().-]{5,}$/.test(text) && (text.match(/\d/g) ?? []).length >= 5) {
    const digits = text.replace(/[^\d+]/g, '');
    return { kind: 'phone', value: digits.startsWith('+') ? digits : digits };
  }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return { kind: 'email', value: text };
  if (/^@?[\w.\-:]+$/u.test(text)) return { kind: 'username', value: text };
  return undefined;
}

/** Whether the network can resolve this kind of identifier; the reason when it cannot. */
export function canResolve(kind: IdentifierKind, caps: ProvisioningCapabilities | undefined, t: Translate): { ok: true } | { ok: false; reason: string } {
  if (!caps) return { ok: true };
  const r = caps.resolve_identifier ?? {};
  switch (kind) {
    case 'phone':
      return r.lookup_phone || r.any_phone ? { ok: true } : { ok: false, reason: t('This network cannot find people by phone number.') };
    case 'email':
      return r.lookup_email ? { ok: true } : { ok: false, reason: t('This network cannot find people by email.') };
    case 'username':
      return r.lookup_username || r.search ? { ok: true } : { ok: false, reason: t('This network cannot find people by username.') };
  }
}
