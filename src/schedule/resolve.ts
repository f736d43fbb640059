/**
 * `state resolve schedule.NAME#FIRE_TIME --raised|--not-raised`: settles a schedule tick by hand,
 * usually one left `unknown` (or `claimed` by a pass that died), after checking CleverTap. Either
 * way the runner never fires that tick again (its moment has passed); the ledger then says what
 * happened: `done` (it was sent) or `failed` (it was not).
 */
import { audit } from '../state/record.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Provenance } from '../runtime/context.js';
import type { RunRecord, StateStore } from '../state/store.js';
import { utcText } from '../time/local-time.js';

export type TickResolveResult = { status: 'resolved'; before: RunRecord; run: RunRecord } | { status: 'invalid'; diagnostics: Diagnostic[] };

export async function resolveScheduleTick(
  store: StateStore,
  provenance: Provenance,
  input: { schedule: string; fireTime: string; outcome: 'raised' | 'not-raised' },
): Promise<TickResolveResult> {
  const parsed = new Date(input.fireTime);
  const key = Number.isNaN(parsed.getTime()) ? input.fireTime : utcText(parsed);
  const runKey = { kind: 'schedule' as const, subject: input.schedule, key };
  const before = await store.runs.get(runKey);
  if (!before) {
    const detail = `${input.schedule} has no run for the tick ${input.fireTime}`;
    return { status: 'invalid', diagnostics: [diagnostic('input.invalid', { option: `${input.schedule}#${input.fireTime}`, detail, hint: 'run-due --json prints each tick as address and fire_time (UTC, e.g. 2026-06-01T07:00:00Z)' })] };
  }
  const run = await store.transaction(async (tx) => {
    const settled = await tx.runs.resolve(runKey, input.outcome, { by: provenance.command });
    await tx.audit.append(audit(provenance, `${input.schedule}#${key}`, 'resolve', { resolved: input.outcome, from: before.status, to: settled?.status ?? null }));
    return settled!;
  });
  return { status: 'resolved', before, run };
}
