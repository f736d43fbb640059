/**
 * apply(ctx, options): takes the apply lock, connects (only then: the embedded emulator shares its
 * account file), settles what an interrupted run left open, then either
 *   - plans afresh (the planner's options), hands the plan to `confirm` and applies it once
 *     confirmed; without `confirm` it refuses (nobody to ask); or
 *   - applies exactly a saved plan (`planFile`, made by plan(ctx, { out })), refused when the state
 *     serial, the configuration, the git commit or the environment moved since.
 * Every change is an event as it starts and ends (`change-start`, `change-done` with done/total);
 * `signal` stops starting new changes (those in flight finish and are recorded).
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import { redactSecrets } from '../diagnostics/redact.js';
import { readFileSync } from 'node:fs';
import { configHash } from '../apply/config-hash.js';
import { prepareDesired, type DesiredState } from '../apply/desired.js';
import { executePlan } from '../apply/executor.js';
import { applyMessages } from '../apply/messages.js';
import { syncMetadata } from '../apply/metadata.js';
import { NoChangeMemo } from '../apply/no-change.js';
import { computePlan } from '../apply/planning.js';
import { settleOpenJournal } from '../apply/settle.js';
import type { ApplyHooks, ApplyResult, ExecuteInput } from '../apply/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkStale, parsePlanFile, type StaleReason } from '../plan/plan-file.js';
import type { Plan, PlanOptions } from '../plan/types.js';
import type { CampaignCreateBody } from '../render/campaign.js';
import { takeRefusal } from './auth-watch.js';
import type { Connection } from './connect.js';
import type { OperationContext } from './context.js';
import type { EventSink } from './events.js';
import { lockRefusalDiagnostic, takeLock, type LockRefusal } from './lock.js';
import { raiseOccurrence } from '../runtime/occurrence.js';
import { PlanInterrupted, planningFacts, planSteps, type PlanningFacts } from './plan-inputs.js';

/** Seconds to wait before reading back an ambiguous create on a real account (it may still be landing). */
const READ_BACK_DELAY_MS = 3_000;

export interface ApplyControls {
  /**
   * Asked with a fresh plan that has changes; only `true` applies it. Absent: apply refuses
   * (`no-confirmation`), as nobody could be asked. Never asked for a saved plan: it was reviewed.
   */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Stops starting new changes; those in flight finish and are recorded. */
  signal?: AbortSignal;
}

/** A saved plan decides everything itself: the planner's options do not go with it. */
type NoPlannerOptions = { [K in keyof PlanOptions]?: never };

export type ApplyOperationOptions = ApplyControls & (({ planFile: string } & NoPlannerOptions) | ({ planFile?: undefined } & PlanOptions));

/** Why nothing was applied. */
export type ApplyRefusal =
  | 'project' // CleverTap can not be opened (credentials unset, sandbox data unusable)
  | 'locked' // another run holds the apply lock
  | 'plan-file' // a saved plan that can not be read
  | 'stale-plan' // a saved plan that no longer matches state, configuration or commit
  | 'unsettled' // an interrupted earlier run could not be settled
  | 'credentials' // CleverTap refused the account id or passcode (401/403)
  | 'plan-refused' // the plan has errors (a guard, an invalid resource)
  | 'no-confirmation' // nobody confirmed: no `confirm` to ask, or it did not answer true
  | 'interrupted'; // the signal, while a fresh plan was computed: no change was sent

export type ApplyOutcome =
  /** The executor ran; result.ok when every change was applied. */
  | { kind: 'applied'; result: ApplyResult }
  /** The plan had no changes: nothing was sent. */
  | { kind: 'unchanged' }
  | {
      kind: 'refused';
      refused: ApplyRefusal;
      /** Its errors (empty for `no-confirmation` and `interrupted`). */
      diagnostics: Diagnostic[];
      /** `locked`: who holds the lock. */
      lock?: LockRefusal;
      /** `stale-plan`: what moved. */
      stale?: StaleReason[];
      /** `no-confirmation`: true when `confirm` was asked and did not confirm, false when there was none to ask. */
      asked?: boolean;
    };

type Refused = Extract<ApplyOutcome, { kind: 'refused' }>;

