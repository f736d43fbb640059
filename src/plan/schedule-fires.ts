/**
 * The fire times a plan shows for a Schedule: the next few after the plan's `now`, from the same
 * evaluator validate and the runner use. Pure: `now` is the planner's input.
 */
import { compileCron } from '../time/cron-dialect.js';
import { nextFireTimes } from '../time/fire-times.js';

/** How many upcoming fires a plan lists per schedule. */
export const PLANNED_FIRES = 5;

/**
 * The next fires of a Schedule spec after `now` as UTC ISO instants; [] when it is disabled
 * (`enabled: false` fires nothing); undefined when its cron or zone can not be evaluated (validate
 * reports that; a spec applied before the dialect changed may be one).
 */
export function plannedFireTimes(spec: unknown, now: Date): string[] | undefined {
  if (typeof spec !== 'object' || spec === null) return undefined;
  const { cron, timezone, enabled } = spec as Record<string, unknown>;
  if (typeof cron !== 'string' || typeof timezone !== 'string') return undefined;
  const fires = firesOf(cron, timezone, now);
  if (!fires) return undefined;
  return enabled === false ? [] : fires.slice();
}

/**
 * Fire times by cron, zone and instant: a project's Schedules share few (cron, zone) pairs (2,955
 * Schedules, 24 pairs in the bench's mixed corpus) and one plan has one `now`, so each pair is
 * worked out once. Bounded, and a function of its key alone, so it never goes stale.
 */
const known = new Map<string, readonly string[] | null>();
const KNOWN_MAX = 512;

function firesOf(cron: string, timezone: string, now: Date): readonly string[] | null {
  const key = `${now.getTime()}\0${timezone}\0${cron}`;
  let fires = known.get(key);
  if (fires === undefined) {
    fires = compileCron(cron, timezone).ok ? nextFireTimes({ cron, timezone }, now, PLANNED_FIRES).map((t) => t.toISOString()) : null;
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(key, fires);
  }
  return fires;
}
