/**
 * Printing a computed plan in the format asked for (text, json, markdown). The views are in
 * ../views/plan-*.ts; this only picks one and routes it.
 */
import type { Output } from '../context.js';
import type { Project } from '../../config/project.js';
import type { ShownPlan } from '../../operations/plan.js';
import { renderPlanJson } from '../../plan/plan-json.js';
import { renderPlanMarkdown } from '../views/plan-markdown.js';
import { renderPlanText } from '../views/plan-text.js';
import { commandTarget, printDiagnostics } from './project.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

export const PLAN_FORMATS: readonly PlanFormat[] = ['text', 'json', 'markdown'];

export function printPlan(out: Output, project: Project, outcome: ShownPlan, format: PlanFormat): void {
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  if (format === 'json') {
    out.print(renderPlanJson(outcome.plan, outcome.meta, errors).replace(/\n$/, ''));
    return;
  }
  if (format === 'markdown') {
    out.print(renderPlanMarkdown(outcome.plan, outcome.meta, errors, undefined, commandTarget(out, project)));
    return;
  }
  if (!out.opts.quiet) out.print(renderPlanText(outcome.plan, out.c, outcome.meta));
  else out.print(outcome.plan.summary.text);
  if (errors.length > 0) {
    printDiagnostics(out, project.root, errors);
    out.error(out.c.red(`Plan refused: ${errors.length} error${errors.length === 1 ? '' : 's'}. Nothing can be applied until ${errors.length === 1 ? 'it is' : 'they are'} fixed.`));
  }
}
