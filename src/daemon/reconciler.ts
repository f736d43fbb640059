/**
 * One reconcile: bring the project up (the dirty paths; in git mode the remote's commit), refresh
 * CleverTap's statuses and plan; with --auto-apply apply what `apply --yes` would, under the same
 * guards and the lock. What it found is kept for /v1/status.
 *
 * What is applied again, and when:
 * - a plan a guard refused (maxAudience, mass-stop, the lock) is not applied; the next reconcile
 *   plans again (nothing was sent);
 * - a revision (the commit; outside git, the configuration's hash) whose apply failed is not
 *   applied again until the revision moves or POST /v1/reconcile forces it;
 * - a resource whose change failed waits its backoff (./backoff.ts): the others are applied
 *   without it, and a reconcile is asked for when its wait is over.
 */
import type { Logger } from 'pino';
import { configHash } from '../apply/config-hash.js';
import type { ChangeOutcome } from '../apply/types.js';
import type { Project } from '../config/project.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { apply, type ApplyOutcome } from '../operations/apply.js';
import type { OperationContext } from '../operations/context.js';
import { plan } from '../operations/plan.js';
import { changesToJson, type PlanJsonChange } from '../plan/plan-json.js';
import type { PlanScope } from '../plan/types.js';
import { RefreshKeeper } from '../apply/refresh-reuse.js';
import { Backoff } from './backoff.js';
import type { DaemonMetrics } from './metrics.js';
import type { ProjectSource } from './project-source.js';
import type { ReconcileRequest } from './queue.js';
import type { ReconcileSummary } from './services.js';
import type { Term } from './leadership.js';
import type { GitMirror } from './sources/git.js';

export interface ReconcilerDeps {
  source: ProjectSource;
  mirror: GitMirror | null;
  autoApply: boolean;
  log: Logger;
  metrics: DaemonMetrics;
  clock: () => Date;
  /** Local mode: HEAD of the project folder when it is a repository (shown, not what is applied). */
  headOf(project: Project): Promise<string | null>;
  /** An operation context on a project (what the daemon keeps open, events to the log). */
  contextFor(project: Project): OperationContext;
  /** The same for a plan alone: git is asked only for HEAD's commit (an apply uses contextFor). */
  planContextFor(project: Project): OperationContext;
  /** Aborted at shutdown: planning stops at its next step, apply starts no new change. */
  signal: AbortSignal;
  /**
   * The lease term this replica leads under, null when it does not lead. Its signal aborts when
   * the term ends: the reconcile then stops as at shutdown (fencing).
   */
  term(): Term | null;
  /** Right before an apply: the store confirms the term is still the current one. */
  confirm(epoch: number): Promise<boolean>;
  recordError(where: string, message: string): void;
  /** Some change was applied (Schedules may have come or moved). */
  onApplied(): void;
  /** Ask for a reconcile at this instant (a backoff ends). */
  reconcileAt(at: number): void;
}

/** What the last reconciles found, for /v1/status and readiness. */
export interface ReconcileFacts {
  project: Project | null;
  lastReconcile: ReconcileSummary | null;
  pending: PlanJsonChange[];
  appliedCommit: string | null;
  lastAttemptedCommit: string | null;
  /** When CleverTap was last refreshed (a plan that got its statuses). */
  lastRefreshAt: number | null;
  lastFetchAt: number | null;
  lastFetchError: string | null;
}

type Result = Pick<ReconcileSummary, 'result' | 'error'>;

