/**
 * When a Schedule fires: pure functions of the schedule and instants given by the caller (no
 * clock). Instants are UTC; the expression is read in the schedule's IANA zone.
 *
 * The DST rule (docs/schedules.md), as croner evaluates it with ./cron-dialect.ts's options:
 * - a fixed-time job (no `*` or step in its seconds, minutes and hours) whose local time falls in
 *   a spring-forward gap fires once, at the first instant after the gap (02:30 on a day whose
 *   clocks jump from 02:00 to 03:00 fires at 03:00);
 * - a fixed-time job whose local time happens twice (fall-back) fires once, at the first one;
 * - an interval job (a `*` or a step in its seconds, minutes or hours) fires at every local time
 *   it names that the clock actually shows, in real-time order: none in a gap, both passes of a
 *   repeated hour. A minute step (`*\/15`) or every hour (`0 * * * *`) thus keeps its real
 *   spacing across both changes.
 */
import { compileCron } from './cron-dialect.js';
import type { Cron } from 'croner';

/** What fire times depend on: a Schedule spec's `cron` and `timezone`. */
export interface ScheduleTiming {
  cron: string;
  timezone: string;
}

function evaluator(s: ScheduleTiming): Cron {
  const c = compileCron(s.cron, s.timezone);
  // Callers pass validated schedules; one that is not is a bug, not a user problem.
  if (!c.ok) throw new Error(`schedule ${JSON.stringify(s.cron)} in ${s.timezone} can not be evaluated: ${c.reason}`);
  return c.cron;
}

/** The next `n` fires strictly after `after`, in order. */
export function nextFireTimes(s: ScheduleTiming, after: Date, n: number): Date[] {
  return n > 0 ? evaluator(s).nextRuns(n, after) : [];
}

/** Every fire in (after, until], in order. */
export function fireTimes(s: ScheduleTiming, after: Date, until: Date): Date[] {
  const cron = evaluator(s);
  const out: Date[] = [];
  for (let t = cron.nextRun(after); t !== null && t.getTime() <= until.getTime(); t = cron.nextRun(t)) out.push(t);
  return out;
}

/** The most recent fire at or before `t`, or null when it never fired before `t`. */
export function latestFireAtOrBefore(s: ScheduleTiming, t: Date): Date | null {
  // previousRuns looks strictly before its reference (to the millisecond): 1 ms later takes `t` in.
  return evaluator(s).previousRuns(1, new Date(t.getTime() + 1))[0] ?? null;
}

/** The latest `limit` fires in (after, until], newest first: what a runner pass looks at (never every missed tick). */
export function recentFireTimes(s: ScheduleTiming, after: Date, until: Date, limit: number): Date[] {
  if (limit <= 0 || until.getTime() <= after.getTime()) return [];
  const cron = evaluator(s);
  const out: Date[] = [];
  // One step back at a time, stopping at `after`: a pass usually finds none or one tick, and asking
  // croner for `limit` fires at once costs as much as `limit` steps every pass, for every schedule.
  // previousRuns looks strictly before its reference: 1 ms later takes `until` in.
  for (let ref = new Date(until.getTime() + 1); out.length < limit; ) {
    const t = cron.previousRuns(1, ref)[0];
    if (!t || t.getTime() <= after.getTime()) break;
    out.push(t);
    ref = t;
  }
  return out;
}
