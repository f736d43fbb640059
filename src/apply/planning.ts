/**
 * One plan, end to end, as `plan`, `apply` and `drift` (and later `watch`) compute it: settle the
 * journal, read state, prepare the desired resources, refresh CleverTap's statuses, run the pure
 * planner, render the bodies the changes need, estimate audiences, finalize. I/O happens here; the
 * decisions are the planner's.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import type { Project } from '../config/project.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { finalizePlan, needsEstimate } from '../plan/finalize.js';
import { plan as runPlanner } from '../plan/plan.js';
import type { Plan, PlanInput, PlanMeta, PlanOptions, RaisedOccurrence, RenderedDiff } from '../plan/types.js';
import { renderedDiffs } from '../plan/rendered-diff.js';
import type { CampaignCreateBody } from '../render/campaign.js';
import type { AppliedWithoutSpec, StateStore } from '../state/store.js';
import type { AppliedResource } from '../model/applied.js';
import { configHash } from './config-hash.js';
import { prepareDesired, renderCampaign, type DesiredMemo, type DesiredState } from './desired.js';
import { estimateChanges } from './estimate.js';
import { applyMessages, type HeldLock } from './messages.js';
import type { Provenance } from '../state/record.js';
import type { NoChangeMemo } from './no-change.js';
import type { RefreshKeeper } from './refresh-reuse.js';
import { managedCampaigns, refreshCampaigns, refreshOfAnswers, rowsWithoutSpecs, type EarlyRefresh, type RefreshResult } from './refresh.js';
import { settleOpenJournal, type SettleReport } from './settle.js';
import { now as clockNow } from '../time/clock.js';

export type PlanStep = 'settle' | 'state' | 'desired' | 'refresh' | 'plan' | 'render' | 'estimate';

export interface PlanRequest {
  project: Project;
  store: StateStore;
  client: CleverTapClient;
  now: Date;
  options?: PlanOptions;
  provenance: Provenance;
  /** The project runs against the embedded emulator (shown in every view). */
  sandbox?: boolean;
  /** What commands the plan prints point at; default: the project's environment (a CLI adds its --dir). */
  commandTarget?: CommandTarget;
  /**
   * Settle open journal rows first. Only while holding the apply lock: settling a row an apply in
   * progress still owns would race it. Without it, open rows are reported as a warning.
   */
  settle?: boolean;
  /** Shown in the open-rows warning when another process holds the lock, live or probably stale. */
  lockHolder?: HeldLock | null;
  /** See SettleDeps.notCreatedGraceMs. */
  notCreatedGraceMs?: number;
  onStep?: (step: PlanStep) => void;
  /** Spec hashes of earlier runs (the project index's, ../project-index/load.ts); the caller saves it. */
  memo?: DesiredMemo;
  /** A refresh started before this call (./refresh.ts), used when state has not moved since. */
  early?: EarlyRefresh;
  /** The no-change record (./no-change.ts), written when this plan finds nothing to do (reusePlan there gives it again). */
  noChange?: NoChangeMemo;
  /**
   * The daemon's refresh keeper (./refresh-reuse.ts): a full refresh made here is kept in it, on
   * `revision` (state's, read before any row this plan reads). With `reuseRefresh` (a reconcile
   * only file events asked for) its kept refresh is reused when it may stand.
   */
  refreshKeeper?: RefreshKeeper;
  reuseRefresh?: boolean;
  revision?: string;
}

export interface PlanOutcome {
  plan: Plan;
  /** Errors refuse the plan (exit 1, apply does not run). */
  diagnostics: Diagnostic[];
  meta: PlanMeta & { serial: number; configHash: string };
  /** Rendered Create Campaign bodies (named with the title only) of the create/replace changes. */
  payloads: Record<string, CampaignCreateBody>;
  desired: DesiredState;
  settlement: SettleReport | null;
  refresh: RefreshResult | null;
  /** The statuses of the campaigns this plan did not touch came from the refresh keeper's last full refresh. */
  refreshReused?: boolean;
}

