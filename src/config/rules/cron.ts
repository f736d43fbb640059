/** A Schedule's cron expression must be one node-cron (the runner) accepts. */
import { createRequire } from 'node:module';
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

// node-cron is loaded for projects that have Schedules (rules are synchronous: no import()).
let nodeCron: typeof import('node-cron') | undefined;
const cron = () => (nodeCron ??= createRequire(import.meta.url)('node-cron') as typeof import('node-cron'));

export function cronExpressions(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ofKind(ctx, 'Schedule')) {
    const { validate, validateDetailed } = cron();
    const expression = s.spec.cron;
    if (typeof expression !== 'string' || validate(expression)) continue;
    const detail = validateDetailed(expression).errors[0]?.message;
    out.push(diagnostic('cron.invalid', { expression, detail }, placeOf(ctx, s, ['spec', 'cron'])));
  }
  return out;
}
