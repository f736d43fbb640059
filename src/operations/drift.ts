/**
 * drift(ctx): read-only. Refreshes CleverTap's statuses of the managed campaigns and reports those
 * stopped, completed or missing in a way state does not explain. Never settles the journal, never
 * takes the lock, never writes state.
 */
import { computePlan } from '../apply/planning.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DriftEntry } from '../plan/types.js';
import { takeRefusal } from './auth-watch.js';
import type { OperationContext } from './context.js';
import { PlanInterrupted, planningFacts, planSteps, takeHeadStart } from './plan-inputs.js';

export interface DriftOperationOptions {
  /** Stops at the next planning step; the result is then the refusal `interrupted`. */
  signal?: AbortSignal;
}

/**
 * Why there is no answer: `project` (CleverTap can not be opened), `credentials` (CleverTap
 * refused them), `refresh-failed` (CleverTap's list could not be read), `interrupted`.
 */
export type DriftRefusal = 'project' | 'credentials' | 'refresh-failed' | 'interrupted';

export type DriftResult =
  | {
      kind: 'drift';
      /** Empty: every managed campaign is as campaignctl left it. */
      drift: DriftEntry[];
      environment: string;
      sandbox: boolean;
      /** Warnings about journal rows an interrupted run left open (drift does not settle them). */
      openRows: Diagnostic[];
    }
  | { kind: 'refused'; refused: DriftRefusal; diagnostics: Diagnostic[] };

export async function drift(ctx: OperationContext, options: DriftOperationOptions = {}): Promise<DriftResult> {
  const connected = await ctx.connect();
  if (!connected.ok) return { kind: 'refused', refused: 'project', diagnostics: connected.diagnostics };
  const connection = connected.value;
  const head = await takeHeadStart(ctx, connection.client, 'drift');
  const facts = await planningFacts(ctx, 'drift', connection);
  try {
    let outcome;
    try {
      outcome = await computePlan({
        project: ctx.project,
        store: ctx.store,
        client: connection.client,
        now: ctx.clock(),
        options: { noEstimate: true },
        provenance: facts.provenance,
        sandbox: connection.isSandbox,
        memo: facts.memo,
        early: head.early,
        settle: false,
        onStep: planSteps(ctx.events, options.signal),
      });
    } catch (err) {
      if (err instanceof PlanInterrupted) return { kind: 'refused', refused: 'interrupted', diagnostics: [] };
      throw err;
    }
    const refusal = takeRefusal(connection.auth);
    if (refusal) return { kind: 'refused', refused: 'credentials', diagnostics: [refusal] };
    const refreshFailed = outcome.diagnostics.filter((d) => d.code === 'apply.refresh-failed');
    if (refreshFailed.length > 0) return { kind: 'refused', refused: 'refresh-failed', diagnostics: refreshFailed };
    return {
      kind: 'drift',
      drift: outcome.plan.drift,
      environment: ctx.project.environmentName,
      sandbox: connection.isSandbox,
      openRows: outcome.plan.warnings.filter((w) => w.code === 'apply.journal-open'),
    };
  } finally {
    facts.memo?.save();
  }
}
