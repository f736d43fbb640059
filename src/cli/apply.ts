/**
 * `campaignctl apply [PLANFILE] [--yes]`: takes the apply lock, settles what an interrupted run
 * left open, then either plans afresh (same flags as `plan`), shows the plan and asks (on a
 * terminal; irreversible changes listed again at the prompt; without a terminal --yes is required),
 * or applies exactly a saved plan, refusing it when the state serial, the configuration, the git
 * commit or the environment moved. Exit 0 when everything was applied, 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { applyProgress } from './shared/apply-progress.js';
import { lockRefusalDiagnostic, lockRefusalJson, takeLock } from '../operations/lock.js';
import { addPlanningOptions, hasPlanningFlags, planningFlagWords, planOptionsFrom, type PlanningFlags } from './shared/planning-flags.js';
import { openPlanSession, targetLine, type PlanSession } from './shared/plan-session.js';
import { printPlan } from './shared/plan-output.js';
import { commandTarget } from './shared/project.js';
import { failWith, refuseLocked } from './views/state-common.js';
import { failOnAuth } from './shared/auth-watch.js';
import { refusalEvent, resultEvent, resultText, type ApplyRefusal } from './views/apply-result.js';
import { jsonLine } from './views/json-keys.js';
import { configHash } from '../apply/config-hash.js';
import { prepareDesired } from '../apply/desired.js';
import { executePlan } from '../apply/executor.js';
import { raiseOccurrence } from '../runtime/occurrence.js';
import { applyMessages } from '../apply/messages.js';
import { syncMetadata } from '../apply/metadata.js';
import { computePlan } from '../apply/planning.js';
import { settleOpenJournal } from '../apply/settle.js';
import type { ApplyResult, ExecuteInput } from '../apply/types.js';
import { commandLine } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkStale, parsePlanFile } from '../plan/plan-file.js';
import { formatAudience } from '../plan/summary.js';
import type { Plan } from '../plan/types.js';
import type { CampaignCreateBody } from '../render/campaign.js';
import { now as clockNow } from '../time/clock.js';

interface ApplyFlags extends PlanningFlags {
  yes?: boolean;
}

/** Seconds to wait before reading back an ambiguous create on a real account (it may still be landing). */
const READ_BACK_DELAY_MS = 3_000;

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
  const opened = await openPlanSession(out, 'apply');
  if (!opened.ok) return refuse(out, opened.project?.root, 'project', opened.diagnostics);
  const session = opened.session;
  try {
    const lock = await takeLock(session.store, planfile ? `apply ${planfile}` : 'apply');
    if (!lock.ok) {
      const target = commandTarget(out, session.project);
      if (!out.opts.json) return refuseLocked(out, lock.refusal, 'apply', target);
      return refuse(out, session.project.root, 'locked', [lockRefusalDiagnostic(lock.refusal, 'apply', target)], { locked: lockRefusalJson(lock.refusal, target) });
    }
    const abort = new AbortController();
    const onSignal = () => {
      if (!abort.signal.aborted) out.error('Interrupted: finishing the changes in flight, then stopping (state stays consistent).');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const code = planfile ? await applySaved(session, planfile, out, abort.signal) : await applyFresh(session, flags, out, abort.signal);
      return abort.signal.aborted && code !== 0 ? 130 : code;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await lock.release();
    }
  } finally {
    await session.close();
  }
}

async function applyFresh(session: PlanSession, flags: ApplyFlags, out: Output, signal: AbortSignal): Promise<number> {
  const { project } = session;
  const { options, diagnostics } = await planOptionsFrom(flags, project);
  if (diagnostics.length > 0) return refuse(out, project.root, 'invalid-flags', diagnostics);
  if (!out.opts.json) out.info(targetLine(session));
  const outcome = await computePlan({
    project,
    store: session.store,
    client: session.connection.client,
    now: clockNow(),
    options,
    provenance: session.provenance,
    sandbox: session.connection.isSandbox,
    commandTarget: commandTarget(out, project),
    settle: true,
    notCreatedGraceMs: session.notCreatedGraceMs,
    memo: session.memo,
    onStep: (s) => out.debug(`plan: ${s}`),
  });
  reportSettled(out, outcome.settlement?.settled ?? []);
  const authFailed = failOnAuth(out, project.root, session.connection.auth, (ds) => refuse(out, project.root, 'credentials', ds));
  if (authFailed !== null) return authFailed;
  const refused = outcome.diagnostics.some((d) => d.severity === 'error');
  if (out.opts.json) {
    out.print(jsonLine({ event: 'plan', summary: outcome.plan.summary, changes: outcome.plan.changes.length, errors: outcome.diagnostics }));
  } else {
    printPlan(out, project, outcome, 'text');
  }
  if (refused) {
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    if (out.opts.json) out.print(jsonLine(refusalEvent('plan-refused', `the plan was refused: ${reasonOf(errors)}`, errors)));
    return 1;
  }
  if (outcome.plan.changes.length === 0) {
    if (!outcome.plan.partial) await syncMetadata(session.store, outcome.desired, session.provenance);
    if (out.opts.json) out.print(jsonLine(resultEvent(emptyResult())));
    return 0;
  }
  const confirmed = await confirm(session, outcome.plan, flags, out);
  if (!confirmed.ok) {
    if (out.opts.json) out.print(jsonLine(refusalEvent('no-confirmation', confirmed.message.trim())));
    else out.error(confirmed.message);
    return 1;
  }
  const result = await execute(session, { changes: outcome.plan.changes, payloads: outcome.payloads }, outcome.desired, out, signal);
  if (result.ok && !outcome.plan.partial) await syncMetadata(session.store, outcome.desired, session.provenance);
  return result.ok ? 0 : 1;
}

