/**
 * `schedule.*` in templates: the fire time of a Schedule tick, read in the schedule's own zone.
 */
import { WEEKDAY_NAMES, isoWeek, pad } from '../time/calendar.js';
import { isoInZone, zonedParts } from '../time/zone.js';

/** Every key of `schedule.*`; the template rule offers exactly these. */
export const SCHEDULE_SCOPE_KEYS = [
  'date', // 2026-05-04
  'time', // 09:00
  'iso', // 2026-05-04T09:00:00+02:00
  'weekday', // Monday
  'year', // 2026
  'month', // 05
  'day', // 04
  'hour', // 09
  'minute', // 00
  'week', // ISO week number, 19
  'timezone', // Europe/Berlin
  'unix', // seconds since the epoch
] as const;

export type ScheduleScope = Record<(typeof SCHEDULE_SCOPE_KEYS)[number], string | number>;

export function scheduleScope(fireTime: Date, timezone: string): ScheduleScope {
  const p = zonedParts(fireTime, timezone);
  return {
    date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
    iso: isoInZone(fireTime, timezone),
    weekday: WEEKDAY_NAMES[p.weekday],
    year: pad(p.year, 4),
    month: pad(p.month),
    day: pad(p.day),
    hour: pad(p.hour),
    minute: pad(p.minute),
    week: isoWeek(p),
    timezone,
    unix: Math.floor(fireTime.getTime() / 1000),
  };
}
