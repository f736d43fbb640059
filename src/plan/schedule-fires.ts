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
  if (typeof cron !== 'string' || typeof timezone !== 'string' || !compileCron(cron, timezone).ok) return undefined;
  if (enabled === false) return [];
  return nextFireTimes({ cron, timezone }, now, PLANNED_FIRES).map((t) => t.toISOString());
}
