/**
 * Raising a Bulletin occurrence exactly once. The `runs` table claims
 * (bulletin, key) BEFORE the call, in its own committed write; only the claimer calls CleverTap:
 * - success -> `done`;
 * - an ambiguous outcome (timeout after sending, dropped connection, 5xx) -> `unknown`: never
 *   raised again automatically, `state resolve ADDRESS#KEY --raised|--not-raised` settles it;
 * - a definite failure -> `failed`: the next apply claims it again;
 * - a crash between the claim and the end of the call leaves `claimed`, which is treated like
 *   `unknown` (the planner warns, nothing raises it).
 * This is the only place that raises occurrences: apply's executor and the daemon's cron runner
 * both call raiseOccurrence.
 */
import { audit } from '../state/record.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { BulletinResource } from '../model/specs.js';
import { hashCanonical } from '../plan/canonical.js';
import { bulletinOccurrences } from '../plan/spec-access.js';
import { closest } from '../diagnostics/suggest.js';
import type { JsonObject, RunKey, RunRecord, RunStatus, StateStore } from '../state/store.js';
import { recordRuntime, type RuntimeOutcome } from './audit.js';
import type { Provenance, RuntimeContext } from './context.js';
import { callRaise, prepareOccurrence, raiseDetail, type PreparedRaise, type RaiseReport } from './raise.js';

export type OccurrenceResult =
  /** Not raised: the occurrence is missing or does not render; nothing was claimed. */
  | { status: 'invalid'; prepared: PreparedRaise; diagnostics: Diagnostic[] }
  /** Not raised now: an earlier claim exists (`done`, `unknown`, or `claimed` by a run that died). */
  | { status: 'already-claimed'; prepared: PreparedRaise; run: RunRecord }
  /** Raised (`done`), refused (`failed`, claimable again) or possibly raised (`unknown`). */
  | { status: 'raised' | 'failed' | 'unknown'; prepared: PreparedRaise; run: RunRecord; report: RaiseReport };

export interface OccurrenceInput {
  bulletin: BulletinResource;
  key: string;
  /**
   * The hash the planner gave this occurrence (its `send` change's specHash); recorded with the run
   * so a later edit of a raised occurrence is recognised. Default: computed the planner's way.
   */
  occurrenceHash?: string;
}

export function occurrenceRunKey(bulletinAddress: string, key: string): RunKey {
  return { kind: 'occurrence', subject: bulletinAddress, key };
}

const RUN_STATUS: Record<RuntimeOutcome, RunStatus> = { succeeded: 'done', failed: 'failed', unknown: 'unknown' };
const RESULT_STATUS = { succeeded: 'raised', failed: 'failed', unknown: 'unknown' } as const;

export async function raiseOccurrence(ctx: RuntimeContext, input: OccurrenceInput): Promise<OccurrenceResult> {
  const prepared = prepareOccurrence(ctx.render, input.bulletin, input.key);
  if (hasErrors(prepared.diagnostics)) return { status: 'invalid', prepared, diagnostics: prepared.diagnostics };

  const runKey = occurrenceRunKey(input.bulletin.address, input.key);
  const detail: JsonObject = { occurrenceHash: input.occurrenceHash ?? plannerHash(input.bulletin, input.key), name: prepared.body.name };
  const claim = await ctx.store.runs.claim(runKey, detail);
  if (!claim.claimed) return { status: 'already-claimed', prepared, run: claim.run };
  await ctx.hooks?.onClaimed?.(claim.run);

  const call = await callRaise(ctx, prepared);
  const report: RaiseReport = { address: prepared.address, endpoint: prepared.endpoint, outcome: call.outcome, diagnostics: [] };
  if (call.failure) report.failure = call.failure;
  const runDetail: JsonObject = { ...detail, outcome: call.outcome };
  if (call.failure) runDetail.error = call.failure.error;

  let run: RunRecord = claim.run;
  try {
    run = await ctx.store.runs.mark(runKey, RUN_STATUS[call.outcome], runDetail);
  } catch (err) {
    // The run stays `claimed`, which nothing raises again: safe, but say so.
    const what = `the raise of ${prepared.address} (${call.outcome})`;
    const d = diagnostic('runtime.not-recorded', { what, detail: (err as Error).message, resolve: { occurrence: prepared.address, target: ctx.commandTarget } });
    report.diagnostics.push({ ...d, address: prepared.address });
  }
  const recorded = await recordRuntime(ctx.store, ctx.provenance, {
    address: prepared.address,
    action: 'raise',
    outcome: call.outcome,
    detail: { ...raiseDetail(prepared, call.failure), occurrence: input.key },
  });
  report.diagnostics.push(...recorded.diagnostics);
  return { status: RESULT_STATUS[call.outcome], prepared, run, report };
}

/** The planner's occurrence hash (src/plan/occurrences.ts): hashCanonical of the occurrence as read from the spec. */
function plannerHash(bulletin: BulletinResource, key: string): string | null {
  const occ = bulletinOccurrences(bulletin.spec).find((o) => o.key === key);
  return occ ? hashCanonical(occ) : null;
}

export type ResolveOutcome = 'raised' | 'not-raised';

export type ResolveResult =
  /** The run now says `done` (raised) or `failed` (not raised: the next apply raises it). */
  | { status: 'resolved'; before: RunRecord | null; run: RunRecord }
  /** `--not-raised` on an occurrence never claimed: there is nothing to undo. */
  | { status: 'nothing-to-undo' }
  | { status: 'invalid'; diagnostics: Diagnostic[] };

/**
 * `state resolve bulletin.x#key --raised|--not-raised`: the user settles an occurrence by hand,
 * usually an `unknown` one after checking the dashboard. A run that was never claimed must name an
 * occurrence of the bulletin in the YAML (a typo must not create a `done` row for nothing).
 */
export async function resolveOccurrence(
  store: StateStore,
  provenance: Provenance,
  input: { bulletin: string; key: string; outcome: ResolveOutcome; known?: BulletinResource },
): Promise<ResolveResult> {
  const runKey = occurrenceRunKey(input.bulletin, input.key);
  const before = await store.runs.get(runKey);
  if (!before) {
    const keys = (input.known?.spec.occurrences ?? []).map((o) => o.key);
    if (!keys.includes(input.key)) {
      const d = diagnostic('runtime.occurrence-unknown-key', { address: input.bulletin, key: input.key, known: keys, suggestion: closest(input.key, keys) });
      return { status: 'invalid', diagnostics: [{ ...d, address: input.bulletin }] };
    }
    if (input.outcome === 'not-raised') return { status: 'nothing-to-undo' };
  }
  const run = await store.transaction(async (tx) => {
    const settled = await tx.runs.resolve(runKey, input.outcome, { by: provenance.command });
    const detail = { resolved: input.outcome, from: before?.status ?? null, to: settled?.status ?? null };
    await tx.audit.append(audit(provenance, `${input.bulletin}#${input.key}`, 'resolve', detail));
    return settled;
  });
  if (!run) return { status: 'nothing-to-undo' };
  return { status: 'resolved', before, run };
}
