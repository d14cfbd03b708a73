// When a reminder goes off: the quick choices ("In 1 hour", "This evening", "Tomorrow morning",
// "Next Monday") and a typed local date and time, checked. All in the user's local time. No
// vscode import: unit-tested.

export type ReminderChoice = 'hour' | 'evening' | 'tomorrow' | 'monday';

/** The quick choices that make sense now, with their times (epoch ms). "This evening" only before 17:00. */
export function reminderChoices(now: Date): { id: ReminderChoice; at: number }[] {
  const at = (days: number, hour: number) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, 0, 0, 0);
    return d.getTime();
  };
  const out: { id: ReminderChoice; at: number }[] = [{ id: 'hour', at: now.getTime() + 3_600_000 }];
  if (now.getHours() < 17) out.push({ id: 'evening', at: at(0, 18) });
  out.push({ id: 'tomorrow', at: at(1, 9) });
  // The next Monday after today (a week on, when today is Monday).
  const days = ((8 - now.getDay()) % 7) || 7;
  out.push({ id: 'monday', at: at(days, 9) });
  return out;
}

/**
 * A typed local date and time: "2026-12-24 09:30", "2026-12-24T09:30", or a time alone ("17:45",
 * today, or tomorrow when that time has passed). Answers the time, or why it cannot be used.
 */
export function parseReminderTime(text: string, now: Date): { at: number } | { error: 'format' | 'past' | 'far' } {
  const value = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/.exec(value);
  let date: Date | undefined;
  if (m) {
    const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
    date = new Date(y, mo - 1, d, h, mi, 0, 0);
    // 2026-02-31 rolls over to March: not what was typed.
    if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || h > 23 || mi > 59) return { error: 'format' };
  } else if ((m = /^(\d{1,2}):(\d{2})$/.exec(value))) {
    const [h, mi] = m.slice(1).map(Number) as [number, number];
    if (h > 23 || mi > 59) return { error: 'format' };
    date = new Date(now.getFullYear(), now.getMonth(), now.getDate(), h, mi, 0, 0);
    if (date.getTime() <= now.getTime()) date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, h, mi, 0, 0);
  } else return { error: 'format' };
  if (date.getTime() <= now.getTime()) return { error: 'past' };
  if (date.getTime() - now.getTime() > 5 * 365 * 86_400_000) return { error: 'far' };
  return { at: date.getTime() };
}

/** Disappearing-message timers a chat offers, in seconds (the capabilities list milliseconds). */
export function expiryChoices(timersMs: readonly number[] | undefined): number[] {
  const defaults = [86_400, 604_800, 7_776_000];
  const seconds = timersMs?.length ? timersMs.map((ms) => Math.round(ms / 1000)).filter((s) => s > 0) : defaults;
  return [...new Set(seconds)].sort((a, b) => a - b);
}

/** A timer in words: "30 seconds", "8 hours", "1 day", "1 week", "90 days". */
export function expiryWords(seconds: number): { n: number; unit: 'second' | 'minute' | 'hour' | 'day' | 'week' } {
  if (seconds % 604_800 === 0 && seconds / 604_800 < 5) return { n: seconds / 604_800, unit: 'week' };
  if (seconds % 86_400 === 0) return { n: seconds / 86_400, unit: 'day' };
  if (seconds % 3600 === 0) return { n: seconds / 3600, unit: 'hour' };
  if (seconds % 60 === 0) return { n: seconds / 60, unit: 'minute' };
  return { n: seconds, unit: 'second' };
}