export class Reconciler {
  readonly facts: ReconcileFacts = {
    project: null,
    lastReconcile: null,
    pending: [],
    appliedCommit: null,
    lastAttemptedCommit: null,
    lastRefreshAt: null,
    lastFetchAt: null,
    lastFetchError: null,
  };
  readonly #d: ReconcilerDeps;
  readonly #backoff = new Backoff();
  /** The revision whose apply failed: not applied again until it moves or a forced reconcile. */
  #failedRevision: string | null = null;
  /** The last full refresh, reused by reconciles only file events asked for (../apply/refresh-reuse.ts). */
  readonly #refreshes = new RefreshKeeper();

  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  /** Loads the project without planning (at start, so the HTTP layer has contracts at once). */
  async load(): Promise<Project> {
    await this.#fetch();
    return (this.facts.project = await this.#d.source.load(this.#d.clock()));
  }

  async run(req: ReconcileRequest): Promise<void> {
    const d = this.#d;
    const term = d.term();
    // A replica that does not lead never reconciles (the daemon only asks the leader; a term may
    // have ended between the ask and now).
    if (!term) return;
    const started = performance.now();
    const at = d.clock();
    let commit: string | null = null;
    let outcome: Result;
    const signal = AbortSignal.any([d.signal, term.signal]);
    try {
      await this.#fetch();
      const project = (this.facts.project = await d.source.load(at));
      commit = d.mirror ? d.mirror.current() : await d.headOf(project);
      outcome = await this.#reconcile(project, commit, req, { epoch: term.epoch, signal });
    } catch (err) {
      outcome = { result: 'failed', error: (err as Error).message };
    }
    const durationMs = Math.round(performance.now() - started);
    const summary: ReconcileSummary = { at: at.toISOString(), reason: req.reason, durationMs, commit, ...outcome };
    this.facts.lastReconcile = summary;
    if (summary.error) d.recordError('reconcile', summary.error);
    d.metrics.reconcileTotal.inc({ result: summary.result });
    d.metrics.reconcileDuration.observe(durationMs / 1000);
    d.metrics.planPendingChanges.set(this.facts.pending.length);
    d.log[summary.result === 'failed' ? 'error' : summary.result === 'refused' ? 'warn' : 'info'](
      { reconcile: { ...summary, pending: this.facts.pending.length } },
      `reconcile (${summary.reason}): ${summary.result}${summary.error ? `: ${summary.error}` : ''}`,
    );
  }

  /** Git mode: ls-remote, and fetch and check out when the branch moved. A failure keeps the last checkout. */
  async #fetch(): Promise<void> {
    const { mirror, metrics, source } = this.#d;
    if (!mirror) return;
    try {
      const polled = await mirror.poll();
      metrics.gitFetchTotal.inc({ result: polled.changed ? 'changed' : 'unchanged' });
      this.facts.lastFetchAt = Date.now();
      this.facts.lastFetchError = null;
      if (polled.changed) source.markAllDirty();
    } catch (err) {
      metrics.gitFetchTotal.inc({ result: 'error' });
      this.facts.lastFetchError = (err as Error).message;
      this.#d.recordError('fetch', (err as Error).message);
      if (!mirror.current()) throw err;
    }
  }

