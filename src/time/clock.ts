/**
 * The one clock every command reads. `CAMPAIGNCTL_NOW=<ISO instant>` starts it at that instant and
 * it runs on from there (real elapsed time added), so a user can rehearse "what fires on 29 March?"
 * and tests can drive the runner; every output that depends on it says when it is set.
 */

export const NOW_VARIABLE = 'CAMPAIGNCTL_NOW';

export interface Clock {
  now(): Date;
  /** The instant CAMPAIGNCTL_NOW started the clock at, or null when it is the system clock. */
  readonly startedAt: Date | null;
}

export type ClockResult = { ok: true; clock: Clock } | { ok: false; value: string };

/** ISO date-time with a zone (`Z` or an offset): a bare local time would mean a different instant on each machine. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function systemClock(): Clock {
  return { now: () => new Date(), startedAt: null };
}

/** The clock `env` asks for: the system clock, or one started at CAMPAIGNCTL_NOW (ok: false when it is not an ISO instant). */
export function clockFrom(env: NodeJS.ProcessEnv = process.env): ClockResult {
  const raw = env[NOW_VARIABLE];
  if (raw === undefined || raw === '') return { ok: true, clock: systemClock() };
  const start = new Date(raw);
  if (!ISO_INSTANT.test(raw.trim()) || Number.isNaN(start.getTime())) return { ok: false, value: raw };
  const offset = start.getTime() - Date.now();
  return { ok: true, clock: { now: () => new Date(Date.now() + offset), startedAt: start } };
}

let processClock: Clock | undefined;

/**
 * The process's clock, read from the environment once: every later call runs on the same clock. An
 * invalid CAMPAIGNCTL_NOW throws here; commands check it first with clockFrom to report it.
 */
export function clock(): Clock {
  if (!processClock) {
    const r = clockFrom();
    if (!r.ok) throw new Error(`${NOW_VARIABLE}=${r.value} is not an ISO instant such as 2026-03-29T08:00:00Z`);
    processClock = r.clock;
  }
  return processClock;
}

/** Makes `c` the process's clock (main.ts, after checking CAMPAIGNCTL_NOW once). */
export function useClock(c: Clock): void {
  processClock = c;
}

/** `now()` of the process clock. */
export function now(): Date {
  return clock().now();
}

/** The line outputs carry when the clock was set, else null. */
export function clockNote(c: Clock = clock()): string | null {
  return c.startedAt ? `${NOW_VARIABLE} is set: the clock started at ${c.startedAt.toISOString()} (not the real time)` : null;
}
