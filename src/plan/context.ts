/**
 * The accumulator the planning steps write into, and the constructors of changes, so every step
 * builds changes of the same shape.
 */
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Kind, SourceLocation } from '../model/resource.js';
import { canonicalized } from './canonical.js';
import type {
  ChangeReason,
  DriftEntry,
  Locate,
  PlanAction,
  PlanChange,
  PlanNote,
  ScheduledOccurrence,
  StartsAt,
} from './types.js';

export interface PlanContext {
  now: Date;
  timeZone: string;
  /** What commands the plan prints (in hints and notes) point at. */
  commandTarget: CommandTarget;
  heal: boolean;
  locate?: Locate;
  changes: PlanChange[];
  drift: DriftEntry[];
  warnings: Diagnostic[];
  errors: Diagnostic[];
  notes: PlanNote[];
  scheduled: ScheduledOccurrence[];
}

export interface ChangeFields {
  address: string;
  kind: Kind;
  action: PlanAction;
  reason: ChangeReason;
  before?: unknown;
  after?: unknown;
  specHash?: string | null;
  remoteId?: number | null;
  irreversible?: boolean;
  startsAt?: StartsAt | null;
  source?: SourceLocation;
}

export function makeChange(f: ChangeFields): PlanChange {
  const estimable = f.kind === 'Campaign' && (f.action === 'create' || f.action === 'replace');
  const change: PlanChange = {
    address: f.address,
    kind: f.kind,
    action: f.action,
    reason: f.reason,
    irreversible: f.irreversible ?? false,
    estimate: null,
    estimateStatus: estimable ? 'pending' : 'not-applicable',
    before: f.before === undefined || f.before === null ? null : canonicalized(f.before),
    after: f.after === undefined || f.after === null ? null : canonicalized(f.after),
    diff: [],
    specHash: f.specHash ?? null,
    remoteId: f.remoteId ?? null,
    startsAt: f.startsAt ?? null,
  };
  if (f.source) change.source = f.source;
  return change;
}

export function diagnose(ctx: PlanContext, d: Diagnostic): void {
  (d.severity === 'error' ? ctx.errors : ctx.warnings).push(d);
}