  async #reconcile(project: Project, commit: string | null, req: ReconcileRequest, term: Term): Promise<Result> {
    const d = this.#d;
    const force = req.force;
    if (hasErrors(project.diagnostics)) {
      return { result: 'failed', error: `the project has errors, nothing planned: ${describe(project.diagnostics)}` };
    }
    // Only file events may plan on the last full refresh's statuses; every other trigger asks CleverTap anew.
    const planned = await plan(d.planContextFor(project), { signal: term.signal, refreshKeeper: this.#refreshes, reuseRefresh: req.filesOnly });
    if (planned.kind === 'refused') {
      this.#refreshes.forget();
      return { result: 'failed', error: planned.refused === 'interrupted' ? this.#interruption(term) : describe(planned.diagnostics) };
    }
    // (Readiness counts a full refresh only: a reused one is no newer than the one it reuses.)
    if (!('refreshReused' in planned.outcome && planned.outcome.refreshReused)) this.facts.lastRefreshAt = Date.now();
    const { outcome } = planned;
    this.facts.pending = changesToJson(outcome.plan.changes);
    const errors = outcome.diagnostics.filter((x) => x.severity === 'error');
    if (errors.length > 0) return { result: 'refused', error: `the plan is refused, nothing applied: ${describe(errors)}` };
    if (outcome.plan.changes.length === 0) {
      if (commit) this.facts.appliedCommit = commit;
      return { result: 'no-change', error: null };
    }
    if (!d.autoApply) return { result: 'planned', error: null };
    return this.#apply(d.contextFor(project), project, commit, force, term);
  }

  /** Why a signal stopped the work: the shutdown, or the end of this replica's term. */
  #interruption(term: Term): string {
    return this.#d.signal.aborted ? 'interrupted by shutdown' : `interrupted: this replica no longer leads (epoch ${term.epoch} ended)`;
  }

  async #apply(ctx: OperationContext, project: Project, commit: string | null, force: boolean, term: Term): Promise<Result> {
    const d = this.#d;
    // Git mode: the commit. Local mode: what is in the folder (HEAD does not see uncommitted edits).
    const revision = d.mirror ? (commit ?? configHash(project)) : configHash(project);
    if (force) this.#failedRevision = null;
    if (this.#failedRevision === revision) {
      return { result: 'planned', error: `the apply of ${commit ? `commit ${commit.slice(0, 12)}` : 'this configuration'} failed; it is applied again on a new commit or POST /v1/reconcile` };
    }
    if (!(await d.confirm(term.epoch))) return { result: 'refused', error: `the lease of epoch ${term.epoch} is no longer this replica's: nothing is applied (the leader applies)` };
    const now = Date.now();
    const waiting = this.facts.pending.filter((c) => this.#backoff.waiting(c.address, now) !== null).map((c) => c.address);
    const ready = this.facts.pending.map((c) => c.address).filter((a) => !waiting.includes(a));
    const next = this.#backoff.nextExpiry(now);
    if (next !== null) d.reconcileAt(next);
    if (ready.length === 0) return { result: 'planned', error: `every pending change waits its failure backoff: ${waiting.join(', ')}` };
    // The pending changes' addresses: one whose resource went since (an edit meanwhile) is not planned.
    const scope: PlanScope | undefined = waiting.length > 0 ? { addresses: ready, unknownTargets: 'skip' } : undefined;
    this.facts.lastAttemptedCommit = commit;
    const applied = await apply(ctx, { confirm: async () => true, signal: term.signal, ...(scope ? { scope } : {}) });
    return this.#settle(applied, commit, revision, waiting, term);
  }

  #settle(applied: ApplyOutcome, commit: string | null, revision: string, waiting: string[], term: Term): Result {
    const d = this.#d;
    if (applied.kind === 'refused') {
      const why = applied.refused === 'interrupted' ? this.#interruption(term) : describe(applied.diagnostics) || applied.refused;
      const guard = applied.refused === 'plan-refused' || applied.refused === 'locked';
      return { result: guard ? 'refused' : 'failed', error: `not applied (${applied.refused}): ${why}` };
    }
    if (applied.kind === 'unchanged') {
      this.facts.pending = [];
      if (commit) this.facts.appliedCommit = commit;
      return { result: 'no-change', error: null };
    }
    const { result } = applied;
    if (result.applied > 0) d.onApplied();
    const now = Date.now();
    const failed: ChangeOutcome[] = [];
    for (const o of result.outcomes) {
      d.metrics.applyChangesTotal.inc({ action: o.action, result: o.status });
      if (o.status === 'applied') this.#backoff.succeeded(o.address);
      if (o.status === 'failed') {
        failed.push(o);
        this.#backoff.failed(o.address, now);
      }
    }
    const done = new Set(result.outcomes.filter((o) => o.status === 'applied').map((o) => o.address));
    this.facts.pending = this.facts.pending.filter((c) => !done.has(c.address));
    const next = this.#backoff.nextExpiry(now);
    if (next !== null) d.reconcileAt(next);
    if (result.ok && waiting.length === 0) {
      this.#failedRevision = null;
      if (commit) this.facts.appliedCommit = commit;
      return { result: 'applied', error: null };
    }
    if (result.ok) return { result: 'applied', error: `applied; waiting their failure backoff: ${waiting.join(', ')}` };
    this.#failedRevision = revision;
    const interrupted = result.interrupted ? ` (${this.#interruption(term)})` : '';
    return {
      result: 'failed',
      error: `${result.failed} of ${result.outcomes.length} changes failed${interrupted}: ${failed.map((o) => `${o.address}: ${o.message ?? 'failed'}`).join('; ')}`,
    };
  }
}

/** Diagnostics in one line for the status and the log: `file:line message`, at most 5. */
function describe(diagnostics: readonly Diagnostic[]): string {
  const shown = diagnostics.slice(0, 5).map((x) => `${x.file ? `${x.file}${x.line ? `:${x.line}` : ''}: ` : ''}${x.message}`);
  return shown.join('; ') + (diagnostics.length > 5 ? `; and ${diagnostics.length - 5} more` : '');
}
