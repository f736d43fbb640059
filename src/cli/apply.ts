/**
 * `campaignctl apply [PLANFILE] [--yes]`: the apply operation (../operations/apply.ts) on the
 * terminal. A fresh plan (same flags as `plan`) is shown and asked about on a terminal
 * (irreversible changes listed again at the prompt; without a terminal --yes is required); a saved
 * plan is applied exactly, refused when stale. SIGINT/SIGTERM stop starting new changes. Exit 0
 * when everything was applied, 1 otherwise, 130 when interrupted.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { applyProgress } from './shared/apply-progress.js';
import { addPlanningOptions, hasPlanningFlags, planningFlagWords, planOptionsFrom, type PlanningFlags } from './shared/planning-flags.js';
import { openCommandContext } from './shared/operation-context.js';
import { printPlan } from './shared/plan-output.js';
import { failWith, refuseLocked } from './views/state-common.js';
import { refusalEvent, resultEvent, resultText, type ApplyRefusal } from './views/apply-result.js';
import { jsonLine } from '../model/json-keys.js';
import { apply, type ApplyOutcome } from '../operations/apply.js';
import type { OperationContext } from '../operations/context.js';
import type { Project } from '../config/project.js';
import type { OperationEvent } from '../operations/events.js';
import { lockRefusalJson } from '../operations/lock.js';
import { commandLine } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatAudience } from '../plan/summary.js';
import type { Plan } from '../plan/types.js';

interface ApplyFlags extends PlanningFlags {
  yes?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('apply')
    .argument('[planfile]', 'a plan saved with `campaignctl plan --out FILE`: applied exactly, refused if stale')
    .description('apply a fresh plan (asks first) or exactly a saved plan')
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)');
  addPlanningOptions(cmd).action(
    action(async (planfile: string | undefined, flags: ApplyFlags, c: Command) => runApply(planfile, flags, createOutput(globalOptions(c)))),
  );
}

async function runApply(planfile: string | undefined, flags: ApplyFlags, out: Output): Promise<number> {
  if (planfile && hasPlanningFlags(flags)) {
    return refuse(out, undefined, 'invalid-flags', [usage('planning flags (--target, --selector, --no-estimate, --allow-*, ...) can not be combined with a plan file: the file decides')]);
  }
  // The operation's events come while apply() runs, once the context is open.
  let project: Project | undefined = undefined;
  const opened = await openCommandContext(out, { more: applyEvents(out, () => project!) });
  if (!opened.ok) return refuse(out, opened.project.root, 'project', opened.diagnostics);
  const ctx = opened.ctx;
  project = ctx.project;
  const root = ctx.project.root;
  try {
    let planning = {};
    if (!planfile) {
      const parsed = await planOptionsFrom(flags, ctx.project);
      if (parsed.diagnostics.length > 0) return refuse(out, root, 'invalid-flags', parsed.diagnostics);
      planning = parsed.options;
    }
    const abort = new AbortController();
    const onSignal = () => {
      if (!abort.signal.aborted) out.error('Interrupted: finishing the changes in flight, then stopping (state stays consistent).');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let outcome: ApplyOutcome;
    try {
      const confirm = flags.yes ? async () => true : out.opts.json || !process.stdin.isTTY ? undefined : (plan: Plan) => prompt(ctx, plan, out);
      outcome = planfile ? await apply(ctx, { planFile: planfile, signal: abort.signal }) : await apply(ctx, { ...planning, confirm, signal: abort.signal });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const code = outcome.kind === 'refused' ? showRefusal(out, ctx, outcome, flags) : showResult(out, outcome);
    return abort.signal.aborted && code !== 0 ? 130 : code;
  } finally {
    await ctx.close();
  }
}

/** What apply tells as it goes: where it applies, what was settled, the plan, each change. */
function applyEvents(out: Output, project: () => Project): (e: OperationEvent) => boolean {
  const progress = applyProgress(out);
  return (e) => {
    switch (e.kind) {
      case 'settled':
        out.info(`Settled an interrupted ${e.row.operation} of ${e.row.address} (marker ${e.row.id}): ${e.row.message}`);
        return true;
      case 'apply-target':
        if (out.opts.json) return true;
        out.info(
          e.sandbox
            ? `Environment ${e.environment}: the embedded SANDBOX (a local CleverTap emulator; nothing reaches a real account).`
            : `Environment ${e.environment}: ${e.describe}.`,
        );
        if (e.saved) out.info(`Applying the saved plan ${e.saved.file} (made ${e.saved.createdAt}): ${e.saved.summary.text}`);
        return true;
      case 'planned':
        if (out.opts.json) out.print(jsonLine({ event: 'plan', summary: e.plan.plan.summary, changes: e.plan.plan.changes.length, errors: e.plan.diagnostics }));
        else printPlan(out, project(), e.plan, 'text');
        return true;
      default:
        return progress(e);
    }
  };
}

