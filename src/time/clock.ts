/**
 * The one clock every command reads. `CAMPAIGNCTL_NOW=<ISO instant>` starts it at that instant and
 * it runs on from there (real elapsed time added), so a user can rehearse "what fires on 29 March?"
 * and tests can drive the runner; every output that depends on it says when it is set.
 *
 * `CAMPAIGNCTL_NOW_RATE=N` (only with CAMPAIGNCTL_NOW) makes that clock run N simulated seconds per
 * real second, so a daemon lives through an hour of minute ticks in a minute. Only the business
 * clock runs fast: what must keep real time (leases, lock heartbeats, timeouts) never reads it, and
 * whatever WAITS for a simulated instant converts the wait with `realMs` (the daemon's cron runner).
 */

export const NOW_VARIABLE = 'CAMPAIGNCTL_NOW';
export const RATE_VARIABLE = 'CAMPAIGNCTL_NOW_RATE';

export interface Clock {
  now(): Date;
  /** The instant CAMPAIGNCTL_NOW started the clock at, or null when it is the system clock. */
  readonly startedAt: Date | null;
  /** Simulated seconds per real second: 1 unless CAMPAIGNCTL_NOW_RATE is set. */
  readonly rate: number;
  /** The real milliseconds to wait for `simulatedMs` to pass on this clock. */
  realMs(simulatedMs: number): number;
}

/** What is wrong with the setting: the instant, or the rate (not a positive number, or without CAMPAIGNCTL_NOW). */
export type ClockProblem = { variable: typeof NOW_VARIABLE; value: string } | { variable: typeof RATE_VARIABLE; value: string; withoutNow: boolean };

export type ClockResult = { ok: true; clock: Clock } | ({ ok: false } & ClockProblem);

/** ISO date-time with a zone (`Z` or an offset): a bare local time would mean a different instant on each machine. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A plain decimal (no exponent, hex or Infinity): 60, 0.5. */
const RATE = /^\d+(?:\.\d+)?$/;

export function systemClock(): Clock {
  return { now: () => new Date(), startedAt: null, rate: 1, realMs: (ms) => ms };
}

/**
 * The clock `env` asks for: the system clock, or one started at CAMPAIGNCTL_NOW running at
 * CAMPAIGNCTL_NOW_RATE (ok: false when the instant is not ISO, or the rate is not a positive
 * number or comes without an instant).
 */
export function clockFrom(env: NodeJS.ProcessEnv = process.env): ClockResult {
  const raw = env[NOW_VARIABLE];
  const rawRate = env[RATE_VARIABLE];
  const hasRate = rawRate !== undefined && rawRate !== '';
  if (raw === undefined || raw === '') {
    // A rate alone would quietly do nothing: the real clock can not run faster.
    if (hasRate) return { ok: false, variable: RATE_VARIABLE, value: rawRate, withoutNow: true };
    return { ok: true, clock: systemClock() };
  }
  const start = new Date(raw);
  if (!ISO_INSTANT.test(raw.trim()) || Number.isNaN(start.getTime())) return { ok: false, variable: NOW_VARIABLE, value: raw };
  const rate = hasRate ? Number(rawRate.trim()) : 1;
  if (hasRate && (!RATE.test(rawRate.trim()) || !(rate > 0))) return { ok: false, variable: RATE_VARIABLE, value: rawRate, withoutNow: false };
  const realStart = Date.now();
  return {
    ok: true,
    clock: { now: () => new Date(start.getTime() + (Date.now() - realStart) * rate), startedAt: start, rate, realMs: (ms) => ms / rate },
  };
}

let processClock: Clock | undefined;

/**
 * The process's clock, read from the environment once: every later call runs on the same clock. An
 * invalid CAMPAIGNCTL_NOW throws here; commands check it first with clockFrom to report it.
 */
export function clock(): Clock {
  if (!processClock) {
    const r = clockFrom();
    if (!r.ok) throw new Error(`${r.variable}=${r.value} can not be used: ${r.variable === NOW_VARIABLE ? 'not an ISO instant such as 2026-03-29T08:00:00Z' : 'not a positive number, or set without CAMPAIGNCTL_NOW'}`);
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
  if (!c.startedAt) return null;
  const pace = c.rate === 1 ? '' : `, running ${c.rate} x real time (${RATE_VARIABLE})`;
  return `${NOW_VARIABLE} is set: the clock started at ${c.startedAt.toISOString()}${pace} (not the real time)`;
}