export async function computePlan(req: PlanRequest): Promise<PlanOutcome> {
  const { project, store, client } = req;
  const options = req.options ?? {};
  const step = req.onStep ?? (() => undefined);
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];

  step('state');
  // Read before any row: a refresh kept on it stands only for rows read after it (./refresh-reuse.ts).
  const keeper = req.refreshKeeper;
  const revision = keeper ? (req.revision ?? (await store.revision())) : undefined;
  const serial = await store.serial();
  // The early refresh covers this plan's rows: it read them, or its windows are a no-change
  // record's made on this very state (same revision and zone). Same serial, and no settling (which
  // may move the rows) in between; it is awaited at the refresh step, after the hashing.
  const early = !req.settle && req.early && req.early.serial === serial ? req.early : undefined;
  step('desired');
  const desired = prepareDesired(project, { memo: req.memo });

  let settlement: SettleReport | null = null;
  let openRows = 0;
  if (req.settle) {
    step('settle');
    settlement = await settleOpenJournal({
      store,
      client,
      provenance: req.provenance,
      now: () => clockNow(),
      desired: desired.byAddress,
      notCreatedGraceMs: req.notCreatedGraceMs,
    });
    if (settlement.unsettled.length > 0) diagnostics.push(applyMessages.unsettled(settlement.unsettled));
  } else {
    openRows = (await store.journal.listOpen()).length;
    if (openRows > 0) warnings.push(applyMessages.openRows(openRows, req.lockHolder ?? null));
  }

  // (With settling there is no early refresh: settling may have moved the rows it would cover.)
  const rows = early?.rows ?? (await rowsWithoutSpecs(store));
  const runs = await store.runs.list({ kind: 'occurrence' });
  const raisedOccurrences: RaisedOccurrence[] = runs.map((r) => ({
    address: r.subject,
    key: r.key,
    // Occurrence runs only ever take these four statuses; the others are schedule ticks'.
    status: r.status as RaisedOccurrence['status'],
    occurrenceHash: typeof r.detail?.occurrenceHash === 'string' ? r.detail.occurrenceHash : null,
    forgotten: r.detail?.forgotten === true,
  }));

  step('refresh');
  let refresh: RefreshResult | null = null;
  const zone = project.environment.accountTimezone;
  // Never with settling or open rows: the rows may move under the kept statuses.
  const reusable = keeper && revision !== undefined && req.reuseRefresh && !req.settle && openRows === 0;
  const reuse = reusable ? keeper.reuse({ revision, zone, now: req.now, rows, desired: desired.byAddress }) : undefined;
  // With a kept refresh, CleverTap is asked about the edited campaigns while the planner runs on
  // the kept rows (./refresh-reuse.ts): the answer almost always leaves them as they were, the
  // keeper then handing back that very frozen array, so the planner's input (and, pure, its plan)
  // is the same. Any other answer, or none, is planned again below.
  const kept = reuse ? keeper!.keptRemote() : undefined;
  const asking = reuse ? reuse(client) : undefined;
  asking?.catch(() => undefined);
  const settleRefresh = async () => {
    try {
      refresh = asking
        ? await asking
        : early
          ? refreshOfAnswers(managedCampaigns(rows), early.windows, await early.answers)
          : await refreshCampaigns(client, rows, { accountTimezone: zone });
    } catch (err) {
      if (!(err instanceof CleverTapError)) throw err;
      diagnostics.push(applyMessages.refreshFailed(err.message));
    }
    if (keeper && revision !== undefined && !reuse) {
      if (refresh && !req.settle && openRows === 0) keeper.keep(revision, zone, req.now, refresh, rows);
      else keeper.forget();
    }
  };
  if (kept === undefined) await settleRefresh();

  step('plan');
  const plannerInput = (remote: RefreshResult['remote'] | null) => ({
    desired: desired.desired,
    desiredByAddress: desired.byAddress,
    desiredAddresses: desired.byAddress.sortedAddresses(),
    desiredAlong: (addresses: readonly string[]) => desired.byAddress.along(addresses),
    remote,
    raisedOccurrences,
    now: req.now,
    accountTimezone: project.environment.accountTimezone,
    commandTarget: req.commandTarget ?? { env: project.environmentName },
    options,
    locate: (address: string, p: (string | number)[]) => project.locate(address, p),
  });
  const planOn = (remote: RefreshResult['remote'] | null) => planInTwoPhases(plannerInput(remote), rows, (wanted) => readRows(store, wanted));
  let twoPhases = kept !== undefined ? await planOn(kept) : undefined;
  if (kept !== undefined) await settleRefresh();
  const remote = refresh === null ? null : (refresh as RefreshResult).remote;
  if (twoPhases === undefined || remote !== kept) twoPhases = await planOn(remote);
  const { planned, full } = twoPhases;
  // A replace read its spec, so its full row (with the text as applied) is in `full`.
  const fullRow = full;
  diagnostics.push(...planned.diagnostics);

  step('render');
  const payloads: Record<string, CampaignCreateBody> = {};
  const renderedTexts = new Map<string, RenderedDiff[]>();
  for (const change of planned.plan.changes) {
    if (change.kind !== 'Campaign' || (change.action !== 'create' && change.action !== 'replace')) continue;
    const entry = desired.byAddress.get(change.address);
    if (!entry) continue;
    const rendered = renderCampaign(project, entry.resource, desired.engine, req.now);
    const errors = rendered.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      diagnostics.push(...errors, applyMessages.renderFailed(change.address));
      continue;
    }
    warnings.push(...rendered.diagnostics.filter((d) => d.severity !== 'error'));
    payloads[change.address] = rendered.body;
    if (change.action === 'replace') {
      // The text as applied is in state (recorded at apply); the spec diff shows only hashes for it.
      const applied = fullRow.get(change.address) ?? (await store.resources.get(change.address));
      const texts = renderedDiffs(change.diff, applied?.rendered?.content, rendered.body.content);
      if (texts.length > 0) renderedTexts.set(change.address, texts);
    }
  }

  step('estimate');
  const request = needsEstimate(planned.plan, options);
  const bodies = new Map(Object.entries(payloads));
  // A plan with errors is refused whatever the audiences are: no estimate is asked for it.
  const withheld = diagnostics.some((d) => d.severity === 'error');
  const estimated =
    withheld || request.addresses.length === 0
      ? { estimates: new Map(), failures: new Map<string, string>() }
      : await estimateChanges(client, request, bodies);
  for (const [address, why] of estimated.failures) warnings.push(applyMessages.estimateFailed(address, why));
  const finalized = finalizePlan(planned.plan, estimated.estimates, {
    ...options,
    estimateErrors: estimated.failures,
    overLimit: request.overLimit,
    estimatesWithheld: withheld,
    locate: (a, p) => project.locate(a, p),
  });
  diagnostics.push(...finalized.diagnostics);
  const changes = finalized.plan.changes.map((c) => (renderedTexts.has(c.address) ? { ...c, renderedDiff: renderedTexts.get(c.address)! } : c));
  const plan: Plan = { ...finalized.plan, changes, warnings: [...warnings, ...finalized.plan.warnings] };
  req.noChange?.record({ plan, diagnostics, options, commandTarget: req.commandTarget, now: req.now, rows, refresh, excluded: req.settle === true || openRows > 0 || desired.readsFiles });

  return {
    plan,
    diagnostics,
    meta: {
      environment: project.environmentName,
      serial: req.settle ? await store.serial() : serial,
      // Hashed when first read (then kept per project): hashing every file's path and hash costs
      // ~7 ms on 10,000 files, and the daemon's file-event plans show only the changes.
      get configHash() {
        return configHash(project);
      },
      commit: req.provenance.git.commit,
      sandbox: req.sandbox === true,
    },
    payloads,
    desired,
    settlement,
    refresh,
    ...(reuse ? { refreshReused: true } : {}),
  };
}


