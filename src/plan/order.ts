/**
 * The order changes are shown and applied in: contract changes, then stops (and forgets), then
 * creates/replaces, then sends; by address within each group, so the same inputs in any order
 * give the same plan.
 */
import { compareCodeUnits } from './canonical.js';
import type { PlanAction, PlanChange } from './types.js';

/**
 * A change's group: 0 contract changes, 1 stops and forgets, 2 creates and replaces, 3 sends.
 * The executor runs the groups in this order too, each only after the earlier one finished cleanly.
 */
export function group(c: PlanChange): number {
  if (c.action === 'send') return 3;
  if (c.kind !== 'Campaign' && c.occurrenceKey === undefined) return 0;
  if (c.action === 'stop' || c.action === 'forget') return 1;
  return 2;
}

const ACTION_RANK: Record<PlanAction, number> = { delete: 0, stop: 1, forget: 2, update: 3, create: 4, replace: 5, send: 6 };

export function compareChanges(a: PlanChange, b: PlanChange): number {
  return group(a) - group(b) || compareCodeUnits(a.address, b.address) || ACTION_RANK[a.action] - ACTION_RANK[b.action];
}

export function orderChanges(changes: PlanChange[]): PlanChange[] {
  return [...changes].sort(compareChanges);
}
