/**
 * The second, still pure, step of planning: the caller runs the estimates needsEstimate() asks for
 * (estimate_only calls, bounded concurrency) and hands the results to finalizePlan(), which fills
 * them in, each change with its own reason when it has none, and applies the guards:
 * guard.maxAudience and the mass-stop refusal. Guards fail closed: a guarded change whose audience
 * could not be checked is refused like one over its limit (--allow-large-audience overrides both),
 * and --no-estimate skips the estimates of unguarded changes only.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isSuperseded } from './addresses.js';
import { compareCodeUnits } from './canonical.js';
import { messages } from './messages.js';
import { guardMaxAudience } from './spec-access.js';
import { summarize } from './summary.js';
import type { Estimate, Locate, Plan, PlanChange, PlanOptions, PlanResult } from './types.js';

export const DEFAULT_ESTIMATE_LIMIT = 100;

export interface EstimateRequest {
  /** Addresses to estimate, irreversible first, then by address; at most the limit. */
  addresses: string[];
  /** Addresses over the limit: they will be marked not estimated. */
  overLimit: string[];
}

/** Guarded changes first (an unchecked guard refuses the plan), then irreversible ones, then by address. */
export function needsEstimate(plan: Plan, options: PlanOptions = {}): EstimateRequest {
  const limit = Math.max(0, options.estimateLimit ?? DEFAULT_ESTIMATE_LIMIT);
  const candidates = plan.changes
    .filter((c) => c.estimateStatus === 'pending' && (!options.noEstimate || isGuarded(c)))
    .sort(
      (a, b) =>
        Number(isGuarded(b)) - Number(isGuarded(a)) || Number(b.irreversible) - Number(a.irreversible) || compareCodeUnits(a.address, b.address),
    )
    .map((c) => c.address);
  return { addresses: candidates.slice(0, limit), overLimit: candidates.slice(limit) };
}

function isGuarded(c: PlanChange): boolean {
  return guardMaxAudience(c.after) !== undefined;
}

/** What the caller knows about the estimates besides their values. */
export interface EstimateFacts {
  /** address -> why its estimate call failed (shown with the change). */
  estimateErrors?: ReadonlyMap<string, string>;
  /** needsEstimate()'s overLimit, when the caller has it (else worked out again). */
  overLimit?: readonly string[];
  /** No estimate was asked because the plan already has errors (it is refused anyway). */
  estimatesWithheld?: boolean;
}

/**
 * `estimates`: address -> estimate, or null when the estimate call failed. An address missing from
 * the map is over the per-plan limit when needsEstimate() put it there, withheld when the facts say
 * so, else simply not estimated. Returns a new plan; the input is not modified.
 */
export function finalizePlan(
  plan: Plan,
  estimates: ReadonlyMap<string, Estimate | null>,
  options: PlanOptions & EstimateFacts & { locate?: Locate } = {},
): PlanResult {
  const diagnostics: Diagnostic[] = [];
  const warnings = [...plan.warnings];
  const report = (d: Diagnostic) => (d.severity === 'error' ? diagnostics : warnings).push(d);

  const overLimit = new Set(options.overLimit ?? needsEstimate(plan, options).overLimit);
  const changes = plan.changes.map((c) => fillEstimate(c, estimates, overLimit, options));
  const unchecked: PlanChange[] = [];
  for (const c of changes) checkAudience(c, options, report, unchecked);
  reportUnchecked(unchecked, options, report);

  const stops = changes.filter((c) => c.kind === 'Campaign' && c.action === 'stop' && !isSuperseded(c.address)).length;
  if (stops > 0 && stops > plan.liveManagedCampaigns / 2) {
    report(messages.massStop(stops, plan.liveManagedCampaigns, options.allowMassStop === true));
  }

  return {
    plan: { ...plan, changes, warnings, finalized: true, summary: summarize(changes, plan.drift) },
    diagnostics,
  };
}

/**
 * A refusal per guard that could not be checked (a warning with --allow-large-audience), located
 * at its `maxAudience`, with the change's own reason; when more than UNCHECKED_LISTED share a
 * reason (a big plan whose estimates all failed), one that counts them, so the plan is not buried
 * under thousands of identical lines.
 */
function reportUnchecked(unchecked: PlanChange[], options: PlanOptions & { locate?: Locate }, report: (d: Diagnostic) => void): void {
  const overridden = options.allowLargeAudience === true;
  const byStatus = new Map<string, PlanChange[]>();
  for (const c of unchecked) {
    const list = byStatus.get(c.estimateStatus);
    if (list) list.push(c);
    else byStatus.set(c.estimateStatus, [c]);
  }
  for (const [status, list] of byStatus) {
    if (list.length > UNCHECKED_LISTED) {
      report(messages.guardsUnchecked(list.map((c) => c.address), uncheckedWhy(status), overridden));
      continue;
    }
    for (const c of list) {
      const where = { address: c.address, source: c.source, path: GUARD_PATH };
      report(messages.guardUnchecked(guardMaxAudience(c.after)!, uncheckedWhy(status, c.estimateError), overridden)(where, options.locate));
    }
  }
}

function fillEstimate(c: PlanChange, estimates: ReadonlyMap<string, Estimate | null>, overLimit: ReadonlySet<string>, options: PlanOptions & EstimateFacts): PlanChange {
  if (c.estimateStatus !== 'pending') return c;
  // A guarded change is estimated whatever --no-estimate says: its guard needs the number.
  if (options.noEstimate && !isGuarded(c)) return { ...c, estimate: null, estimateStatus: 'skipped' };
  if (estimates.has(c.address)) {
    const e = estimates.get(c.address) ?? null;
    if (e !== null) return { ...c, estimate: { total: e.total, byPlatform: { ...e.byPlatform } }, estimateStatus: 'estimated' };
    const error = options.estimateErrors?.get(c.address);
    return { ...c, estimate: null, estimateStatus: 'failed', ...(error !== undefined ? { estimateError: error } : {}) };
  }
  if (overLimit.has(c.address)) return { ...c, estimate: null, estimateStatus: 'over-limit' };
  return { ...c, estimate: null, estimateStatus: options.estimatesWithheld ? 'withheld' : 'not-estimated' };
}

/** Why a guard was not checked, by the change's estimate status (and its error, when it failed). */
function uncheckedWhy(status: string, error?: string): string {
  switch (status) {
    case 'failed':
      return error ? `the estimate failed (${error})` : 'the estimate failed';
    case 'over-limit':
      return 'it is over the limit of estimates per plan';
    default:
      return 'it was not estimated';
  }
}

const GUARD_PATH = ['spec', 'guard', 'maxAudience'];

/** More guards than this left unchecked for one reason: one diagnostic for all of them. */
export const UNCHECKED_LISTED = 10;

function checkAudience(c: PlanChange, options: PlanOptions & { locate?: Locate }, report: (d: Diagnostic) => void, unchecked: PlanChange[]): void {
  if (c.kind !== 'Campaign' || (c.action !== 'create' && c.action !== 'replace')) return;
  const max = guardMaxAudience(c.after);
  if (max === undefined) return;
  const where = { address: c.address, source: c.source, path: GUARD_PATH };
  if (c.estimate === null) {
    // Withheld: the plan is refused for its other errors already; the guard is checked once they are fixed.
    if (c.estimateStatus !== 'withheld') unchecked.push(c);
  } else if (c.estimate.total > max) {
    report(messages.maxAudience(c.estimate.total, max, options.allowLargeAudience === true)(where, options.locate));
  }
}
