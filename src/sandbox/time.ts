/**
 * Time in the emulator. The clock is injectable and movable (tests set or advance it through the
 * control endpoint or the in-process handle); campaign status is derived from it on every read,
 * so the server never sleeps to make time pass.
 */

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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock parts of an instant in a zone. */
export function wallTime(instant: Date, timeZone: string): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function offsetMs(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a wall time in a zone names (the earlier one in a DST overlap). */
export function instantOf(w: WallTime, timeZone: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const first = guess - offsetMs(new Date(guess), timeZone);
  const second = guess - offsetMs(new Date(first), timeZone);
  return new Date(Math.min(first, second));
}

/** `"YYYYMMDD HH:MM"` as CleverTap's `when` carries it; null if malformed or not a real date. */
export function parseWhenString(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return instantOf({ year, month, day, hour, minute }, timeZone);
}

/** YYYYMMDD as an integer, in the zone. */
export function ymd(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  return w.year * 10_000 + w.month * 100 + w.day;
}

/** YYYYMMDDHHmm as an integer, in the zone: the emulator's `scheduled_on` (a placeholder format). */
export function ymdhm(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  return ((w.year * 100 + w.month) * 100 + w.day) * 10_000 + w.hour * 100 + w.minute;
}

export function isYmdInteger(v: unknown): v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) return false;
  const month = Math.floor(v / 100) % 100;
  const day = v % 100;
  return v >= 1970_01_01 && v <= 9999_12_31 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