function showResult(out: Output, outcome: Exclude<ApplyOutcome, { kind: 'refused' }>): number {
  if (outcome.kind === 'unchanged') {
    // The plan (or the saved plan's line) said so already; a script still gets its closing event.
    if (out.opts.json) out.print(jsonLine(resultEvent({ outcomes: [], applied: 0, failed: 0, skipped: 0, ok: true, interrupted: false, durationMs: 0 })));
    return 0;
  }
  const { result } = outcome;
  if (out.opts.json) out.print(jsonLine(resultEvent(result)));
  else if (result.ok) out.info(resultText(result, out.c));
  else out.error(resultText(result, out.c));
  return result.ok ? 0 : 1;
}

function showRefusal(out: Output, ctx: OperationContext, outcome: Extract<ApplyOutcome, { kind: 'refused' }>, flags: ApplyFlags): number {
  const root = ctx.project.root;
  switch (outcome.refused) {
    case 'locked': {
      const lock = outcome.lock!;
      if (!out.opts.json) return refuseLocked(out, lock, 'apply', ctx.target);
      return refuse(out, root, 'locked', outcome.diagnostics, { locked: lockRefusalJson(lock, ctx.target) });
    }
    case 'stale-plan':
      return refuse(out, root, 'stale-plan', outcome.diagnostics, { stale: outcome.stale });
    case 'plan-refused':
      // The plan, its errors and "Plan refused" are printed already.
      if (out.opts.json) out.print(jsonLine(refusalEvent('plan-refused', `the plan was refused: ${reasonOf(outcome.diagnostics)}`, outcome.diagnostics)));
      return 1;
    case 'no-confirmation': {
      const message = outcome.asked ? 'Apply cancelled; nothing was changed.' : noTerminalMessage(ctx, flags);
      if (out.opts.json) out.print(jsonLine(refusalEvent('no-confirmation', message)));
      else out.error(message);
      return 1;
    }
    case 'interrupted':
      if (out.opts.json) out.print(jsonLine(refusalEvent('interrupted', 'interrupted while planning; nothing was applied')));
      return 1;
    default:
      return refuse(out, root, outcome.refused, outcome.diagnostics);
  }
}

function noTerminalMessage(ctx: OperationContext, flags: ApplyFlags): string {
  const scope = planningFlagWords(flags);
  const yes = commandLine(ctx.target, ['apply', ...scope, '--yes']);
  const save = commandLine(ctx.target, ['plan', ...scope, '--out', 'FILE']);
  return `apply refused: confirmation needed and there is no terminal to ask on. Review the plan and run \`${yes}\`, or save it with \`${save}\` and run \`${commandLine(ctx.target, ['apply', 'FILE'])}\`.`;
}

/** The terminal prompt: only "yes" confirms; Ctrl+C at the prompt is a "no". */
async function prompt(ctx: OperationContext, plan: Plan, out: Output): Promise<boolean> {
  // Connected already: apply asks only after planning against CleverTap.
  const connected = await ctx.connect();
  if (!connected.ok) return false;
  const where = connected.value.isSandbox ? ' (the sandbox)' : ` (${connected.value.describe})`;
  const c = out.c;
  const lines = ['', c.bold(`Apply ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'} to environment ${ctx.project.environmentName}${where}?`)];
  const irreversible = plan.changes.filter((ch) => ch.irreversible);
  if (irreversible.length > 0) {
    lines.push(c.red(c.bold('IRREVERSIBLE: these message people as soon as they are applied:')));
    for (const ch of irreversible) lines.push(c.red(`  ${ch.action} ${ch.address}  ${ch.estimate ? `about ${formatAudience(ch.estimate.total)} users` : 'audience not estimated'}`));
  }
  process.stderr.write(lines.join('\n') + '\n');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl+C at the prompt is a "no" (readline would otherwise just pause and leave the question open).
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  try {
    return (await rl.question('Only "yes" is accepted: ', { signal: cancel.signal })).trim() === 'yes';
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
    // The answer's line was never ended: the refusal starts on its own line.
    process.stderr.write('\n');
    return false;
  } finally {
    rl.close();
  }
}

/**
 * Ends an apply that changed nothing. With --json the run still ends with its `result` event,
 * saying which refusal it was and why (JSON lines: one line, no separate document).
 */
function refuse(out: Output, root: string | undefined, refused: ApplyRefusal, diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}): number {
  if (!out.opts.json) return failWith(out, root, diagnostics);
  out.print(jsonLine(refusalEvent(refused, reasonOf(diagnostics), diagnostics, extra)));
  return 1;
}

function reasonOf(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => d.message)
    .join('; ');
}

function usage(message: string): Diagnostic {
  return diagnostic('cli.invalid-flag', { message, command: 'apply' });
}
