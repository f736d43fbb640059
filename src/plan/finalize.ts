/**
 * The second, still pure, step of planning: the caller runs the estimates needsEstimate() asks for
 * (estimate_only calls, bounded concurrency) and hands the results to finalizePlan(), which fills
 * them in and applies the guards: guard.maxAudience and the mass-stop refusal.
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

export function needsEstimate(plan: Plan, options: PlanOptions = {}): EstimateRequest {
  if (options.noEstimate) return { addresses: [], overLimit: [] };
  const limit = Math.max(0, options.estimateLimit ?? DEFAULT_ESTIMATE_LIMIT);
  const candidates = plan.changes
    .filter((c) => c.estimateStatus === 'pending')
    .sort((a, b) => Number(b.irreversible) - Number(a.irreversible) || compareCodeUnits(a.address, b.address))
    .map((c) => c.address);
  return { addresses: candidates.slice(0, limit), overLimit: candidates.slice(limit) };
}

/**
 * `estimates`: address -> estimate, or null when the estimate call failed. Addresses missing from
 * the map are "not estimated". Returns a new plan; the input is not modified.
 */
export function finalizePlan(
  plan: Plan,
  estimates: ReadonlyMap<string, Estimate | null>,
  options: PlanOptions & { locate?: Locate } = {},
): PlanResult {
  const diagnostics: Diagnostic[] = [];
  const warnings = [...plan.warnings];
  const report = (d: Diagnostic) => (d.severity === 'error' ? diagnostics : warnings).push(d);

  const changes = plan.changes.map((c) => fillEstimate(c, estimates, options));
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
 * A warning per guard that was not checked, located at its `maxAudience`; when more than
 * UNCHECKED_LISTED share a reason (a big plan with --no-estimate), one warning that counts them,
 * so the plan is not buried under thousands of identical lines.
 */
function reportUnchecked(unchecked: PlanChange[], options: { locate?: Locate }, report: (d: Diagnostic) => void): void {
  const byReason = new Map<string, PlanChange[]>();
  for (const c of unchecked) {
    const why = UNCHECKED_WHY[c.estimateStatus] ?? 'no estimate';
    const list = byReason.get(why);
    if (list) list.push(c);
    else byReason.set(why, [c]);
  }
  for (const [why, list] of byReason) {
    if (list.length > UNCHECKED_LISTED) {
      report(messages.guardsUnchecked(list.map((c) => c.address), why));
      continue;
    }
    for (const c of list) {
      const where = { address: c.address, source: c.source, path: ['spec', 'guard', 'maxAudience'] };
      report(messages.guardUnchecked(guardMaxAudience(c.after)!, why)(where, options.locate));
    }
  }
}

function fillEstimate(c: PlanChange, estimates: ReadonlyMap<string, Estimate | null>, options: PlanOptions): PlanChange {
  if (c.estimateStatus !== 'pending') return c;
  if (options.noEstimate) return { ...c, estimate: null, estimateStatus: 'skipped' };
  if (!estimates.has(c.address)) return { ...c, estimate: null, estimateStatus: 'not-estimated' };
  const e = estimates.get(c.address) ?? null;
  if (e === null) return { ...c, estimate: null, estimateStatus: 'failed' };
  return { ...c, estimate: { total: e.total, byPlatform: { ...e.byPlatform } }, estimateStatus: 'estimated' };
}

const UNCHECKED_WHY: Record<string, string> = {
  skipped: 'estimates were skipped (--no-estimate)',
  failed: 'the estimate failed',
  'not-estimated': 'over the limit of estimates per plan',
};

/** More guards than this left unchecked for one reason: one warning for all of them. */
export const UNCHECKED_LISTED = 10;

function checkAudience(c: PlanChange, options: PlanOptions & { locate?: Locate }, report: (d: Diagnostic) => void, unchecked: PlanChange[]): void {
  if (c.kind !== 'Campaign' || (c.action !== 'create' && c.action !== 'replace')) return;
  const max = guardMaxAudience(c.after);
  if (max === undefined) return;
  const where = { address: c.address, source: c.source, path: ['spec', 'guard', 'maxAudience'] };
  if (c.estimate === null) {
    unchecked.push(c);
  } else if (c.estimate.total > max) {
    report(messages.maxAudience(c.estimate.total, max, options.allowLargeAudience === true)(where, options.locate));
  }
}