/**
 * The planner in two explicit phases. It decides on spec hashes, and reads an applied spec only to
 * show a change (its `before` and diff), except a Bulletin's, whose occurrences it compares. So it
 * runs first on the rows without specs (Bulletins' read in full), then again with the full rows its
 * changes name, only when there are any: reading 10,000 specs out of state is most of the cost of
 * reading it. `read` gives full rows for rows (nothing else is read).
 *
 * The second run plans only the addresses whose rows it read: what the planner decides for one
 * address reads only that address's desired resource, row and CleverTap status (the statuses of
 * all of them feed only the first run's totals, kept), so their changes are the first run's with
 * `before` and the diff filled in. Those replace the first run's changes in place. Should the two
 * runs ever disagree on which changes those addresses have, the whole planner runs again on the
 * full rows, as it always did: a plan of 10,000 resources costs tens of milliseconds per run.
 */
export async function planInTwoPhases(
  input: Omit<PlanInput, 'applied'>,
  rows: readonly AppliedWithoutSpec[],
  read: (rows: readonly AppliedWithoutSpec[]) => Promise<Map<string, AppliedResource>>,
): Promise<{ planned: ReturnType<typeof runPlanner>; full: Map<string, AppliedResource> }> {
  const full = await read(rows.filter((r) => r.kind === 'Bulletin'));
  // The rows as they are (frozen when kept across plans, ./refresh.ts): a row without its spec
  // reads as one whose spec is undefined, and copying 10,000 of them cost more than the planner's pass.
  const applied = () => (full.size === 0 ? (rows as readonly AppliedResource[]) : rows.map((r) => full.get(r.address) ?? (r as AppliedResource)));
  const planned = runPlanner({ ...input, applied: applied() });
  const named = new Set(planned.plan.changes.map((c) => c.address));
  const wanted = rows.filter((r) => named.has(r.address) && !full.has(r.address));
  if (wanted.length === 0) return { planned, full };
  const reread = await read(wanted);
  for (const [address, row] of reread) full.set(address, row);
  const merged = withFullRows(input, planned, reread);
  return { planned: merged ?? runPlanner({ ...input, applied: applied() }), full };
}

