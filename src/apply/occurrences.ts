/**
 * The built-in handlers of bulletin occurrence changes. `send`: claim the run (one row per
 * occurrence, so it fires once across processes and replicas), raise the business event, mark the
 * run done; an ambiguous answer marks it `unknown` and it is never raised again automatically
 * (`state resolve` settles it by hand). The runtime-sends issue may replace these in handlers.ts.
 */
import { CleverTapError } from '../clevertap/errors.js';
import type { BulletinOccurrence, BulletinResource } from '../model/specs.js';
import { baseAddress } from '../plan/addresses.js';
import type { PlanChange } from '../plan/types.js';
import { renderRaiseBody } from '../render/bulletin.js';
import type { RunKey } from '../state/store.js';
import { renderContext } from './desired.js';
import { audit } from './record.js';
import type { ChangeHandler, ChangeOutcome } from './types.js';

function result(change: PlanChange, status: ChangeOutcome['status'], message: string, error?: ChangeOutcome['error']): ChangeOutcome {
  return { address: change.address, action: change.action, status, message, ...(error ? { error } : {}) };
}

export const raiseOccurrence: ChangeHandler = async (change, ctx) => {
  const bulletin = baseAddress(change.address);
  const key = change.occurrenceKey;
  const resource = ctx.desired.byAddress.get(bulletin)?.resource as unknown as BulletinResource | undefined;
  const occurrence: BulletinOccurrence | undefined = resource?.spec.occurrences?.find((o) => o.key === key);
  if (!resource || !occurrence || key === undefined) {
    return result(change, 'failed', `${change.address} is not in the project any more; plan again`, { kind: 'state', httpStatus: null, retryable: false, ambiguous: false });
  }
  const rendered = renderRaiseBody(resource, renderContext(ctx.project, ctx.desired.engine, ctx.now()), occurrence);
  const errors = rendered.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    return result(change, 'failed', errors.map((d) => d.message).join('; '), { kind: 'render', httpStatus: null, retryable: false, ambiguous: false });
  }
  const run: RunKey = { kind: 'occurrence', subject: bulletin, key };
  const detail = { occurrenceHash: change.specHash };
  const claim = await ctx.store.runs.claim(run, detail);
  if (!claim.claimed) return result(change, 'skipped', `already ${claim.run.status} (claimed elsewhere); not raised again`);
  try {
    await ctx.client.raiseBusinessEvent({ ...rendered.body });
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    const status = err.ambiguous ? 'unknown' : 'failed';
    await ctx.store.transaction(async (tx) => {
      await tx.runs.mark(run, status, { ...detail, error: err.message });
      await tx.audit.append(audit(ctx.provenance, change.address, 'raise', { error: err.message }, err.ambiguous ? 'unknown' : 'failed'));
    });
    const why = err.ambiguous
      ? `${err.message}; it may have been raised, so it is recorded as unknown and never raised again automatically (settle it with state resolve)`
      : err.message;
    return result(change, 'failed', why, { kind: err.kind, httpStatus: err.httpStatus, retryable: err.retryable, ambiguous: err.ambiguous });
  }
  await ctx.store.transaction(async (tx) => {
    await tx.runs.mark(run, 'done', detail);
    await tx.audit.append(audit(ctx.provenance, change.address, 'raise', { business_event: rendered.body.business_event }));
  });
  return result(change, 'applied', `raised ${rendered.body.business_event}`);
};

/**
 * A raised occurrence removed from the YAML: nothing to undo on CleverTap. The run row is kept
 * (it is the proof it was raised); only the audit records that the YAML dropped it.
 */
export const forgetOccurrence: ChangeHandler = async (change, ctx) => {
  await ctx.store.audit.append(audit(ctx.provenance, change.address, 'forget', { reason: change.reason }));
  return result(change, 'applied', 'occurrence dropped from the YAML; its run record is kept');
};
