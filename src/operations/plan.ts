/**
 * plan(ctx, options): what apply would change. Settles what an interrupted run left open (only when
 * the apply lock is free, and holding it), refreshes CleverTap's statuses, diffs, estimates, and
 * optionally saves the plan for apply(ctx, { planFile }).
 *
 * A plan on the same configuration, state, options and CleverTap answer as a recorded one that
 * found nothing to do is given again from that record (../apply/no-change.ts), without running the
 * planner: plan() decides that itself, the caller only lets the context cache. A plan with errors
 * is still a plan (shown, never saved); a plan made with refused credentials is none.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { reusePlan } from '../apply/no-change.js';
import { completeProject } from '../project-index/load.js';
import type { Project } from '../config/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createPlanFile, serializePlanFile } from '../plan/plan-file.js';
import type { PlanOptions } from '../plan/types.js';
import type { RefreshKeeper } from '../apply/refresh-reuse.js';
import { takeRefusal } from './auth-watch.js';
import type { OperationContext } from './context.js';
import { lockRefusalJson, takeLock } from './lock.js';
import { PlanInterrupted, planningFacts, planSteps, takeHeadStart, type ShownPlan } from './plan-inputs.js';

export type { ShownPlan } from './plan-inputs.js';

export interface PlanOperationOptions extends PlanOptions {
  /** Save the plan to this file (mode 0600) unless it is refused; apply(ctx, { planFile }) applies exactly it. */
  out?: string;
  /** Stops planning at its next step; the result is then the refusal `interrupted`. */
  signal?: AbortSignal;
  /**
   * The daemon's refresh keeper (../apply/refresh-reuse.ts): keeps this plan's full refresh, and
   * with `reuseRefresh` (a reconcile only file events asked for) reuses the kept one when it may stand.
   */
  refreshKeeper?: RefreshKeeper;
  reuseRefresh?: boolean;
}

/**
 * Why there is no plan: `project` (CleverTap can not be opened: credentials unset, sandbox data
 * unusable), `credentials` (CleverTap refused them), `interrupted` (the signal).
 */
export type PlanRefusal = 'project' | 'credentials' | 'interrupted';

export type PlanResult =
  | {
      kind: 'planned';
      /** Errors among outcome.diagnostics refuse the plan: nothing may be applied. */
      outcome: ShownPlan;
      /** With `out`: whether the plan was written. */
      saved?: PlanFileSave;
    }
  | { kind: 'refused'; refused: PlanRefusal; diagnostics: Diagnostic[] };

export type PlanFileSave =
  | { file: string; written: true }
  /** `refused`: the plan has errors (never saved); `failed`: it could not be serialized or written. */
  | { file: string; written: false; reason: 'refused' | 'failed'; diagnostics: Diagnostic[] };

export async function plan(ctx: OperationContext, options: PlanOperationOptions = {}): Promise<PlanResult> {
  const { out, signal, refreshKeeper, reuseRefresh, ...planning } = options;
  const connected = await ctx.connect();
  if (!connected.ok) return { kind: 'refused', refused: 'project', diagnostics: connected.diagnostics };
  const connection = connected.value;
  const { project, store } = ctx;
  // A refresh the keeper may give needs no early one (CleverTap is asked only about what the edit touched).
  const mayReuse = reuseRefresh === true && refreshKeeper !== undefined && refreshKeeper.mayReuse(await store.revision(), project.environment.accountTimezone, ctx.clock());
  const head = await takeHeadStart(ctx, connection.client, 'plan', !mayReuse);
  const { noChange, early } = head;
  if (noChange) {
    noChange.check(project, head.revision);
    ctx.events({ kind: 'debug', text: `no-change record: ${noChange.candidate ? 'made on this configuration and state' : 'none for this configuration and state'}` });
  }
  const facts = await planningFacts(ctx, 'plan', connection);
  try {
    // plan reads without the lock. Only when an interrupted run left journal rows open does it
    // take the lock, to settle them: settling must never race an apply that still owns them.
    const now = ctx.clock();
    const hasOpenRows = (await store.journal.listOpen()).length > 0;
    const lock = hasOpenRows ? await takeLock(store, 'plan (settling the journal)') : null;
    let outcome;
    try {
      const request = {
        project,
        store,
        client: connection.client,
        now,
        options: planning,
        provenance: facts.provenance,
        sandbox: connection.isSandbox,
        commandTarget: ctx.target,
        settle: lock?.ok === true,
        lockHolder: lock && !lock.ok ? lockRefusalJson(lock.refusal, ctx.target) : null,
        notCreatedGraceMs: facts.notCreatedGraceMs,
        memo: facts.memo,
        early,
        noChange,
        onStep: planSteps(ctx.events, signal),
        refreshKeeper,
        reuseRefresh: mayReuse,
        revision: head.revision,
      };
      // The no-change record first; the planning code (about fifty modules: the planner, the
      // template engine, the renderers) is loaded only when the record does not answer.
      // The planner lists the project: what its load left unread (LoadOptions.deferResults) is read first.
      const computePlan = async (req: typeof request) => {
        completeProject(req.project);
        return (await import('../apply/planning.js')).computePlan(req);
      };
      outcome = (await reusePlan(request)) ?? (await computePlan(request));
      // A stop is never shown on reused statuses: planned again on a full refresh (kept in turn).
      if ('refreshReused' in outcome && outcome.refreshReused && outcome.plan.changes.some((c) => c.action === 'stop')) {
        ctx.events({ kind: 'debug', text: 'refresh: the plan on reused statuses holds a stop; planned again on a full refresh' });
        outcome = await computePlan({ ...request, early: undefined, reuseRefresh: false, revision: await store.revision() });
      }
    } catch (err) {
      if (err instanceof PlanInterrupted) return { kind: 'refused', refused: 'interrupted', diagnostics: [] };
      throw err;
    } finally {
      if (lock?.ok) await lock.release();
    }
    for (const row of outcome.settlement?.settled ?? []) ctx.events({ kind: 'settled', row });
    // A plan made with refused credentials is no plan: the refusal is the whole answer.
    const refusal = takeRefusal(connection.auth);
    if (refusal) return { kind: 'refused', refused: 'credentials', diagnostics: [refusal] };
    return out === undefined ? { kind: 'planned', outcome } : { kind: 'planned', outcome, saved: savePlan(project, outcome, out, now) };
  } finally {
    facts.memo?.save();
  }
}

function savePlan(project: Project, outcome: ShownPlan, file: string, now: Date): PlanFileSave {
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { file, written: false, reason: 'refused', diagnostics: errors };
  const problems = savePlanFile(project, outcome, file, now);
  return problems.length > 0 ? { file, written: false, reason: 'failed', diagnostics: problems } : { file, written: true };
}

/** The secret values of the environment (never written to a plan file). */
function environmentSecrets(project: Project, environ: Record<string, string | undefined> = process.env): string[] {
  if (project.environment.provider !== 'clevertap') return [];
  const passcode = environ[project.environment.credentials.passcodeEnv]?.trim();
  return passcode ? [passcode] : [];
}

/** Writes a plan file; returns the problems that kept it from being saved. */
function savePlanFile(project: Project, outcome: ShownPlan, file: string, now: Date): Diagnostic[] {
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
    return [diagnostic('planfile.write-failed', { file, detail: (err as Error).message })];
  }
  return [];
}
