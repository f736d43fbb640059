/**
 * The planner's vocabulary: its input (desired resources, applied state, remote statuses, `now`)
 * and its output (a Plan of ordered changes plus drift, warnings and notes). Everything here is
 * plain data so a plan can be printed, saved to a file and read back unchanged.
 */
import type { AppliedStatus, AppliedResource, RemoteCampaign } from '../model/applied.js';
import type { Kind, Resource, SourceLocation } from '../model/resource.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Canonical } from './canonical.js';
import type { FieldDiff } from './diff.js';
import type { StartsAt } from './instant.js';
import type { TextDiff } from './text-diff.js';

export type { StartsAt, FieldDiff };

export interface DesiredResource {
  resource: Resource;
  /** hashCanonical of the spec with environment templates applied (the caller computes it). */
  specHash: string;
  /** The canonical spec the hash was computed over; kept as `after` and in state for diffs. */
  canonicalSpec: unknown;
  /** Campaign start as resolved by the render module; when absent the planner reads `spec.when`. */
  startsAt?: StartsAt;
}

/**
 * A `runs` row of a bulletin occurrence (same literals as the state store's RunStatus): done =
 * raised; unknown = ambiguous, never raised again automatically; claimed = a claim whose outcome
 * was never recorded (a crash), treated like unknown; failed = definitely not raised, due again.
 */
export type OccurrenceRunStatus = 'claimed' | 'done' | 'failed' | 'unknown';

export interface RaisedOccurrence {
  /** The bulletin's address (`bulletin.album-released`). */
  address: string;
  key: string;
  status: OccurrenceRunStatus;
  /** hashCanonical of the occurrence as raised (the `specHash` of its `send` change). */
  occurrenceHash?: string | null;
  /**
   * The YAML dropped this occurrence and an apply recorded that (`forget`). The run is kept as the
   * proof it was raised, so re-adding the key never raises it again, but it is not planned again.
   */
  forgotten?: boolean;
}

/** Limits the plan to part of the project; applied to desired AND applied resources. */
export interface PlanScope {
  /** `--target`: exact addresses. */
  addresses?: string[];
  /**
   * An address in `addresses` that names no resource in the YAML or in state: an error by default
   * (a mistyped `--target` would otherwise plan nothing and exit 0). `skip` for a caller whose
   * addresses came from an earlier plan, where a resource gone since is simply not planned (the
   * daemon applying the changes it showed).
   */
  unknownTargets?: 'error' | 'skip';
  /** `--selector k=v`: every pair must match the resource's labels. */
  selector?: Record<string, string>;
  /** `--changed-since`: project-relative paths changed (deleted files included). */
  files?: string[];
}

export interface PlanOptions {
  /** Re-create managed campaigns that drifted (stopped/missing remotely). */
  heal?: boolean;
  scope?: PlanScope;
  allowLargeAudience?: boolean;
  allowMassStop?: boolean;
  /** `--no-estimate`: no estimate anywhere. */
  noEstimate?: boolean;
  /** At most this many estimates per plan (default 100). */
  estimateLimit?: number;
}

/** Where a diagnostic about a resource points; the shape of Project['locate']. */
export type Locate = (
  address: string,
  path: (string | number)[],
) => { file: string; line: number; column: number; endLine?: number; endColumn?: number } | undefined;

export interface PlanInput {
  desired: DesiredResource[];
  /**
   * `desired` by address, when the caller holds one already and no address is defined twice (so
   * which definition comes first does not matter): the planner then does not index them again.
   */
  desiredByAddress?: ReadonlyMap<string, { desired: DesiredResource }>;
  /**
   * With desiredByAddress: its addresses sorted by UTF-16 code units, frozen. The planner keeps the
   * union with the applied addresses per pair of such frozen arrays (the same arrays from plan to
   * plan while no address comes or goes) instead of sorting 10,000 addresses per plan.
   */
  desiredAddresses?: readonly string[];
  /**
   * With desiredByAddress: its entry for each of these sorted addresses at its place (undefined
   * where it has none), as desiredByAddress.get would give them one by one.
   */
  desiredAlong?: (addresses: readonly string[]) => readonly ({ desired: DesiredResource } | undefined)[];
  applied: readonly AppliedResource[];
  /** Statuses from `targets/list.json`; null when not refreshed (`--refresh=false`). */
  remote: RemoteCampaign[] | null;
  raisedOccurrences?: RaisedOccurrence[];
  now: Date;
  /** Zone for local date-times in `when`/`at` without an offset (default UTC). */
  accountTimezone?: string;
  options?: PlanOptions;
  /** Points diagnostics at the exact YAML node; falls back to the resource's document start. */
  locate?: Locate;
  /** What commands the plan prints point at (the CLI's environment and --dir); default: none named. */
  commandTarget?: CommandTarget;
}

export type PlanAction = 'create' | 'replace' | 'stop' | 'forget' | 'update' | 'delete' | 'send';

export type ChangeReason =
  | 'new' // in YAML, not in state
  | 'spec-changed' // replace of a scheduled campaign, update of a contract
  | 'removed' // gone from YAML
  | 'finished' // gone from YAML and finished remotely (forget)
  | 'missing-remotely' // gone from YAML and unknown to CleverTap (forget)
  | 'superseded' // the old campaign of an earlier replace whose stop failed
  | 'heal' // re-create after drift, only with options.heal
  | 'occurrence-due'
  | 'occurrence-removed';

