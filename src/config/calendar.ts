/**
 * Calendar facts the rules need: is a date real, what day is it in a zone, what instant is a
 * local wall-clock time in a zone. Only Intl, no tz database of our own; offsets come from
 * render/zone.ts's per-hour cache of Intl answers (exact, and 10,000 campaigns cost a few hundred
 * Intl calls instead of tens of thousands).
 */
import { zoneOffsetMs } from '../render/zone.js';

export interface YMD {
  year: number;
  month: number;
  day: number;
}

/** Why y-m-d is not a real date, or undefined when it is. */
export function impossibleDate({ year, month, day }: YMD): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 20261101 -> {2026, 11, 1}. */
export function fromYyyymmdd(n: number): YMD {
  return { year: Math.floor(n / 10000), month: Math.floor(n / 100) % 100, day: n % 100 };
}

export function toYyyymmdd({ year, month, day }: YMD): number {
  return year * 10000 + month * 100 + day;
}

/** `2026-11-01` (also the date part of `2026-11-01T09:00Z` / `2026-11-01 09:00`) -> {2026, 11, 1}. */
export function fromIsoDate(text: string): YMD | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

/** The calendar date of an instant in an IANA zone. */
export function dateInZone(instant: Date, timeZone: string): YMD {
  const offset = zoneOffsetMs(instant.getTime(), timeZone);
  if (offset !== undefined) {
    const local = new Date(instant.getTime() + offset);
    return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
  }
  const parts = formatter(timeZone, 'date').formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

export function addDays(d: YMD, days: number): YMD {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The instant of a wall-clock time in a zone (for a time skipped by DST, the instant after the gap). */
export function zonedTimeToInstant(d: YMD, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(d.year, d.month - 1, d.day, hour, minute);
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant);
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const known = zoneOffsetMs(instant, timeZone);
  if (known !== undefined) return known;
  const parts = formatter(timeZone, 'time').formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and shape.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, shape: 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${shape} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const date = { year: 'numeric', month: 'numeric', day: 'numeric' } as const;
    const time = { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' } as const;
    f = new Intl.DateTimeFormat('en-US', shape === 'date' ? { timeZone, ...date } : { timeZone, ...date, ...time });
    formatters.set(key, f);
  }
  return f;
}

const zoneKnown = new Map<string, boolean>();
/** True when the IANA zone is known to this runtime (Intl throws a RangeError otherwise). */
export function isKnownZone(zone: string): boolean {
  let known = zoneKnown.get(zone);
  if (known === undefined) {
    try {
      formatter(zone, 'date');
      known = true;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      known = false;
    }
    zoneKnown.set(zone, known);
  }
  return known;
}

let zoneNames: string[] | undefined;
/** Known zone names, for "did you mean". */
export function knownZones(): string[] {
  zoneNames ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zoneNames;
}