/**
 * The first run's plan with the changes of the re-read addresses planned again on their full rows;
 * undefined when the second run does not give those addresses the same changes (actions and order).
 */
function withFullRows(input: Omit<PlanInput, 'applied'>, planned: ReturnType<typeof runPlanner>, reread: ReadonlyMap<string, AppliedResource>): ReturnType<typeof runPlanner> | undefined {
  // No scope: every re-read address named a change, so it was in scope.
  const { scope: _scope, ...options } = input.options ?? {};
  const { desiredByAddress: _all, desiredAddresses: _sorted, desiredAlong: _along, ...rest } = input;
  const again = runPlanner({
    ...rest,
    options,
    desired: input.desired.filter((d) => reread.has(d.resource.address)),
    applied: [...reread.values()],
    raisedOccurrences: (input.raisedOccurrences ?? []).filter((r) => reread.has(r.address)),
  });
  const fresh = again.plan.changes;
  const mine = planned.plan.changes.filter((c) => reread.has(c.address));
  if (fresh.length !== mine.length || fresh.some((c, i) => c.address !== mine[i]!.address || c.action !== mine[i]!.action || c.kind !== mine[i]!.kind)) return undefined;
  let next = 0;
  const changes = planned.plan.changes.map((c) => (reread.has(c.address) ? fresh[next++]! : c));
  return { ...planned, plan: { ...planned.plan, changes } };
}

/** Full rows of these addresses, in one query: a project's 1,000 Bulletins read 1,000 rows, not all 10,000 in full. */
async function readRows(store: StateStore, rows: readonly AppliedWithoutSpec[]): Promise<Map<string, AppliedResource>> {
  if (rows.length === 0) return new Map();
  const found = await store.resources.listOf(rows.map((r) => r.address));
  return new Map(found.map((r) => [r.address, r]));
}