/** As CleverTap's `estimates` returned it, plus the total. */
export interface Estimate {
  total: number;
  byPlatform: Record<string, number>;
}

/**
 * not-applicable: nothing to estimate (stops, contracts, bulletin sends); pending: awaiting
 * finalizePlan; estimated; failed: the estimate call failed (`estimateError` says why);
 * over-limit: past the per-plan limit of estimates; withheld: not asked because the plan has errors;
 * skipped: `--no-estimate` (unguarded changes only); not-estimated: none given, for no known reason.
 */
export type EstimateStatus = 'not-applicable' | 'pending' | 'estimated' | 'failed' | 'over-limit' | 'withheld' | 'skipped' | 'not-estimated';

export interface PlanChange {
  /** Resource address; a bulletin occurrence is `bulletin.NAME#KEY`. */
  address: string;
  kind: Kind;
  action: PlanAction;
  reason: ChangeReason;
  /** Makes CleverTap message people as soon as it is applied. */
  irreversible: boolean;
  estimate: Estimate | null;
  estimateStatus: EstimateStatus;
  /** Why the estimate call failed (status `failed`), as the client reported it. */
  estimateError?: string;
  /** Applied canonical spec (or the occurrence as raised); null when there is none. */
  before: Canonical | null;
  /** Desired canonical spec (or the occurrence to raise); null for stop/forget/delete. */
  after: Canonical | null;
  diff: FieldDiff[];
  /** Hash of `after` (what state records once applied); null when `after` is null. */
  specHash: string | null;
  /** CleverTap campaign id to stop (stop, replace, superseded). */
  remoteId: number | null;
  /** Campaign start of a create/replace. */
  startsAt: StartsAt | null;
  /** The bulletin occurrence key of a send/forget of an occurrence. */
  occurrenceKey?: string;
  /** Schedule create/update: the next fires after `now` (UTC ISO) as the change leaves it; [] when disabled. */
  nextFireTimes?: string[];
  /** Schedule update: the next fires as the applied schedule had them, for comparison. */
  nextFireTimesBefore?: string[];
  /** Where the resource is defined (absent for resources gone from YAML). */
  source?: SourceLocation;
  /**
   * Campaign replaces: the rendered text of the request, old against new, for the fields the spec
   * diff can not show as text (a `body_file`, a partial, a variable). Filled by the caller, which
   * renders; absent when there is none.
   */
  renderedDiff?: RenderedDiff[];
}

/** One text field of a campaign's request as rendered: as applied against as it would be sent. */
export interface RenderedDiff {
  /** The field of the request body, e.g. `content.body`. */
  field: string;
  /** null when state holds no rendered text of the applied version (applied before it was recorded). */
  diff: TextDiff | null;
}

export interface DriftEntry {
  address: string;
  remoteId: number | null;
  /** What state says. */
  expected: AppliedStatus;
  /** CleverTap's status verbatim, or `missing`. */
  actual: string;
  message: string;
  /** True when the plan carries a `heal` change for it. */
  healed: boolean;
}

export interface PlanNote {
  address: string;
  code: string;
  message: string;
}

/** A bulletin occurrence in the future: not a change, shown so reviewers see what will fire. */
export interface ScheduledOccurrence {
  address: string;
  key: string;
  at: string;
}

export interface PlanSummary {
  create: number;
  replace: number;
  update: number;
  delete: number;
  stop: number;
  forget: number;
  send: number;
  /** All changes. */
  total: number;
  /** Changes that message people when applied. */
  irreversible: number;
  /** Sum of the estimates of the irreversible changes that have one. */
  estimatedAudience: number;
  /** Irreversible changes without an estimate. */
  notEstimated: number;
  drift: number;
  /** `Plan: 2 to create, 1 to stop; 3 sends to about 1.2M users` or `No changes.` */
  text: string;
}

export interface Plan {
  /** The `now` the plan was computed for (ISO). */
  now: string;
  changes: PlanChange[];
  drift: DriftEntry[];
  warnings: Diagnostic[];
  notes: PlanNote[];
  scheduled: ScheduledOccurrence[];
  /** Scoped by targets/selector/changed files. */
  partial: boolean;
  /** False when remote statuses were not read (`--refresh=false`). */
  refreshed: boolean;
  /** Managed campaigns still scheduled or running, across the whole state (the mass-stop base). */
  liveManagedCampaigns: number;
  /** True once finalizePlan ran (estimates and guards applied). */
  finalized: boolean;
  summary: PlanSummary;
}

export interface PlanResult {
  plan: Plan;
  /** Errors that refuse the plan (located when they belong to a YAML resource). */
  diagnostics: Diagnostic[];
}

/** What a printed or saved plan was computed against (views and plan files show it). */
export interface PlanMeta {
  environment: string;
  /** State serial the plan was computed at. */
  serial: number | null;
  /** Hash of the configuration (campaignctl.yaml + campaigns/) the plan was computed from. */
  configHash: string | null;
  /** Git commit of the project, null outside a git repository. */
  commit: string | null;
  /** The environment runs against the in-process CleverTap emulator. */
  sandbox?: boolean;
}