export async function apply(ctx: OperationContext, options: ApplyOperationOptions = {}): Promise<ApplyOutcome> {
  const { planFile, confirm, signal, ...planning } = options;
  const lock = await takeLock(ctx.store, planFile ? `apply ${planFile}` : 'apply');
  if (!lock.ok) return refused('locked', [lockRefusalDiagnostic(lock.refusal, 'apply', ctx.target)], { lock: lock.refusal });
  try {
    const connected = await ctx.connect();
    if (!connected.ok) return refused('project', connected.diagnostics);
    const run: Run = { ctx, connection: connected.value, facts: await planningFacts(ctx, 'apply', connected.value), signal };
    try {
      return planFile !== undefined ? await applySaved(run, planFile) : await applyFresh(run, planning, confirm);
    } catch (err) {
      if (err instanceof PlanInterrupted) return refused('interrupted', []);
      throw err;
    } finally {
      run.facts.memo?.save();
    }
  } finally {
    await lock.release();
  }
}

interface Run {
  ctx: OperationContext;
  connection: Connection;
  facts: PlanningFacts;
  signal?: AbortSignal;
}

async function applyFresh(run: Run, options: PlanOptions, confirm: ApplyControls['confirm']): Promise<ApplyOutcome> {
  const { ctx, connection, facts } = run;
  const { project } = ctx;
  announce(run);
  const outcome = await computePlan({
    project,
    store: ctx.store,
    client: connection.client,
    now: ctx.clock(),
    options,
    provenance: facts.provenance,
    sandbox: connection.isSandbox,
    commandTarget: ctx.target,
    settle: true,
    notCreatedGraceMs: facts.notCreatedGraceMs,
    memo: facts.memo,
    onStep: planSteps(ctx.events, run.signal),
  });
  for (const row of outcome.settlement?.settled ?? []) ctx.events({ kind: 'settled', row });
  const credentials = credentialsRefused(connection);
  if (credentials) return credentials;
  ctx.events({ kind: 'planned', plan: outcome, project: ctx.project });
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return refused('plan-refused', errors);
  if (outcome.plan.changes.length === 0) {
    if (!outcome.plan.partial) await syncMetadata(ctx.store, outcome.desired, facts.provenance);
    return { kind: 'unchanged' };
  }
  if (!confirm) return refused('no-confirmation', [], { asked: false });
  if (!(await confirm(outcome.plan))) return refused('no-confirmation', [], { asked: true });
  const result = await execute(run, { changes: outcome.plan.changes, payloads: outcome.payloads }, outcome.desired);
  if (result.ok && !outcome.plan.partial) {
    await syncMetadata(ctx.store, outcome.desired, facts.provenance);
    await recordNextPlan(run);
  }
  return { kind: 'applied', result };
}

async function applySaved(run: Run, file: string): Promise<ApplyOutcome> {
  const { ctx, connection, facts } = run;
  const { project, store } = ctx;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return refused('plan-file', [diagnostic('planfile.unreadable', { file, detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message })]);
  }
  const parsed = parsePlanFile(text, file, ctx.target);
  if (!parsed.planFile) return refused('plan-file', parsed.diagnostics);
  const saved = parsed.planFile;

  const moved = checkStale(saved, {
    environment: project.environmentName,
    serial: await store.serial(),
    configHash: configHash(project),
    commit: facts.provenance.git.commit,
  });
  if (moved.length > 0) {
    const stale = diagnostic('planfile.stale', { moved: moved.map((m) => m.message), target: ctx.target }, { file });
    return refused('stale-plan', [stale], { stale: moved });
  }

  // Resources unchanged since the last plan take their hashes from the memo.
  const desired = prepareDesired(project, { memo: facts.memo });
  const settlement = await settleOpenJournal({
    store,
    client: connection.client,
    provenance: facts.provenance,
    now: ctx.clock,
    desired: desired.byAddress,
    notCreatedGraceMs: facts.notCreatedGraceMs,
  });
  for (const row of settlement.settled) ctx.events({ kind: 'settled', row });
  const credentials = credentialsRefused(connection);
  if (credentials) return credentials;
  if (settlement.unsettled.length > 0) return refused('unsettled', [applyMessages.unsettled(settlement.unsettled)]);

  announce(run, { file, createdAt: saved.created_at, summary: saved.plan.summary });
  if (saved.plan.changes.length === 0) return { kind: 'unchanged' };
  const result = await execute(run, { changes: saved.plan.changes, payloads: saved.payloads as Record<string, CampaignCreateBody> }, desired);
  if (result.ok) await recordNextPlan(run);
  return { kind: 'applied', result };
}

