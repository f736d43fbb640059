/**
 * Time in the emulator. The clock is injectable and movable (tests set or advance it through the
 * control endpoint or the in-process handle); campaign status is derived from it on every read,
 * so the server never sleeps to make time pass.
 */
import { daysInMonth, toYyyymmdd } from '../time/calendar.js';
import { dateInZone, settleWallTime, zonedParts } from '../time/zone.js';

export class SandboxClock {
  readonly #base: () => Date;
  #offsetMs: number;

  constructor(base: () => Date = () => new Date(), offsetMs = 0) {
    this.#base = base;
    this.#offsetMs = offsetMs;
  }

  now(): Date {
    return new Date(this.#base().getTime() + this.#offsetMs);
  }

  /** Jump to an instant; time keeps flowing from there if the base clock flows. */
  set(instant: Date): void {
    this.#offsetMs = instant.getTime() - this.#base().getTime();
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Wall-clock parts of an instant in a zone. */
export function wallTime(instant: Date, timeZone: string): WallTime & { second: number } {
  const { year, month, day, hour, minute, second } = zonedParts(instant, timeZone);
  return { year, month, day, hour, minute, second };
}

/**
 * The instant a wall time in a zone names (the earlier one in a DST overlap). As written, the
 * lesser of settleWallTime's two steps: in Europe/Berlin a repeated time takes the later instant and
 * a skipped one lands before the gap, and in America/New_York the hour after fall-back reads an hour
 * early (02:30 -> 06:30Z); kept so the emulator's behaviour does not change under this refactor.
 */
export function instantOf(w: WallTime, timeZone: string): Date {
  const { first, settled } = settleWallTime(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute), timeZone);
  return new Date(Math.min(first, settled));
}

/** `"YYYYMMDD HH:MM"` as CleverTap's `when` carries it; null if malformed or not a real date. */
export function parseWhenString(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  if (day > daysInMonth(year, month)) return null;
  return instantOf({ year, month, day, hour, minute }, timeZone);
}

/** YYYYMMDD as an integer, in the zone. */
export function ymd(instant: Date, timeZone: string): number {
  return toYyyymmdd(dateInZone(instant, timeZone));
}

/** YYYYMMDDHHmm as an integer, in the zone: the emulator's `scheduled_on` (a placeholder format). */
export function ymdhm(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  return ((w.year * 100 + w.month) * 100 + w.day) * 10_000 + w.hour * 100 + w.minute;
}
