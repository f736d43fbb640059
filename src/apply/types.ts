/**
 * The executor's vocabulary: what it needs (deps), what it reports while it runs (hooks) and what
 * it returns (one outcome per change). The emergency stop, import and runtime sends report in the
 * same terms.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import type { CleverTapErrorKind } from '../clevertap/errors.js';
import type { Project } from '../config/project.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { BulletinResource } from '../model/specs.js';
import type { PlanChange } from '../plan/types.js';
import type { CampaignCreateBody } from '../render/campaign.js';
import type { RenderContext } from '../render/context.js';
import type { StateStore } from '../state/store.js';
import type { DesiredState } from './desired.js';
import type { Provenance } from '../state/record.js';

export type ChangeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeOutcome {
  address: string;
  action: PlanChange['action'];
  status: ChangeStatus;
  /** The CleverTap id created or adopted (create/replace), or stopped (stop). */
  remoteId?: number | null;
  /** What happened, in plain words (why it failed, how an ambiguous create was settled). */
  message?: string;
  /** The failure as the client classified it. */
  error?: { kind: CleverTapErrorKind | 'render' | 'state' | 'unsupported'; httpStatus: number | null; retryable: boolean; ambiguous: boolean };
}

export interface ApplyResult {
  outcomes: ChangeOutcome[];
  applied: number;
  failed: number;
  skipped: number;
  /** True when every change was applied. */
  ok: boolean;
  /** True when the run was interrupted (signal) before it finished. */
  interrupted: boolean;
  durationMs: number;
}

export interface ReadBackEvent {
  address: string;
  marker: string;
  result: 'adopted' | 'not-created' | 'unsettled';
  remoteId: number | null;
}

/** Progress, for a TTY line or JSON lines; the executor never writes to the console. */
export interface ApplyHooks {
  onStart?(e: { total: number }): void;
  onChangeStart?(e: { index: number; total: number; change: PlanChange }): void;
  onChangeEnd?(e: { index: number; total: number; change: PlanChange; outcome: ChangeOutcome }): void;
  onReadBack?(e: ReadBackEvent): void;
  onFinish?(r: ApplyResult): void;
}

/**
 * Raises one bulletin occurrence exactly once: claims its run, calls CleverTap, marks the run.
 * The runtime owns that logic (src/runtime/occurrence.ts's raiseOccurrence, which the cron runner
 * uses too) and sits above apply, so apply is handed it by its caller instead of importing it.
 * Only what apply reads of the answer is spelled out here.
 */
export type OccurrenceRaiser = (
  ctx: { client: CleverTapClient; store: StateStore; render: RenderContext; provenance: Provenance; commandTarget: CommandTarget },
  input: { bulletin: BulletinResource; key: string; occurrenceHash?: string },
) => Promise<RaisedOccurrence>;

export type RaisedOccurrence =
  | { status: 'invalid'; diagnostics: Diagnostic[] }
  | { status: 'already-claimed'; run: { status: string } }
  | {
      status: 'raised' | 'failed' | 'unknown';
      prepared: { body: { business_event: string } };
      report: { failure?: { kind: CleverTapErrorKind | 'not-attempted'; httpStatus: number | null; error: string } };
    };

/** What a change handler (built-in or plugged in) gets. */
export interface HandlerContext {
  store: StateStore;
  client: CleverTapClient;
  provenance: Provenance;
  /** What commands printed about a change (e.g. a `state resolve`) must point at. */
  commandTarget: CommandTarget;
  project: Project;
  desired: DesiredState;
  now: () => Date;
  hooks: ApplyHooks;
  raiseOccurrence: OccurrenceRaiser;
}

/**
 * Executes one change and returns its outcome; must never throw for a CleverTap or user problem
 * (return `failed`), so the executor can stop cleanly. Keyed by `send` (bulletin occurrence raises)
 * and `occurrence-forget`; a caller can plug in its own through ExecuteDeps.handlers.
 */
export type ChangeHandler = (change: PlanChange, ctx: HandlerContext) => Promise<ChangeOutcome>;
export type HandlerKey = 'send' | 'occurrence-forget';

export interface ExecuteDeps {
  store: StateStore;
  client: CleverTapClient;
  provenance: Provenance;
  /** What printed commands point at; default: the project's environment (a CLI adds its --dir). */
  commandTarget?: CommandTarget;
  project: Project;
  desired: DesiredState;
  now?: () => Date;
  /** Changes run at once within a group (default: the environment's limits.concurrency). */
  concurrency?: number;
  hooks?: ApplyHooks;
  /** What the built-in `send` handler raises occurrences with (src/runtime/occurrence.ts's raiseOccurrence). */
  raiseOccurrence: OccurrenceRaiser;
  handlers?: Partial<Record<HandlerKey, ChangeHandler>>;
  /** Stops starting new changes (in-flight ones finish and are recorded). */
  signal?: AbortSignal;
  /** After a read-back proved a create absent, try it again at most this often (default 3). */
  createAttempts?: number;
  /** Wait before reading back an ambiguous create (default 0; a real account deserves a few seconds). */
  readBackDelayMs?: number;
}

export interface ExecuteInput {
  changes: readonly PlanChange[];
  /** Rendered Create Campaign bodies by address (title as name; the marker is added per attempt). */
  payloads: Readonly<Record<string, CampaignCreateBody>>;
}
