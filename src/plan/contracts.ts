/**
 * Message, ExternalTrigger, Bulletin and Schedule are contracts: applying them only records them in
 * state (nothing is sent to CleverTap), so they are simply created, updated or deleted.
 */
import type { AppliedResource } from '../model/applied.js';
import { makeChange, type PlanContext } from './context.js';
import { diffSpecs } from './diff.js';
import { notes } from './messages.js';
import { plannedFireTimes } from './schedule-fires.js';
import type { DesiredResource, PlanChange } from './types.js';

export function planContract(ctx: PlanContext, d: DesiredResource | undefined, a: AppliedResource | undefined): void {
  if (d && !a) {
    const change = makeChange({
      address: d.resource.address,
      kind: d.resource.kind,
      action: 'create',
      reason: 'new',
      after: d.canonicalSpec,
      specHash: d.specHash,
      source: d.resource.source,
    });
    addFireTimes(ctx, change, null);
    ctx.changes.push(change);
  } else if (d && a && a.specHash !== d.specHash) {
    const change = makeChange({
      address: d.resource.address,
      kind: d.resource.kind,
      action: 'update',
      reason: 'spec-changed',
      before: a.spec,
      after: d.canonicalSpec,
      specHash: d.specHash,
      source: d.resource.source,
    });
    change.diff = diffSpecs(a.spec, d.canonicalSpec);
    addFireTimes(ctx, change, a.spec);
    ctx.changes.push(change);
  } else if (!d && a) {
    if (a.protect) {
      ctx.notes.push({ address: a.address, code: 'protected', message: notes.protectedKept('recorded', a.address, ctx.commandTarget) });
      return;
    }
    ctx.changes.push(makeChange({ address: a.address, kind: a.kind, action: 'delete', reason: 'removed', before: a.spec }));
  }
}

/** A Schedule's next fires after the change and, for an update, as they were before it. */
function addFireTimes(ctx: PlanContext, change: PlanChange, before: unknown): void {
  if (change.kind !== 'Schedule') return;
  const after = plannedFireTimes(change.after, ctx.now);
  if (after) change.nextFireTimes = after;
  const previous = before === null ? undefined : plannedFireTimes(before, ctx.now);
  if (previous) change.nextFireTimesBefore = previous;
}
