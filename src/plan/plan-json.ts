/**
 * `plan --format json`: the stable, documented plan document (docs/plan-apply.md,
 * format_version "2"). Fields are only ever added within a format version, never renamed. Version 2
 * renamed the camelCase leftovers of version 1 (`estimate.byPlatform`, the diagnostics' `endLine` and
 * `endColumn`) to snake_case, as every other key already was.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Canonical } from './canonical.js';
import type { FieldDiff, Plan, PlanAction, PlanMeta, PlanSummary, RenderedDiff } from './types.js';
import { snakeKeys } from '../model/json-keys.js';

/** A Diagnostic as --json documents spell it (`end_line`, `end_column`). */
export type DiagnosticJson = Record<string, unknown>;

export interface PlanJsonChange {
  address: string;
  kind: string;
  action: PlanAction;
  reason: string;
  irreversible: boolean;
  /** CleverTap's estimate: `by_platform` keyed as CleverTap returned it. */
  estimate: { total: number; by_platform: Record<string, number> } | null;
  estimate_status: string;
  before: Canonical | null;
  after: Canonical | null;
  diff: FieldDiff[];
  starts_at: string | null;
  remote_id: number | null;
  next_fire_times?: string[];
  /** Campaign replaces: the rendered request text, old against new (see RenderedDiff). */
  rendered_diff?: RenderedDiff[];
  next_fire_times_before?: string[];
}

export interface PlanJson {
  format_version: '2';
  environment: string;
  sandbox: boolean;
  serial: number | null;
  config_hash: string | null;
  commit: string | null;
  now: string;
  partial: boolean;
  refreshed: boolean;
  changes: PlanJsonChange[];
  drift: { address: string; remote_id: number | null; expected: string; actual: string; message: string; healed: boolean }[];
  scheduled: { address: string; at: string }[];
  notes: { address: string; code: string; message: string }[];
  warnings: DiagnosticJson[];
  errors: DiagnosticJson[];
  summary: Omit<PlanSummary, 'estimatedAudience' | 'notEstimated'> & { estimated_audience: number; not_estimated: number };
}

export function planToJson(plan: Plan, meta: PlanMeta, errors: readonly Diagnostic[] = []): PlanJson {
  const { estimatedAudience, notEstimated, ...counts } = plan.summary;
  return {
    format_version: '2',
    environment: meta.environment,
    sandbox: meta.sandbox === true,
    serial: meta.serial,
    config_hash: meta.configHash,
    commit: meta.commit,
    now: plan.now,
    partial: plan.partial,
    refreshed: plan.refreshed,
    changes: changesToJson(plan.changes),
    drift: plan.drift.map((d) => ({
      address: d.address,
      remote_id: d.remoteId,
      expected: d.expected,
      actual: d.actual,
      message: d.message,
      healed: d.healed,
    })),
    scheduled: plan.scheduled.map((s) => ({ address: s.address, at: s.at })),
    notes: plan.notes.map((n) => ({ ...n })),
    warnings: plan.warnings.map(diagnosticJson),
    errors: errors.filter((d) => d.severity === 'error').map(diagnosticJson),
    summary: { ...counts, estimated_audience: estimatedAudience, not_estimated: notEstimated },
  };
}

/** The changes as the plan JSON holds them (all /v1/status shows of a plan: its meta is not needed). */
export function changesToJson(changes: Plan['changes']): PlanJsonChange[] {
  return changes.map((c) => {
    const out: PlanJsonChange = {
      address: c.address,
      kind: c.kind,
      action: c.action,
      reason: c.reason,
      irreversible: c.irreversible,
      estimate: c.estimate === null ? null : { total: c.estimate.total, by_platform: c.estimate.byPlatform },
      estimate_status: c.estimateStatus,
      before: c.before,
      after: c.after,
      diff: c.diff,
      starts_at: c.startsAt === null ? null : c.startsAt.kind === 'now' ? 'now' : c.startsAt.instant,
      remote_id: c.remoteId,
    };
    if (c.nextFireTimes) out.next_fire_times = c.nextFireTimes;
    if (c.renderedDiff) out.rendered_diff = c.renderedDiff;
    if (c.nextFireTimesBefore) out.next_fire_times_before = c.nextFireTimesBefore;
    return out;
  });
}

/** Snake_case keys, undefined members dropped: the same document whether or not it went through JSON. */
function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return snakeKeys(d) as DiagnosticJson;
}

export function renderPlanJson(plan: Plan, meta: PlanMeta, errors: readonly Diagnostic[] = []): string {
  return JSON.stringify(planToJson(plan, meta, errors), null, 2) + '\n';
}
