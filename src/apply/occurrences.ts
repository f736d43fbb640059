/**
 * The built-in handlers of bulletin occurrence changes. `send`: claim the run (one row per
 * occurrence, so it fires once across processes and replicas), raise the business event, mark the
 * run done; an ambiguous answer marks it `unknown` and it is never raised again automatically
 * (`state resolve` settles it by hand). The raise itself is src/runtime/occurrence.ts.
 */
import type { BulletinResource } from '../model/specs.js';
import { baseAddress } from '../plan/addresses.js';
import type { PlanChange } from '../plan/types.js';
import { renderContext } from './desired.js';
import { audit } from '../state/record.js';
import type { ChangeHandler, ChangeOutcome } from './types.js';

function result(change: PlanChange, status: ChangeOutcome['status'], message: string, error?: ChangeOutcome['error']): ChangeOutcome {
  return { address: change.address, action: change.action, status, message, ...(error ? { error } : {}) };
}

export const raiseOccurrence: ChangeHandler = async (change, ctx) => {
  const bulletin = baseAddress(change.address);
  const key = change.occurrenceKey;
  const resource = ctx.desired.byAddress.get(bulletin)?.resource as unknown as BulletinResource | undefined;
  if (!resource || key === undefined || !resource.spec.occurrences?.some((o) => o.key === key)) {
    return result(change, 'failed', `${change.address} is not in the project any more; plan again`, { kind: 'state', httpStatus: null, retryable: false, ambiguous: false });
  }
  // The claim-call-mark logic lives once, in src/runtime/occurrence.ts (the daemon's cron runner uses it too).
  const runtime = {
    client: ctx.client,
    store: ctx.store,
    render: renderContext(ctx.project, ctx.desired.engine, ctx.now()),
    provenance: ctx.provenance,
    commandTarget: ctx.commandTarget,
  };
  const r = await ctx.raiseOccurrence(runtime, { bulletin: resource, key, occurrenceHash: change.specHash ?? undefined });
  switch (r.status) {
    case 'invalid':
      return result(change, 'failed', r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '), { kind: 'render', httpStatus: null, retryable: false, ambiguous: false });
    case 'already-claimed':
      return result(change, 'skipped', `already ${r.run.status} (claimed elsewhere); not raised again`);
    case 'raised':
      return result(change, 'applied', `raised ${r.prepared.body.business_event}`);
    case 'failed':
    case 'unknown': {
      const f = r.report.failure;
      const ambiguous = r.status === 'unknown';
      const why = ambiguous
        ? `${f?.error ?? 'no answer'}; it may have been raised, so it is recorded as unknown and never raised again automatically (settle it with state resolve)`
        : (f?.error ?? 'refused');
      const kind = f && f.kind !== 'not-attempted' ? f.kind : 'network';
      return result(change, 'failed', why, { kind, httpStatus: f?.httpStatus ?? null, retryable: !ambiguous && kind === 'rate-limited', ambiguous });
    }
  }
};

/**
 * A raised occurrence removed from the YAML: nothing to undo on CleverTap. The run row is kept
 * (it is the proof it was raised, so the same key is never raised again) and marked `forgotten`
 * so plans stop listing it; the audit records that the YAML dropped it.
 */
export const forgetOccurrence: ChangeHandler = async (change, ctx) => {
  const key = change.occurrenceKey;
  const runKey = key === undefined ? undefined : { kind: 'occurrence' as const, subject: baseAddress(change.address), key };
  const run = runKey ? await ctx.store.runs.get(runKey) : null;
  if (runKey && run) await ctx.store.runs.mark(runKey, run.status, { ...(run.detail ?? {}), forgotten: true });
  await ctx.store.audit.append(audit(ctx.provenance, change.address, 'forget', { reason: change.reason }));
  return result(change, 'applied', 'occurrence dropped from the YAML; its run record is kept');
};
