/**
 * One runner pass at the context's clock: every applied Schedule's ticks since its cursor fired
 * (or recorded missed/skipped) and the bulletin occurrences that came due raised, by the runner in
 * ../schedule/run-due.ts. This adapts an OperationContext to the runner's own context: CleverTap,
 * the operator's provenance (command `run-due`) and the runner's progress as events. No lock: two
 * passes at once still fire each tick once (the claim in `runs`).
 */
import type { RuntimeHooks } from '../runtime/context.js';
import { runDue as runPass, type RunDueResult } from '../schedule/run-due.js';
import type { OperationContext } from './context.js';
import { problems, type Problems } from './under-lock.js';

export interface RunDueOptions {
  /** Decide only: nothing is claimed, recorded, moved or sent. */
  dryRun?: boolean;
  /** Aborted: no new batch starts; the batches in flight finish and are reported. */
  signal?: AbortSignal;
  hooks?: RuntimeHooks;
}

export type { RunDueResult };

export async function runDue(ctx: OperationContext, options: RunDueOptions = {}): Promise<RunDueResult | Problems> {
  const connected = await ctx.connect();
  if (!connected.ok) return problems(connected.diagnostics);
  const { provenance } = await ctx.operator('run-due');
  return runPass(
    {
      store: ctx.store,
      client: connected.value.client,
      project: ctx.project,
      now: ctx.clock(),
      provenance,
      commandTarget: ctx.target,
      parallel: ctx.project.environment.limits.concurrency,
      hooks: options.hooks,
      signal: options.signal,
      onEvent: (e) => ctx.events(e.type === 'fired' ? { kind: 'run-due.fired', entry: e.entry } : { kind: 'run-due.skipped', entry: e.entry }),
    },
    { dryRun: options.dryRun === true },
  );
}
