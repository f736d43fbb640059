/** A Schedule's cron expression must be one node-cron (the runner) accepts. */
import { validate, validateDetailed } from 'node-cron';
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function cronExpressions(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ofKind(ctx, 'Schedule')) {
    const expression = s.spec.cron;
    if (typeof expression !== 'string' || validate(expression)) continue;
    const detail = validateDetailed(expression).errors[0]?.message;
    out.push(diagnostic('cron.invalid', { expression, detail }, placeOf(ctx, s, ['spec', 'cron'])));
  }
  return out;
}
