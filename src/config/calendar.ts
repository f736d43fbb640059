/**
 * Calendar facts the rules need: is a date real, what day is it in a zone, what instant is a
 * local wall-clock time in a zone. The arithmetic is src/time/'s (Intl only, offsets from its
 * per-hour cache); this file adds the rules' wording and the zone list for "did you mean".
 */
import { type CalendarDate } from '../time/calendar.js';
import { settleWallTime } from '../time/zone.js';

export { addDays, daysInMonth, fromYyyymmdd, impossibleDate, toYyyymmdd } from '../time/calendar.js';
export { dateInZone, isValidTimeZone as isKnownZone } from '../time/zone.js';

export type YMD = CalendarDate;

/** `2026-11-01` (also the date part of `2026-11-01T09:00Z` / `2026-11-01 09:00`) -> {2026, 11, 1}. */
export function fromIsoDate(text: string): YMD | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

/**
 * The instant of a wall-clock time in a zone (for a time skipped by DST, the instant after the gap
 * east of UTC: settleWallTime says exactly where gap and repeat land).
 */
export function zonedTimeToInstant(d: YMD, hour: number, minute: number, timeZone: string): Date {
  return new Date(settleWallTime(Date.UTC(d.year, d.month - 1, d.day, hour, minute), timeZone).settled);
}

let zoneNames: string[] | undefined;
/** Known zone names, for "did you mean". */
export function knownZones(): string[] {
  zoneNames ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zoneNames;
}
