/**
 * A Campaign whose `when` is already past (by the emulator's own test, request-rules.ts): a warning here (plan decides what it means: an
 * applied campaign keeps its past start, a new one can not be scheduled in the past).
 * `YYYY-MM-DD HH:MM` is wall-clock time in the environment's accountTimezone.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { isPastStart } from '../../clevertap/request-rules.js';
import { resolveWhen } from '../../time/when.js';
import { ofKind, placeOf } from './helpers.js';
import type { Resource } from '../../model/resource.js';
import type { RuleContext } from './index.js';

export function whenInPast(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of ofKind(ctx, 'Campaign')) {
    const when = c.spec.when;
    if (typeof when !== 'string') continue;
    const instant = instantOf(when, ctx.environment.accountTimezone);
    if (instant !== undefined && isPastStart(instant, ctx.now)) {
      out.push(diagnostic('rule.when-in-past', { when }, placeOf(ctx, c, ['spec', 'when'])));
    }
  }
  return out;
}

/**
 * Until when whenInPast's finding about `r` stands: a `when` still ahead is not past until it
 * comes; a past one stays past.
 */
export function untilStart(r: Resource, ctx: RuleContext): number {
  const when = r.kind === 'Campaign' ? r.spec.when : undefined;
  if (typeof when !== 'string') return Infinity;
  const instant = instantOf(when, ctx.environment.accountTimezone);
  if (instant === undefined) return Infinity;
  return isPastStart(instant, ctx.now) ? Infinity : instant.getTime();
}

/**
 * The instant of a `when` as render reads it (one reader for the whole program), or undefined for
 * `now` and for values render rejects (reported by the instant-dates rule or at render).
 */
function instantOf(when: string, zone: string): Date | undefined {
  const r = resolveWhen(when, zone);
  return r.ok && r.value.kind === 'at' ? r.value.instant : undefined;
}
