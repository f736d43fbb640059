/**
 * Contract changes (Message, ExternalTrigger, Bulletin, Schedule): nothing is sent to CleverTap at
 * apply time (those objects live on the dashboard or are used at run time), so each is one state
 * transaction: the resource row and its audit entry.
 */
import type { PlanChange } from '../plan/types.js';
import { appliedContract, audit } from './record.js';
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
  await ctx.store.transaction(async (tx) => {
    await tx.resources.put(row);
    await tx.audit.append(audit(ctx.provenance, change.address, change.action, { kind: change.kind, reason: change.reason }));
  });
  return { ...base, status: 'applied', message: change.action === 'create' ? 'contract recorded' : 'contract updated' };
}
