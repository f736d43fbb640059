/**
 * Real calendar dates in instants: a Campaign's `when` (`2026-02-31 10:00` passes the pattern
 * but is no date) and each bulletin occurrence's `at`; and a Campaign's local `when` that exists in
 * the account's zone (not skipped by a daylight-saving change), as render requires.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { resolveWhen } from '../../time/when.js';
import { fromIsoDate, impossibleDate } from '../calendar.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function instantDates(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of ofKind(ctx, 'Campaign')) {
    if (!check(ctx, c, c.spec.when, ['spec', 'when'], out)) checkExists(ctx, c, c.spec.when, out);
  }
  for (const b of ofKind(ctx, 'Bulletin')) {
    const occurrences = b.spec.occurrences;
    if (!Array.isArray(occurrences)) continue;
    occurrences.forEach((o, i) => isRecord(o) && check(ctx, b, o.at, ['spec', 'occurrences', i, 'at'], out));
  }
  return out;
}

/** True when it reported an impossible date. */
function check(ctx: RuleContext, r: Resource, value: unknown, path: (string | number)[], out: Diagnostic[]): boolean {
  if (typeof value !== 'string') return false;
  const ymd = fromIsoDate(value);
  const reason = ymd && impossibleDate(ymd);
  if (reason) out.push(diagnostic('time.invalid-date', { value, reason }, placeOf(ctx, r, path)));
  return Boolean(reason);
}

/** A local `when` the clocks jump over in the account's zone (an invalid zone is reported on its own). */
function checkExists(ctx: RuleContext, r: Resource, when: unknown, out: Diagnostic[]): void {
  if (typeof when !== 'string' || when === 'now' || when.includes('T')) return;
  const resolved = resolveWhen(when, ctx.environment.accountTimezone);
  if (!resolved.ok && resolved.diagnostic.code === 'time.nonexistent-local-time') out.push({ ...resolved.diagnostic, ...placeOf(ctx, r, ['spec', 'when']) });
}
