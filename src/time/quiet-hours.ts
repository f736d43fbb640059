/**
 * An environment's quiet hours: a daily window `start`-`end` read on the clocks of the window's own
 * `timezone` (default: the account's). Pure: instants come in as arguments.
 *
 * Inside means the wall clock there reads at or after `start` and before `end`; an `end` at or
 * before `start` ends the next day (21:00-08:00 spans midnight). Reading the wall clock makes it
 * DST-correct: 21:00 is 21:00 local on either side of a clock change. `start` equal to `end` is an
 * empty window.
 */
import { isValidTimeZone, localToInstant, settleWallTime, zonedParts } from './zone.js';

export interface QuietHours {
  start: string;
  end: string;
  timezone?: string;
}

/** The window's zone: its own, else the account's. */
export function quietZone(q: QuietHours, accountTimezone: string): string {
  return q.timezone ?? accountTimezone;
}

/** `HH:MM` as minutes since midnight (the schema's pattern guarantees the shape). */
function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * True when `t` falls inside the window. An unknown zone (reported by validate) counts as inside:
 * a check that can not be made refuses the send.
 */
export function inQuietHours(t: Date, q: QuietHours, accountTimezone: string): boolean {
  const zone = quietZone(q, accountTimezone);
  if (!isValidTimeZone(zone)) return true;
  const p = zonedParts(t, zone);
  const m = p.hour * 60 + p.minute;
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  if (start === end) return false;
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/**
 * The first instant after `t` at which the window's wall clock reads `start` (where a clock change
 * skips `start`, about where the change happens; callers never move backwards on it). For finding
 * the first fire inside the window without walking every fire of a dense schedule.
 */
export function nextQuietStart(t: Date, q: QuietHours, accountTimezone: string): Date {
  const zone = quietZone(q, accountTimezone);
  const p = zonedParts(t, zone);
  const start = minutesOf(q.start);
  const today = Date.UTC(p.year, p.month - 1, p.day, Math.floor(start / 60), start % 60);
  const nowWall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const wall = today > nowWall ? today : today + 86_400_000;
  const d = new Date(wall);
  const local = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 };
  const r = localToInstant(local, zone);
  return r.kind === 'gap' ? new Date(settleWallTime(wall, zone).settled) : r.instant;
}
