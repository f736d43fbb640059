/**
 * `campaignctl plan`: the plan operation (../operations/plan.ts) printed as text, JSON or markdown;
 * `--out FILE` saves it for `apply FILE`. Exit 0, 1 on error, 2 with changes and
 * --detailed-exitcode.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { addPlanningOptions, planOptionsFrom, type PlanningFlags } from './shared/planning-flags.js';
import { openCommandContext } from './shared/command-context.js';
import { PLAN_FORMATS, printPlan, type PlanFormat } from './shared/plan-output.js';
import { failWith } from './views/state-common.js';
import { plan } from '../operations/plan.js';
import { planExitCode } from '../plan/summary.js';
import { commandLine } from '../diagnostics/command-line.js';

interface PlanFlags extends PlanningFlags {
  out?: string;
  detailedExitcode?: boolean;
  format: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change: validate, refresh CleverTap statuses, diff against state, estimate audiences')
    .option('--out <file>', 'save the plan; `campaignctl apply FILE` applies exactly it')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (0 none, 1 error)')
    .option('--format <format>', `output: ${PLAN_FORMATS.join(', ')}`, 'text');
  addPlanningOptions(cmd).action(action(async (flags: PlanFlags, c: Command) => runPlan(flags, createOutput(globalOptions(c)))));
}

async function runPlan(flags: PlanFlags, out: Output): Promise<number> {
  const format = (out.opts.json ? 'json' : flags.format) as PlanFormat;
  if (!PLAN_FORMATS.includes(format)) {
    out.error(`campaignctl plan: --format must be one of ${PLAN_FORMATS.join(', ')}, got "${flags.format}"`);
    return 1;
  }
  const opened = await openCommandContext(out, {
    headStart: 'plan',
    more: (e) => {
      if (e.kind !== 'settled') return false;
      out.debug(`settled ${e.row.operation} ${e.row.address} (marker ${e.row.id}): ${e.row.outcome}`);
      return true;
    },
  });
  if (!opened.ok) return failWith(out, opened.project.root, opened.diagnostics);
  const ctx = opened.ctx;
  try {
    const { project } = ctx;
    const { options, diagnostics } = await planOptionsFrom(flags, project);
    if (diagnostics.length > 0) return failWith(out, project.root, diagnostics);
    const result = await plan(ctx, { ...options, out: flags.out });
    if (result.kind === 'refused') return failWith(out, project.root, result.diagnostics);

    const { outcome, saved } = result;
    printPlan(out, project, outcome, format);
    if (saved?.written) {
      if (format === 'text') out.info(`Saved the plan to ${saved.file}. Apply exactly this plan with: ${commandLine(ctx.target, ['apply', saved.file])}`);
    } else if (saved?.reason === 'failed') {
      return failWith(out, project.root, saved.diagnostics);
    } else if (saved && format === 'text') {
      out.error(`The plan was not saved to ${saved.file}: it is refused.`);
    }
    return planExitCode(outcome.plan, outcome.diagnostics, flags.detailedExitcode === true);
  } finally {
    await ctx.close();
  }
}
