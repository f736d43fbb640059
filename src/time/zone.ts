/**
 * Time-zone primitives on top of Intl.DateTimeFormat (no dependency: Node ships full ICU). The
 * one copy render, plan, config and the sandbox share. Everything here is pure: the clock is
 * always an argument, and the caches only remember Intl's answers (so the planner may import it).
 */
import { pad, type CalendarDate } from './calendar.js';

export interface LocalDateTime extends CalendarDate {
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
}

export interface ZonedParts extends LocalDateTime {
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
const unknownZones = new Set<string>();
let canonicalZones: Set<string> | undefined;

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the IANA zone is known to this runtime (Intl throws a RangeError otherwise). */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '' || unknownZones.has(zone)) return false;
  // The zones ICU lists by their canonical name: known without building a formatter, which costs
  // ~12 ms the first time in a process (ICU's data loads) where this list costs ~1 ms. Aliases
  // (Asia/Calcutta, UTC) and other spellings are tried with a formatter.
  if ((canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'))).has(zone)) return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    unknownZones.add(zone);
    return false;
  }
}

const WEEKDAYS_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock reading of `instant` in `zone`. Throws RangeError on an invalid zone (check first). */
export function zonedParts(instant: Date, zone: string): ZonedParts {
  const t = instant.getTime();
  const offset = zoneOffsetMs(t, zone);
  if (offset !== undefined) {
    // The reading is UTC's reading of instant + offset (the offset is whole seconds: exact).
    const local = new Date(t + offset);
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      weekday: local.getUTCDay(),
    };
  }
  return formattedParts(instant, zone);
}

/** The calendar date of `instant` in `zone`. */
export function dateInZone(instant: Date, zone: string): CalendarDate {
  const p = zonedParts(instant, zone);
  return { year: p.year, month: p.month, day: p.day };
}

/** What Intl says: the reference the fast path above is derived from (~5 µs a call). */
function formattedParts(instant: Date, zone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS_SHORT.indexOf(parts.weekday),
  };
}

const HOUR_MS = 3_600_000;
/** The years Intl's plain numeric reading covers without eras (the fast path stays inside). */
const FAST_FROM = Date.UTC(1900, 0, 2);
const FAST_UNTIL = Date.UTC(9999, 11, 30);
/** zone -> (start of a UTC hour -> the zone's offset then, ms). Bounded: cleared when full. */
const hourOffsets = new Map<string, Map<number, number>>();
const MAX_HOURS_PER_ZONE = 200_000;

/** Offset (ms, whole seconds) of `zone` at the start of the UTC hour `hourStart`, asked of Intl once. */
function offsetAtHour(hourStart: number, zone: string): number {
  let known = hourOffsets.get(zone);
  if (!known) hourOffsets.set(zone, (known = new Map()));
  let offset = known.get(hourStart);
  if (offset === undefined) {
    offset = wallReadingOffset(hourStart, zone);
    if (known.size >= MAX_HOURS_PER_ZONE) known.clear();
    known.set(hourStart, offset);
  }
  return offset;
}

/**
 * The offset (ms, whole seconds) of `zone` at `t`, asked of Intl: its wall-clock reading read as
 * UTC, minus t. At a whole second through `format` (a third of formatToParts' cost); at any other
 * t, or a reading the pattern does not take (a year outside 1000-9999), through formatToParts.
 */
export function wallReadingOffset(t: number, zone: string): number {
  const m = t % 1000 === 0 ? WALL.exec(readerFor(zone).format(t)) : null;
  if (m) return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) - t;
  const p = formattedParts(new Date(t), zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
}

/** `12/31/2026, 23:59:59`: en-US numeric with a 24-hour clock. */
const WALL = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;
const readers = new Map<string, Intl.DateTimeFormat>();

function readerFor(zone: string): Intl.DateTimeFormat {
  let f = readers.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    readers.set(zone, f);
  }
  return f;
}

/**
 * The zone's offset from UTC at `t` (ms), or undefined when the hour around `t` holds a
 * transition (the caller then asks Intl). Offsets only change at transitions, and no zone has two
 * within one hour: when the offsets at both ends of t's UTC hour agree, t has that offset. With the
 * ends cached, a project's thousands of start times cost a few hundred Intl calls, not 13 each.
 */
export function zoneOffsetMs(t: number, zone: string): number | undefined {
  if (!(t >= FAST_FROM && t < FAST_UNTIL)) return undefined;
  const start = Math.floor(t / HOUR_MS) * HOUR_MS;
  const before = offsetAtHour(start, zone);
  return before === offsetAtHour(start + HOUR_MS, zone) ? before : undefined;
}

/** Offset of `zone` from UTC at `t` (ms since the epoch), in ms: whole seconds, always defined. */
export function offsetMsAt(t: number, zone: string): number {
  // The cached offset is exactly what Intl's reading gives (the cache is made of such readings).
  const known = zoneOffsetMs(t, zone);
  return known !== undefined ? known : wallReadingOffset(t, zone);
}

/** Offset of `zone` from UTC at `instant`, in minutes (Berlin in summer: +120). */
export function offsetMinutes(instant: Date, zone: string): number {
  return Math.round(offsetMsAt(instant.getTime(), zone) / 60000);
}

export type LocalResolution =
  | { kind: 'ok'; instant: Date }
  /** The wall-clock time happens twice (DST ends): `instant` is the earlier one. */
  | { kind: 'ambiguous'; instant: Date; later: Date }
  /** The wall-clock time never happens (DST starts). */
  | { kind: 'gap' };

function sameLocal(a: LocalDateTime, b: LocalDateTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day &&
    a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/** The instant(s) at which `zone`'s clocks show `local`: exact, a gap and a repeat are told apart. */
export function localToInstant(local: LocalDateTime, zone: string): LocalResolution {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Offsets in effect within a day either side cover every transition that could matter.
  const offsets = new Set<number>();
  for (let h = -30; h <= 30; h += 6) offsets.add(offsetMinutes(new Date(guess + h * 3_600_000), zone));
  const hits = [...offsets]
    .map((o) => guess - o * 60_000)
    .filter((t) => sameLocal(zonedParts(new Date(t), zone), local))
    .sort((a, b) => a - b);
  const unique = [...new Set(hits)];
  if (unique.length === 0) return { kind: 'gap' };
  if (unique.length === 1) return { kind: 'ok', instant: new Date(unique[0]) };
  return { kind: 'ambiguous', instant: new Date(unique[0]), later: new Date(unique[unique.length - 1]) };
}

/**
 * The two steps of settling a wall time's offset by iteration (ms since the epoch): `first` reads
 * the offset at the wall time taken as UTC, `settled` re-reads it at `first`. `settled` is the
 * instant for every time that happens once; in a spring-forward gap it moves by the offset change
 * (east of UTC: after the gap; west: before it), in a fall-back repeat it takes the instant on the
 * offset in force at `first`. Callers that must tell a gap or repeat apart use localToInstant.
 */
export function settleWallTime(wallAsUtc: number, zone: string): { first: number; settled: number } {
  const first = wallAsUtc - offsetMsAt(wallAsUtc, zone);
  return { first, settled: wallAsUtc - offsetMsAt(first, zone) };
}

/** `+02:00` / `-05:30` / `+00:00`. */
export function formatOffset(minutes: number, colon = true): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/** ISO 8601 with the zone's offset: `2026-05-04T09:00:00+02:00`. */
export function isoInZone(instant: Date, zone: string): string {
  const p = zonedParts(instant, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    formatOffset(offsetMinutes(instant, zone));
}
