/**
 * Printing a computed plan in the format asked for (text, json, markdown), and saving it as a plan
 * file. Views are H5's (src/cli/views/plan-*.ts); this only picks one and routes it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Output } from '../context.js';
import type { Project } from '../../config/project.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PlanOutcome } from '../../apply/planning.js';
import { createPlanFile, serializePlanFile } from '../../plan/plan-file.js';
import { renderPlanJson } from '../views/plan-json.js';
import { renderPlanMarkdown } from '../views/plan-markdown.js';
import { renderPlanText } from '../views/plan-text.js';
import { commandTarget, printDiagnostics } from './project.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

/** What printing and saving read of a plan outcome (a plan the no-change record gave has no desired state). */
export type ShownPlan = Pick<PlanOutcome, 'plan' | 'diagnostics' | 'meta' | 'payloads'>;
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

/** The secret values of the environment (never written to a plan file). */
export function environmentSecrets(project: Project, environ: Record<string, string | undefined> = process.env): string[] {
  if (project.environment.provider !== 'clevertap') return [];
  const passcode = environ[project.environment.credentials.passcodeEnv]?.trim();
  return passcode ? [passcode] : [];
}

/** Writes `plan --out FILE`; returns the problems that kept it from being saved. */
export function savePlanFile(project: Project, outcome: ShownPlan, file: string, now: Date): Diagnostic[] {
  const planFile = createPlanFile(
    outcome.plan,
    {
      environment: outcome.meta.environment,
      serial: outcome.meta.serial,
      configHash: outcome.meta.configHash,
      commit: outcome.meta.commit,
      createdAt: now.toISOString(),
    },
    outcome.payloads,
  );
  const { text, diagnostics } = serializePlanFile(planFile, { secrets: environmentSecrets(project) });
  if (text === null) return diagnostics;
  try {
    writeFileSync(path.resolve(file), text, { mode: 0o600 });
  } catch (err) {
    return [{ severity: 'error', code: 'planfile.write-failed', message: `could not write the plan to ${file}: ${(err as Error).message}` }];
  }
  return [];
}
