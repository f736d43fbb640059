/**
 * Bulletin occurrences: a due occurrence never raised is a `send`
 * (irreversible); a future one is listed as scheduled; a raised one is immutable (an edit is a
 * warning); one whose outcome is unknown is never raised again automatically; a raised one removed
 * from the YAML is forgotten.
 */
import type { AppliedResource } from '../model/applied.js';
import { occurrenceAddress } from './addresses.js';
import { canonicalize, compareCodeUnits, hashCanonical } from './canonical.js';
import { diagnose, makeChange, type PlanContext } from './context.js';
import { msUntil, resolveStart } from './instant.js';
import { messages } from './messages.js';
import { bulletinOccurrences, type OccurrenceSpec } from './spec-access.js';
import type { DesiredResource, RaisedOccurrence } from './types.js';

/** The canonical occurrence: what is raised, hashed, and compared for edits. */
export function occurrenceHash(o: OccurrenceSpec): string {
  return hashCanonical(o);
}

export function planOccurrences(
  ctx: PlanContext,
  d: DesiredResource,
  a: AppliedResource | undefined,
  runs: readonly RaisedOccurrence[],
): void {
  const bulletin = d.resource.address;
  const byKey = new Map(runs.map((r) => [r.key, r]));
  const appliedByKey = new Map(bulletinOccurrences(a?.spec).map((o) => [o.key, o]));
  const desired = bulletinOccurrences(d.canonicalSpec ?? d.resource.spec);
  const seen = new Set<string>();

  desired.forEach((occ, index) => {
    if (seen.has(occ.key)) return; // duplicate keys are a validation error elsewhere
    seen.add(occ.key);
    const where = { address: bulletin, source: d.resource.source, path: ['spec', 'occurrences', index] };
    const hash = occurrenceHash(occ);
    const run = byKey.get(occ.key);
    if (run && run.status !== 'failed') {
      const applied = appliedByKey.get(occ.key);
      const raisedHash = run.occurrenceHash ?? (applied ? occurrenceHash(applied) : undefined);
      if (raisedHash !== undefined && raisedHash !== hash) diagnose(ctx, messages.occurrenceImmutable(occ.key)(where, ctx.locate));
      if (run.status === 'unknown' || run.status === 'claimed') {
        diagnose(ctx, messages.occurrenceUnknown(occ.key, occurrenceAddress(bulletin, occ.key), ctx.commandTarget)(where, ctx.locate));
      }
      return;
    }
    const start = resolveStart(occ.at, ctx.timeZone);
    if (start === undefined) {
      diagnose(ctx, messages.occurrenceAtInvalid(occ.key)({ ...where, path: [...where.path, 'at'] }, ctx.locate));
      return;
    }
    if (msUntil(start, ctx.now) <= 0) {
      const change = makeChange({
        address: occurrenceAddress(bulletin, occ.key),
        kind: 'Bulletin',
        action: 'send',
        reason: 'occurrence-due',
        after: occ,
        specHash: hash,
        startsAt: start,
        irreversible: true,
        source: d.resource.source,
      });
      change.occurrenceKey = occ.key;
      ctx.changes.push(change);
    } else {
      ctx.scheduled.push({ address: occurrenceAddress(bulletin, occ.key), key: occ.key, at: start.kind === 'at' ? start.instant : ctx.now.toISOString() });
    }
  });

  const removed = runs.filter((r) => !seen.has(r.key) && r.forgotten !== true).sort((x, y) => compareCodeUnits(x.key, y.key));
  for (const run of removed) {
    const applied = appliedByKey.get(run.key);
    const change = makeChange({
      address: occurrenceAddress(bulletin, run.key),
      kind: 'Bulletin',
      action: 'forget',
      reason: 'occurrence-removed',
      before: applied ? canonicalize(applied) : null,
    });
    change.occurrenceKey = run.key;
    ctx.changes.push(change);
  }
}
