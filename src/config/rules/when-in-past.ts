/**
 * A Campaign whose `when` is already past: a warning here (plan decides what it means: an
 * applied campaign keeps its past start, a new one can not be scheduled in the past).
 * `YYYY-MM-DD HH:MM` is wall-clock time in the environment's accountTimezone.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { fromIsoDate, impossibleDate, zonedTimeToInstant } from '../calendar.js';
import { ofKind, placeOf } from './helpers.js';
import type { Resource } from '../../model/resource.js';
import type { RuleContext } from './index.js';

export function whenInPast(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of ofKind(ctx, 'Campaign')) {
    const when = c.spec.when;
    if (typeof when !== 'string') continue;
    const instant = instantOf(when, ctx.environment.accountTimezone);
    if (instant !== undefined && instant.getTime() < ctx.now.getTime()) {
      out.push(diagnostic('rule.when-in-past', { when, now: ctx.now.toISOString() }, placeOf(ctx, c, ['spec', 'when'])));
    }
  }
  return out;
}

/**
 * Until when whenInPast's finding about `r` stands: a `when` still ahead is not past until it
 * comes; a past one is reported with the current time, so it is checked on every run.
 */
export function untilStart(r: Resource, ctx: RuleContext): number {
  const when = r.kind === 'Campaign' ? r.spec.when : undefined;
  if (typeof when !== 'string') return Infinity;
  const instant = instantOf(when, ctx.environment.accountTimezone);
  if (instant === undefined) return Infinity;
  return instant.getTime() > ctx.now.getTime() ? instant.getTime() : 0;
}

/** The instant of a `when`, or undefined for `now` and for dates the instant-dates rule rejects. */
function instantOf(when: string, zone: string): Date | undefined {
  const date = fromIsoDate(when);
  if (!date || impossibleDate(date)) return undefined;
  const local = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(when);
  if (local) {
    const [hour, minute] = local.slice(4).map(Number);
    return zonedTimeToInstant(date, hour, minute, zone);
  }
  const t = Date.parse(when);
  return Number.isNaN(t) ? undefined : new Date(t);
}
