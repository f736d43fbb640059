/**
 * `campaignctl plan`: validate, settle what an interrupted run left open (only when the apply lock
 * is free), refresh CleverTap's statuses, diff, estimate, and print the plan as text, JSON or
 * markdown; `--out FILE` saves it for `apply FILE`. Exit 0, 1 on error, 2 with changes and
 * --detailed-exitcode.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { lockRefusalJson, takeLock } from '../operations/lock.js';
import { addPlanningOptions, planOptionsFrom, type PlanningFlags } from './shared/planning-flags.js';
import { openPlanSession } from './shared/plan-session.js';
import { PLAN_FORMATS, printPlan, savePlanFile, type PlanFormat } from './shared/plan-output.js';
import { failWith } from './views/state-common.js';
import { failOnAuth } from './shared/auth-watch.js';
import { reusePlan } from '../apply/no-change.js';
import type { PlanStep } from '../apply/planning.js';
import { planExitCode } from '../plan/summary.js';
import { commandLine } from '../diagnostics/command-line.js';
import { commandTarget } from './shared/project.js';
import { now as clockNow } from '../time/clock.js';

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
  const opened = await openPlanSession(out, 'plan');
  if (!opened.ok) return failWith(out, opened.project?.root, opened.diagnostics);
  const session = opened.session;
  try {
    const { project, store } = session;
    const { options, diagnostics } = await planOptionsFrom(flags, project);
    if (diagnostics.length > 0) return failWith(out, project.root, diagnostics);

    // plan reads without the lock. Only when an interrupted run left journal rows open does it
    // take the lock, to settle them: settling must never race an apply that still owns them.
    const now = clockNow();
    const hasOpenRows = (await store.journal.listOpen()).length > 0;
    const lock = hasOpenRows ? await takeLock(store, 'plan (settling the journal)') : null;
    let outcome;
    try {
      const request = {
        project,
        store,
        client: session.connection.client,
        now,
        options,
        provenance: session.provenance,
        sandbox: session.connection.isSandbox,
        commandTarget: commandTarget(out, project),
        settle: lock?.ok === true,
        lockHolder: lock && !lock.ok ? lockRefusalJson(lock.refusal, commandTarget(out, project)) : null,
        notCreatedGraceMs: session.notCreatedGraceMs,
        memo: session.memo,
        early: session.early,
        noChange: session.noChange,
        onStep: (s: PlanStep) => out.debug(`plan: ${s}`),
      };
      // The no-change record first; the planning code is loaded only when it does not answer.
      outcome = (await reusePlan(request)) ?? (await (await import('../apply/planning.js')).computePlan(request));
    } finally {
      if (lock?.ok) await lock.release();
    }
    for (const s of outcome.settlement?.settled ?? []) {
      out.debug(`settled ${s.operation} ${s.address} (marker ${s.id}): ${s.outcome}`);
    }
    // A plan made with refused credentials is no plan: the refusal is the whole answer.
    const authFailed = failOnAuth(out, project.root, session.connection.auth);
    if (authFailed !== null) return authFailed;

    printPlan(out, project, outcome, format);
    const refused = outcome.diagnostics.some((d) => d.severity === 'error');
    if (flags.out && !refused) {
      const problems = savePlanFile(project, outcome, flags.out, now);
      if (problems.length > 0) return failWith(out, project.root, problems);
      if (format === 'text') out.info(`Saved the plan to ${flags.out}. Apply exactly this plan with: ${commandLine(commandTarget(out, project), ['apply', flags.out])}`);
    } else if (flags.out && format === 'text') {
      out.error(`The plan was not saved to ${flags.out}: it is refused.`);
    }
    return planExitCode(outcome.plan, outcome.diagnostics, flags.detailedExitcode === true);
  } finally {
    await session.close();
  }
}
