/**
 * The one-line summary every view prints, and the exit code of `plan --detailed-exitcode`.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction, PlanChange, DriftEntry, PlanSummary } from './types.js';

/** The order the summary lists actions in; `send` is told separately, with the audience. */
const LISTED: PlanAction[] = ['create', 'replace', 'update', 'delete', 'stop', 'forget'];

export function summarize(changes: readonly PlanChange[], drift: readonly DriftEntry[]): PlanSummary {
  const counts: Record<PlanAction, number> = { create: 0, replace: 0, update: 0, delete: 0, stop: 0, forget: 0, send: 0 };
  let irreversible = 0;
  let estimatedAudience = 0;
  let notEstimated = 0;
  for (const c of changes) {
    counts[c.action]++;
    if (!c.irreversible) continue;
    irreversible++;
    if (c.estimate) estimatedAudience += c.estimate.total;
    else notEstimated++;
  }
  return {
    ...counts,
    total: changes.length,
    irreversible,
    estimatedAudience,
    notEstimated,
    drift: drift.length,
    text: summaryText(counts, changes.length, irreversible, estimatedAudience, notEstimated),
  };
}

function summaryText(
  counts: Record<PlanAction, number>,
  total: number,
  irreversible: number,
  audience: number,
  notEstimated: number,
): string {
  if (total === 0) return 'No changes.';
  const listed = LISTED.filter((a) => counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
  let text = 'Plan: ' + listed.join(', ');
  if (irreversible > 0) {
    const sends = `${irreversible} send${irreversible === 1 ? '' : 's'}`;
    let audiencePart: string;
    if (notEstimated === irreversible) audiencePart = ' (audience not estimated)';
    else if (notEstimated > 0) audiencePart = ` to about ${formatAudience(audience)} users (${notEstimated} not estimated)`;
    else audiencePart = ` to about ${formatAudience(audience)} users`;
    text += (listed.length > 0 ? '; ' : '') + sends + audiencePart;
  } else if (listed.length === 0) {
    // Only sends that are somehow not irreversible can not happen; keep the line well-formed anyway.
    text += `${counts.send} to send`;
  }
  return text;
}

/** 950 -> "950", 12_345 -> "12.3K", 1_200_000 -> "1.2M", 999_999 -> "1M". */
export function formatAudience(n: number): string {
  if (n < 1000) return String(Math.round(n));
  const suffixes = ['K', 'M', 'B'];
  let unit = Math.min(Math.floor(Math.log10(n) / 3) - 1, suffixes.length - 1);
  const scaled = (u: number) => Math.round((n / 10 ** (3 * (u + 1))) * 10) / 10;
  let value = scaled(unit);
  if (value >= 1000 && unit < suffixes.length - 1) value = scaled(++unit);
  return `${value.toFixed(1).replace(/\.0$/, '')}${suffixes[unit]}`;
}

/**
 * `plan --detailed-exitcode`: 0 no changes, 1 error, 2 changes. Without the flag: 1 on error, else 0.
 */
export function planExitCode(plan: Plan, diagnostics: readonly Diagnostic[], detailed: boolean): 0 | 1 | 2 {
  if (diagnostics.some((d) => d.severity === 'error')) return 1;
  if (detailed && plan.changes.length > 0) return 2;
  return 0;
}
