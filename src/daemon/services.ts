/**
 * What the parts of `campaignctl watch` share (DESIGN.md section 5, `daemon/`): the reconcile
 * core (./daemon.ts: sources, reconcile queue, run-due timer, lease, shutdown) hands one
 * DaemonServices to the HTTP layer (./http/), the outbox drain (./outbox-drain.ts) and the status
 * page (./http/status-page.ts). None of them imports another's internals; they meet here.
 *
 * Nothing in src/daemon knows commander or colours: src/cli/watch.ts parses the flags into
 * WatchOptions and calls startDaemon.
 */
import type { Logger } from 'pino';
import type { OperationContext } from '../operations/context.js';
import type { OutboxStatus, StateStore } from '../state/store.js';
import type { DaemonMetrics } from './metrics.js';

/** Why a reconcile ran; every trigger goes through one coalescing queue. `leader`: this replica just took the lead. */
export type ReconcileReason = 'start' | 'file' | 'poll' | 'webhook' | 'api' | 'resync' | 'leader';

export interface ReconcileSummary {
  /** ISO instant the reconcile started. */
  at: string;
  reason: ReconcileReason;
  /**
   * no-change: the plan was empty; planned: changes are pending (no --auto-apply, or the commit's
   * apply failed before and waits for a new commit); applied: --auto-apply applied them; refused:
   * a guard (maxAudience, mass-stop, the lock) said no, nothing applied; failed: an error.
   */
  result: 'no-change' | 'planned' | 'applied' | 'refused' | 'failed';
  durationMs: number;
  /** Why refused or failed, in plain words (never a secret). */
  error: string | null;
  /** The commit the reconcile looked at (git mode; local mode: HEAD of the folder when a repo). */
  commit: string | null;
}

export interface DaemonError {
  at: string;
  /** reconcile, fetch, run-due, outbox, webhook, http. */
  where: string;
  message: string;
}

/** GET /v1/status, and what the status page draws. Plain JSON. */
export interface DaemonStatus {
  environment: string;
  /** This process's replica id (the lease holder id whenever it leads). */
  replica: string;
  /**
   * The replica that reconciles and applies, from the lease row (with SQLite: this one); null
   * while none holds the lease (the leader was lost and no replica took it yet).
   */
  leader: LeaderInfo | null;
  startedAt: string;
  ready: boolean;
  /** Why not ready (empty when ready). */
  readiness: string[];
  autoApply: boolean;
  source: {
    mode: 'local' | 'git';
    /** git mode: the remote with any credentials redacted. */
    remote: string | null;
    branch: string | null;
    lastFetchAt: string | null;
    lastFetchError: string | null;
  };
  appliedCommit: string | null;
  lastAttemptedCommit: string | null;
  lastReconcile: ReconcileSummary | null;
  /** The pending plan as `plan --json` gives its `changes` (empty when in step). */
  pending: unknown[];
  /** As `schedules --json` gives them. */
  schedules: unknown;
  outbox: Record<OutboxStatus, number>;
  /** The most recent errors, newest first (at most 20). */
  errors: DaemonError[];
}

export interface LeaderInfo {
  id: string;
  host: string;
  pid: number;
  command: string;
  /** When it took the lease. */
  since: string;
  /** The lease's expiry unless renewed. */
  expiresAt: string;
  /** Grows by one with each new leader. */
  epoch: number;
}

export interface Readiness {
  ready: boolean;
  reasons: string[];
}

/** The secrets the HTTP layer checks against; read from the environment once at start, never logged. */
export interface DaemonSecrets {
  /** CAMPAIGNCTL_API_TOKEN: without it the write endpoints answer 403. */
  apiToken: string | null;
  /** CAMPAIGNCTL_WEBHOOK_SECRET: without it /hooks/github answers 403. */
  webhookSecret: string | null;
}

export interface DaemonServices {
  readonly log: Logger;
  readonly metrics: DaemonMetrics;
  /** The environment's state store, open for the daemon's life. */
  readonly store: StateStore;
  readonly secrets: DaemonSecrets;
  /** The branch git mode follows (a push to another branch is ignored); null in local mode. */
  readonly branch: string | null;
  /** The one clock (CAMPAIGNCTL_NOW honoured). */
  readonly clock: () => Date;
  /** An operation context on the project as last loaded (contracts for the send endpoints). */
  context(): OperationContext;
  status(): Promise<DaemonStatus>;
  readiness(): Readiness;
  /**
   * Asks for a reconcile; calls made while one runs coalesce into one more. `force` also retries
   * a commit whose apply failed (POST /v1/reconcile).
   */
  requestReconcile(reason: ReconcileReason, opts?: { force?: boolean }): void;
  /** Git mode: fetch now (a webhook push to the branch); local mode: a reconcile. */
  requestFetch(): void;
  /** New outbox items are committed: drain them now rather than at the next poll. */
  wakeOutbox(): void;
  /** True once SIGTERM/SIGINT arrived: intake stops, readiness is 503. */
  draining(): boolean;
  /** Records an error for /v1/status and the log. */
  recordError(where: string, message: string): void;
}
