/**
 * Turning `when` / occurrence `at` values into instants, purely. Values with an explicit offset
 * (`Z`, `+02:00`) are absolute; local date-times (`2025-03-01T09:00`, `2025-03-01 09:00`) are read
 * in the account's time zone through Intl (never the process's zone, which would make the plan
 * depend on the machine). The zone arithmetic is src/time/'s, which is pure: the planner still
 * depends on nothing but its inputs.
 */
import { isValidTimeZone, settleWallTime } from '../time/zone.js';

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
  if (!isValidTimeZone(zone)) return undefined;
  // Two passes settle the offset, including across a DST change (a wall time inside a spring-forward
  // gap lands after the gap east of UTC, like most schedulers do).
  return settleWallTime(wall, zone).settled;
}
