/**
 * Turning `when` / occurrence `at` values into instants, purely. Values with an explicit offset
 * (`Z`, `+02:00`) are absolute; local date-times (`2025-03-01T09:00`, `2025-03-01 09:00`) are read
 * in the account's time zone through Intl (never the process's zone, which would make the plan
 * depend on the machine). The render module does the same for request bodies; the planner keeps
 * its own small copy so it depends on nothing but its inputs.
 */
export type StartsAt = { kind: 'now' } | { kind: 'at'; instant: string };

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ABSOLUTE = /(Z|[+-]\d{2}:?\d{2})$/i;

export function resolveStart(value: unknown, timeZone: string): StartsAt | undefined {
  if (value === 'now') return { kind: 'now' };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { kind: 'at', instant: value.toISOString() };
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (ABSOLUTE.test(text) && /^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : { kind: 'at', instant: new Date(ms).toISOString() };
  }
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map((p) => (p === undefined ? 0 : Number(p)));
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  const ms = zonedToUtc(y, mo, d, h, mi, s, timeZone);
  return ms === undefined ? undefined : { kind: 'at', instant: new Date(ms).toISOString() };
}

/** Milliseconds of `start` relative to `now`; `now` starts count as 0. */
export function msUntil(start: StartsAt, now: Date): number {
  return start.kind === 'now' ? 0 : Date.parse(start.instant) - now.getTime();
}

function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: string): number | undefined {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  let guess = wall;
  // Two passes settle the offset, including across a DST change (a wall time inside a spring-forward
  // gap lands after the gap, like most schedulers do).
  for (let i = 0; i < 2; i++) {
    const offset = offsetAt(guess, zone);
    if (offset === undefined) return undefined;
    guess = wall - offset;
  }
  return guess;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetAt(ms: number, zone: string): number | undefined {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - (ms - (ms % 1000 + 1000) % 1000);
}
