/**
 * Message, ExternalTrigger, Bulletin and Schedule are contracts: applying them only records them in
 * state (nothing is sent to CleverTap), so they are simply created, updated or deleted.
 */
import type { AppliedResource } from '../model/applied.js';
import { makeChange, type PlanContext } from './context.js';
import { diffSpecs } from './diff.js';
import { notes } from './messages.js';
import type { DesiredResource } from './types.js';

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
    if (d.nextFireTimes) change.nextFireTimes = [...d.nextFireTimes];
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
    if (d.nextFireTimes) change.nextFireTimes = [...d.nextFireTimes];
    ctx.changes.push(change);
  } else if (!d && a) {
    if (a.protect) {
      ctx.notes.push({ address: a.address, code: 'protected', message: notes.protectedKept('recorded', a.address, ctx.commandTarget) });
      return;
    }
    ctx.changes.push(makeChange({ address: a.address, kind: a.kind, action: 'delete', reason: 'removed', before: a.spec }));
  }
}
