/**
 * What `plan`, `apply` and `drift` open before planning and close after: the project (its
 * diagnostics printed), the connection (sandbox or CleverTap), the state store and the git facts
 * every record carries. One place, so the three commands can not drift apart.
 */
import type { Output } from '../context.js';
import type { Project } from '../../config/project.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { gitInfo, type GitInfo } from '../../git/repo.js';
import type { Provenance } from '../../apply/record.js';
import type { StateStore } from '../../state/store.js';
import { openDesiredMemo, type DesiredMemo } from '../../apply/desired-memo.js';
import { NoChangeMemo } from '../../apply/no-change.js';
import { startEarlyRefresh, type EarlyRefresh } from '../../apply/refresh.js';
import { cacheEnabled } from '../../config/load-cache.js';
import { connect, openState, type Connection } from './connect.js';
import { loadProjectFor, printDiagnostics } from './project.js';

export interface PlanSession {
  out: Output;
  project: Project;
  connection: Connection;
  store: StateStore;
  git: GitInfo;
  provenance: Provenance;
  /**
   * How old an open create must be before a read-back that misses it counts as proof it was never
   * created: a minute on a real account (a killed process's request may still be landing), 0 on
   * the emulator, which commits before it answers.
   */
  notCreatedGraceMs: number;
  /** Spec hashes kept across runs, unless CAMPAIGNCTL_CACHE turns caching off; saved on close. */
  memo?: DesiredMemo;
  /** The refresh `plan` and `drift` start while the session opens (see startEarlyRefresh). */
  early?: EarlyRefresh;
  /** `plan` only, with caching on: the no-change record (../../apply/no-change.ts). */
  noChange?: NoChangeMemo;
  close(): Promise<void>;
}

export type SessionResult = { ok: true; session: PlanSession } | { ok: false; project?: Project; diagnostics: Diagnostic[] };

/**
 * Loads and checks the project, then connects and opens state. Project warnings are printed here
 * (text mode); errors are returned for the command to report in its own format.
 */
export async function openPlanSession(out: Output, command: string): Promise<SessionResult> {
  const project = await loadProjectFor(out);
  if (hasErrors(project.diagnostics)) return { ok: false, project, diagnostics: project.diagnostics };
  if (!out.opts.json) printDiagnostics(out, project.root, project.diagnostics);

  // git runs as child processes (three, one after another; `status` is slow on a big tree): they
  // start now and run while state and CleverTap are opened.
  const gitting = gitInfo(project.root);
  gitting.catch(() => undefined); // awaited below; this only keeps an early return from leaving it unhandled
  const state = await openState(project);
  if (!state.ok) return { ok: false, project, diagnostics: state.diagnostics };
  out.debug(`state: ${state.location} opened`);
  const connected = await connect(project);
  if (!connected.ok) {
    await state.store.close();
    return { ok: false, project, diagnostics: connected.diagnostics };
  }
  const caching = cacheEnabled(process.env);
  // `plan` may find that an earlier plan on this configuration and state found nothing to do
  // (../../apply/no-change.ts): CleverTap is then asked over its windows, state's rows unread.
  const noChange = command === 'plan' && caching ? NoChangeMemo.read(project) : undefined;
  // Read-only commands ask CleverTap now and hash the project while the answer travels.
  const early =
    command === 'plan' || command === 'drift'
      ? await startEarlyRefresh(state.store, connected.connection.client, { accountTimezone: project.environment.accountTimezone, windows: noChange?.windows })
      : undefined;
  if (early) out.debug(`refresh: CleverTap asked over ${early.windows.length} windows (${early.rows ? `${early.rows.length} state rows read` : 'of the no-change record'})`);
  await noChange?.check(project, state.store);
  if (noChange) out.debug(`no-change record: ${noChange.candidate ? 'made on this configuration and state' : noChange.windows ? 'made on another configuration or state' : 'none'}`);
  const memo = caching ? openDesiredMemo(project) : undefined;
  const git = await gitting;
  out.debug(`state: ${state.location}; CleverTap: ${connected.connection.describe}`);
  const session: PlanSession = {
    out,
    project,
    connection: connected.connection,
    store: state.store,
    git,
    provenance: { command, git },
    notCreatedGraceMs: notCreatedGrace(connected.connection),
    memo,
    early,
    noChange,
    async close() {
      memo?.save();
      await connected.connection.close();
      await state.store.close();
    },
  };
  return { ok: true, session };
}

/**
 * The read-back grace of a connection (see PlanSession.notCreatedGraceMs): 0 for the embedded
 * emulator, a minute for anything else. CAMPAIGNCTL_READBACK_GRACE_SECONDS overrides it for an
 * endpoint known to commit before it answers, e.g. `campaignctl sandbox serve` in tests and demos.
 */
export function notCreatedGrace(connection: Pick<Connection, 'isSandbox'>, environ: Record<string, string | undefined> = process.env): number {
  const override = environ.CAMPAIGNCTL_READBACK_GRACE_SECONDS?.trim();
  if (override && /^\d+$/.test(override)) return Number(override) * 1000;
  return connection.isSandbox ? 0 : 60_000;
}

/** One line that says where the plan runs; for the sandbox, plainly that nothing is real. */
export function targetLine(session: PlanSession): string {
  const env = session.project.environmentName;
  return session.connection.isSandbox
    ? `Environment ${env}: the embedded SANDBOX (a local CleverTap emulator; nothing reaches a real account).`
    : `Environment ${env}: ${session.connection.describe}.`;
}
