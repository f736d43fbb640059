/**
 * Contract changes (Message, ExternalTrigger, Bulletin, Schedule): nothing is sent to CleverTap at
 * apply time (those objects live on the dashboard or are used at run time), so each is one state
 * transaction: the resource row and its audit entry.
 */
import type { PlanChange } from '../plan/types.js';
import { appliedContract, audit } from '../state/record.js';
import type { ChangeOutcome, HandlerContext } from './types.js';

export async function contractChange(change: PlanChange, ctx: HandlerContext): Promise<ChangeOutcome> {
  const base = { address: change.address, action: change.action };
  if (change.action === 'delete') {
    await ctx.store.transaction(async (tx) => {
      await tx.resources.delete(change.address);
      await tx.audit.append(audit(ctx.provenance, change.address, 'delete', { kind: change.kind }));
    });
    return { ...base, status: 'applied', message: 'contract removed from state' };
  }
  const entry = ctx.desired.byAddress.get(change.address);
  if (!entry || !change.specHash) {
    return {
      ...base,
      status: 'failed',
      message: `${change.address} is not in the project any more; plan again`,
      error: { kind: 'state', httpStatus: null, retryable: false, ambiguous: false },
    };
  }
  const row = appliedContract(ctx.provenance, entry.resource, change.specHash, change.after, ctx.now().toISOString());
  const startsFiring = change.kind === 'Schedule' && startsFiringFromNow(change);
  await ctx.store.transaction(async (tx) => {
    await tx.resources.put(row);
    // A new or re-enabled schedule never fires for the past: its runner cursor starts now.
    if (startsFiring) await tx.cursors.advance(change.address, row.appliedAt, { reset: true });
    await tx.audit.append(audit(ctx.provenance, change.address, change.action, { kind: change.kind, reason: change.reason }));
  });
  return { ...base, status: 'applied', message: change.action === 'create' ? 'contract recorded' : 'contract updated' };
}

/** A Schedule created (enabled or not), or updated from `enabled: false` to enabled. */
function startsFiringFromNow(change: PlanChange): boolean {
  const enabled = (spec: unknown) => (spec as { enabled?: unknown } | null)?.enabled !== false;
  if (change.action === 'create' || change.before === null) return true;
  return enabled(change.after) && !enabled(change.before);
}