/**
 * After an apply that landed whole, the plan a user runs next to see it landed is worked out here,
 * on the state just written and CleverTap asked afresh, with `plan`'s default options (no estimate
 * is asked: only changes are estimated), and recorded when it finds nothing to do
 * (../apply/no-change.ts). That `plan` then asks CleverTap over the record's windows and gives the
 * record's answer when CleverTap answers the same, instead of reading 10,000 rows and running the
 * planner (~0.45 s instead of ~0.75-0.9 s on 10,000 files, for ~0.1 s more here). Only when the
 * context caches (the CLI's); what the check finds is never shown, and never changes the outcome.
 */
async function recordNextPlan(run: Run): Promise<void> {
  const { ctx, connection, facts } = run;
  if (ctx.caching !== true || run.signal?.aborted) return;
  const noChange = NoChangeMemo.read(ctx.project);
  let text: string;
  try {
    noChange.check(ctx.project, await ctx.store.revision());
    const next = await computePlan({
      project: ctx.project,
      store: ctx.store,
      client: connection.client,
      now: ctx.clock(),
      options: { noEstimate: true },
      provenance: { ...facts.provenance, command: 'plan' },
      sandbox: connection.isSandbox,
      commandTarget: ctx.target,
      notCreatedGraceMs: facts.notCreatedGraceMs,
      memo: facts.memo,
      noChange,
    });
    text = noChange.recorded ? 'the plan after this apply finds nothing to do: recorded for the next plan' : `the plan after this apply was not recorded (${next.plan.changes.length} changes, ${next.diagnostics.length} diagnostics)`;
  } catch (err) {
    // The apply itself is done and recorded in state: a check that fails only leaves the next plan to work it out.
    text = `the plan after this apply could not be worked out: ${redactSecrets((err as Error).message)}`;
  }
  ctx.events({ kind: 'debug', text: `no-change record: ${text}` });
}

function announce(run: Run, saved?: { file: string; createdAt: string; summary: Plan['summary'] }): void {
  const { ctx, connection } = run;
  ctx.events({ kind: 'apply-target', environment: ctx.project.environmentName, sandbox: connection.isSandbox, describe: connection.describe, ...(saved ? { saved } : {}) });
}

function execute(run: Run, input: ExecuteInput, desired: DesiredState): Promise<ApplyResult> {
  const { ctx, connection } = run;
  return executePlan(input, {
    store: ctx.store,
    client: connection.client,
    provenance: run.facts.provenance,
    project: ctx.project,
    commandTarget: ctx.target,
    desired,
    // apply raises due bulletin occurrences through the runtime's raiser: handed in, never imported by apply/.
    raiseOccurrence,
    now: ctx.clock,
    hooks: progressEvents(ctx.events),
    signal: run.signal,
    readBackDelayMs: connection.isSandbox ? 0 : READ_BACK_DELAY_MS,
  });
}

/** The executor's hooks as events, with how many changes are done. */
function progressEvents(events: EventSink): ApplyHooks {
  let done = 0;
  return {
    onStart: ({ total }) => events({ kind: 'apply-start', total }),
    onChangeStart: ({ index, total, change }) => events({ kind: 'change-start', index, total, change }),
    onChangeEnd: ({ index, total, change, outcome }) => events({ kind: 'change-done', index, done: ++done, total, change, outcome }),
    onReadBack: (e) => events({ kind: 'read-back', ...e }),
    onFinish: (result) => events({ kind: 'apply-end', result }),
  };
}

function credentialsRefused(connection: Connection): Refused | null {
  const refusal = takeRefusal(connection.auth);
  return refusal ? refused('credentials', [refusal]) : null;
}

function refused(kind: ApplyRefusal, diagnostics: Diagnostic[], extra: Pick<Refused, 'lock' | 'stale' | 'asked'> = {}): Refused {
  return { kind: 'refused', refused: kind, diagnostics, ...extra };
}