async function applySaved(session: PlanSession, file: string, out: Output, signal: AbortSignal): Promise<number> {
  const { project, store } = session;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return refuse(out, project.root, 'plan-file', [{ severity: 'error', code: 'planfile.unreadable', message: `can not read plan file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  const parsed = parsePlanFile(text, file, commandTarget(out, project));
  if (!parsed.planFile) return refuse(out, project.root, 'plan-file', parsed.diagnostics);
  const saved = parsed.planFile;

  const moved = checkStale(saved, {
    environment: project.environmentName,
    serial: await store.serial(),
    configHash: configHash(project),
    commit: session.git.commit,
  });
  if (moved.length > 0) {
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'planfile.stale',
      file,
      message: `the saved plan is stale and was not applied: ${moved.map((m) => m.message).join('; ')}`,
      hint: `make a new plan with \`${commandLine(commandTarget(out, project), ['plan', '--out', 'FILE'])}\`, review it, and apply that`,
    };
    return refuse(out, project.root, 'stale-plan', [diagnostic], { stale: moved });
  }

  // The session's memo: resources unchanged since the last plan take its hashes.
  const desired = prepareDesired(project, { memo: session.memo });
  const settlement = await settleOpenJournal({ store, client: session.connection.client, provenance: session.provenance, now: () => clockNow(), desired: desired.byAddress, notCreatedGraceMs: session.notCreatedGraceMs });
  reportSettled(out, settlement.settled);
  const authFailed = failOnAuth(out, project.root, session.connection.auth, (ds) => refuse(out, project.root, 'credentials', ds));
  if (authFailed !== null) return authFailed;
  if (settlement.unsettled.length > 0) return refuse(out, project.root, 'unsettled', [applyMessages.unsettled(settlement.unsettled)]);

  if (!out.opts.json) {
    out.info(targetLine(session));
    out.info(`Applying the saved plan ${file} (made ${saved.created_at}): ${saved.plan.summary.text}`);
  }
  if (saved.plan.changes.length === 0) {
    if (out.opts.json) out.print(jsonLine(resultEvent(emptyResult())));
    return 0;
  }
  const result = await execute(session, { changes: saved.plan.changes, payloads: saved.payloads as Record<string, CampaignCreateBody> }, desired, out, signal);
  return result.ok ? 0 : 1;
}

async function execute(
  session: PlanSession,
  input: ExecuteInput,
  desired: ReturnType<typeof prepareDesired>,
  out: Output,
  signal: AbortSignal,
): Promise<ApplyResult> {
  const result = await executePlan(input, {
    store: session.store,
    client: session.connection.client,
    provenance: session.provenance,
    project: session.project,
    commandTarget: commandTarget(out, session.project),
    desired,
    hooks: applyProgress(out),
    raiseOccurrence,
    signal,
    readBackDelayMs: session.connection.isSandbox ? 0 : READ_BACK_DELAY_MS,
  });
  if (out.opts.json) out.print(jsonLine(resultEvent(result)));
  else if (result.ok) out.info(resultText(result, out.c));
  else out.error(resultText(result, out.c));
  return result;
}

async function confirm(session: PlanSession, plan: Plan, flags: ApplyFlags, out: Output): Promise<{ ok: true } | { ok: false; message: string }> {
  if (flags.yes) return { ok: true };
  if (out.opts.json || !process.stdin.isTTY) {
    const target = commandTarget(out, session.project);
    const scope = planningFlagWords(flags);
    const yes = commandLine(target, ['apply', ...scope, '--yes']);
    const save = commandLine(target, ['plan', ...scope, '--out', 'FILE']);
    return { ok: false, message: `apply refused: confirmation needed and there is no terminal to ask on. Review the plan and run \`${yes}\`, or save it with \`${save}\` and run \`${commandLine(target, ['apply', 'FILE'])}\`.` };
  }
  const c = out.c;
  const lines = ['', c.bold(`Apply ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'} to environment ${session.project.environmentName}${session.connection.isSandbox ? ' (the sandbox)' : ` (${session.connection.describe})`}?`)];
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
    const answer = (await rl.question('Only "yes" is accepted: ', { signal: cancel.signal })).trim();
    return answer === 'yes' ? { ok: true } : { ok: false, message: 'Apply cancelled; nothing was changed.' };
  } catch (err) {
    if ((err as Error).name === 'AbortError') return { ok: false, message: '\nApply cancelled; nothing was changed.' };
    throw err;
  } finally {
    rl.close();
  }
}

function reportSettled(out: Output, settled: { operation: string; address: string; id: string; outcome: string; message: string }[]): void {
  for (const s of settled) out.info(`Settled an interrupted ${s.operation} of ${s.address} (marker ${s.id}): ${s.message}`);
}

function emptyResult(): ApplyResult {
  return { outcomes: [], applied: 0, failed: 0, skipped: 0, ok: true, interrupted: false, durationMs: 0 };
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
  return { severity: 'error', code: 'cli.invalid-flag', message, hint: 'see campaignctl apply --help' };
}
