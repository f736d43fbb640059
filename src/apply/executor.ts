/**
 * Executes a finalized plan's changes in the plan's order: contract changes, then stops and
 * forgets, then creates and replaces, then sends. Within a group up to `concurrency` changes run
 * at once (the client's semaphores keep CleverTap's limits). The first failure stops the run: no
 * new change starts, the ones in flight finish and are recorded, everything that succeeded is
 * kept, the rest is reported as skipped. Progress goes to hooks, never to the console.
 */
import { group } from '../plan/order.js';
import type { PlanChange } from '../plan/types.js';
import { createCampaignChange, forgetCampaignChange, replaceCampaignChange, stopCampaignChange } from './campaign-ops.js';
import { contractChange } from './contract-ops.js';
import { defaultHandlers } from './handlers.js';
import type { ApplyResult, ChangeOutcome, ExecuteDeps, ExecuteInput, HandlerContext } from './types.js';
import { now as clockNow } from '../time/clock.js';

export async function executePlan(input: ExecuteInput, deps: ExecuteDeps): Promise<ApplyResult> {
  const started = performance.now();
  const hooks = deps.hooks ?? {};
  const ctx = {
    store: deps.store,
    client: deps.client,
    provenance: deps.provenance,
    commandTarget: deps.commandTarget ?? { env: deps.project.environmentName },
    project: deps.project,
    desired: deps.desired,
    now: deps.now ?? (() => clockNow()),
    hooks,
    raiseOccurrence: deps.raiseOccurrence,
    createAttempts: deps.createAttempts,
    readBackDelayMs: deps.readBackDelayMs,
  };
  const handlers = { ...defaultHandlers, ...deps.handlers };
  const changes = [...input.changes];
  const total = changes.length;
  const outcomes = new Map<number, ChangeOutcome>();
  const concurrency = Math.max(1, deps.concurrency ?? deps.project.environment.limits.concurrency);
  let halted = false;
  const stopping = () => halted || deps.signal?.aborted === true;

  const run = async (change: PlanChange, index: number): Promise<void> => {
    hooks.onChangeStart?.({ index, total, change });
    const outcome = await executeOne(change, input, ctx, handlers);
    outcomes.set(index, outcome);
    if (outcome.status === 'failed') halted = true;
    hooks.onChangeEnd?.({ index, total, change, outcome });
  };

  hooks.onStart?.({ total });
  const indexed = changes.map((change, index) => ({ change, index }));
  // Groups run in order (../plan/order.ts); a later one starts only when the earlier one finished cleanly.
  for (const current of [0, 1, 2, 3]) {
    const members = indexed.filter((x) => group(x.change) === current);
    let next = 0;
    const worker = async () => {
      while (next < members.length && !stopping()) {
        const m = members[next++]!;
        await run(m.change, m.index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, members.length) }, worker));
    if (stopping()) break;
  }

  const all: ChangeOutcome[] = changes.map(
    (c, i) => outcomes.get(i) ?? { address: c.address, action: c.action, status: 'skipped', message: halted ? 'not attempted: an earlier change failed' : 'not attempted: interrupted' },
  );
  const count = (s: ChangeOutcome['status']) => all.filter((o) => o.status === s).length;
  const result: ApplyResult = {
    outcomes: all,
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
    ok: all.every((o) => o.status === 'applied'),
    interrupted: !halted && deps.signal?.aborted === true && outcomes.size < total,
    durationMs: Math.round(performance.now() - started),
  };
  hooks.onFinish?.(result);
  return result;
}

async function executeOne(
  change: PlanChange,
  input: ExecuteInput,
  ctx: HandlerContext & Pick<ExecuteDeps, 'createAttempts' | 'readBackDelayMs'>,
  handlers: typeof defaultHandlers,
): Promise<ChangeOutcome> {
  if (change.occurrenceKey !== undefined) {
    return change.action === 'send' ? handlers.send(change, ctx) : handlers['occurrence-forget'](change, ctx);
  }
  if (change.kind !== 'Campaign') return contractChange(change, ctx);
  switch (change.action) {
    case 'create':
      return createCampaignChange(change, input.payloads[change.address], ctx);
    case 'replace':
      return replaceCampaignChange(change, input.payloads[change.address], ctx);
    case 'stop':
      if (change.remoteId === null) return forgetCampaignChange(change, ctx);
      return stopCampaignChange(change, change.address, change.remoteId, ctx);
    case 'forget':
      return forgetCampaignChange(change, ctx);
    default:
      return {
        address: change.address,
        action: change.action,
        status: 'failed',
        message: `a ${change.action} of a campaign is not something apply knows how to do`,
        error: { kind: 'unsupported', httpStatus: null, retryable: false, ambiguous: false },
      };
  }
}
