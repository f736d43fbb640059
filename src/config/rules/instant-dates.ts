/**
 * Real calendar dates in instants: a Campaign's `when` (`2026-02-31 10:00` passes the pattern
 * but is no date) and each bulletin occurrence's `at`.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { fromIsoDate, impossibleDate } from '../calendar.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function instantDates(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of ofKind(ctx, 'Campaign')) check(ctx, c, c.spec.when, ['spec', 'when'], out);
  for (const b of ofKind(ctx, 'Bulletin')) {
    const occurrences = b.spec.occurrences;
    if (!Array.isArray(occurrences)) continue;
    occurrences.forEach((o, i) => isRecord(o) && check(ctx, b, o.at, ['spec', 'occurrences', i, 'at'], out));
  }
  return out;
}

function check(ctx: RuleContext, r: Resource, value: unknown, path: (string | number)[], out: Diagnostic[]): void {
  if (typeof value !== 'string') return;
  const ymd = fromIsoDate(value);
  const reason = ymd && impossibleDate(ymd);
  if (reason) out.push(diagnostic('time.invalid-date', { value, reason }, placeOf(ctx, r, path)));
}
