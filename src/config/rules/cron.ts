/**
 * A Schedule's cron expression must be in the Schedule dialect: it is checked by compiling it with
 * the evaluator plan and the runner compute fire times with (src/time/cron-dialect.ts), so validate
 * accepts exactly what they evaluate.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { cronProblem } from '../../time/cron-dialect.js';
import { ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function cronExpressions(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ofKind(ctx, 'Schedule')) {
    const expression = s.spec.cron;
    if (typeof expression !== 'string') continue;
    const detail = cronProblem(expression);
    if (detail !== undefined) out.push(diagnostic('cron.invalid', { expression, detail }, placeOf(ctx, s, ['spec', 'cron'])));
  }
  return out;
}
