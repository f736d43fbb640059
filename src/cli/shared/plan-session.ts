/**
 * What `plan`, `apply` and `drift` open before planning and close after: the project (its
 * diagnostics printed), the connection (sandbox or CleverTap), the state store and the git facts
 * every record carries. One place, so the three commands can not drift apart.
 */
import type { Output } from '../context.js';
import type { Project, ProjectHead } from '../../config/project.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { gitInfo, type GitInfo } from '../../git/repo.js';
import type { Provenance } from '../../state/record.js';
import type { StateStore } from '../../state/store.js';
import type { DesiredMemo } from '../../apply/desired.js';
import { openDesiredMemo } from '../../project-index/open.js';
import { NoChangeMemo } from '../../apply/no-change.js';
import { startEarlyRefresh, type EarlyRefresh } from '../../apply/refresh.js';
import { cacheEnabled } from '../../project-index/persist.js';
import { notCreatedGrace, openStateAndConnection, type Connection } from '../../operations/connect.js';
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
  // State, CleverTap and git need only the environment: when the persisted project index gives it, they
  // are opened (and CleverTap asked) before its files are checked, so the answer travels meanwhile.
  let around: Promise<Around> | undefined;
  const project = await loadProjectFor(out, {
    whileChecking: async (head) => {
      around = openAround(out, head, command);
      await around;
    },
  });
  if (hasErrors(project.diagnostics)) {
    const opened = await around;
    if (opened?.ok) await opened.close();
    return { ok: false, project, diagnostics: project.diagnostics };
  }
  if (!out.opts.json) printDiagnostics(out, project.root, project.diagnostics);
  const opened = await (around ?? openAround(out, project, command));
  if (!opened.ok) return { ok: false, project, diagnostics: opened.diagnostics };
  const { state, connection, noChange, early, caching } = opened;

  if (noChange) {
    noChange.check(project, opened.revision);
    out.debug(`no-change record: ${noChange.candidate ? 'made on this configuration and state' : 'none for this configuration and state'}`);
  }
  const memo = caching ? openDesiredMemo(project) : undefined;
  const git = await opened.git;
  const session: PlanSession = {
    out,
    project,
    connection,
    store: state.store,
    git,
    provenance: { command, git },
    notCreatedGraceMs: notCreatedGrace(connection),
    memo,
    early,
    noChange,
    async close() {
      memo?.save();
      await opened.close();
    },
  };
  return { ok: true, session };
}

type Around =
  | {
      ok: true;
      state: { store: StateStore; location: string };
      connection: Connection;
      git: Promise<GitInfo>;
      caching: boolean;
      /** The state revision, read before any state row (what the no-change record is keyed by). */
      revision: string;
      noChange?: NoChangeMemo;
      early?: EarlyRefresh;
      close(): Promise<void>;
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** What a plan session opens around the project: git, state, the connection, the early refresh. */
async function openAround(out: Output, head: ProjectHead, command: string): Promise<Around> {
  // git runs as child processes (three, one after another; `status` is slow on a big tree): they
  // start now and run while state and CleverTap are opened.
  const git = gitInfo(head.root);
  git.catch(() => undefined); // awaited by the session; this only keeps an early return from leaving it unhandled
  const opened = await openStateAndConnection(head);
  if (!opened.ok) return opened;
  const { state, connection, close } = opened;
  out.debug(`state: ${state.location}; CleverTap: ${connection.describe}`);
  const caching = cacheEnabled(process.env);
  const revision = await state.store.revision();
  // `plan` may find that an earlier plan on this configuration and state found nothing to do
  // (../../apply/no-change.ts): CleverTap is then asked over its windows, state's rows unread.
  const noChange = command === 'plan' && caching ? NoChangeMemo.read(head) : undefined;
  const zone = head.environment.accountTimezone;
  // Read-only commands ask CleverTap now and hash the project while the answer travels.
  const early =
    command === 'plan' || command === 'drift'
      ? await startEarlyRefresh(state.store, connection.client, { accountTimezone: zone, windows: noChange?.windowsFor(revision, zone) })
      : undefined;
  if (early) out.debug(`refresh: CleverTap asked over ${early.windows.length} windows (${early.rows ? `${early.rows.length} state rows read` : 'of the no-change record'})`);
  return { ok: true, state, connection, git, caching, revision, noChange, early, close };
}


/** One line that says where the plan runs; for the sandbox, plainly that nothing is real. */
export function targetLine(session: PlanSession): string {
  const env = session.project.environmentName;
  return session.connection.isSandbox
    ? `Environment ${env}: the embedded SANDBOX (a local CleverTap emulator; nothing reaches a real account).`
    : `Environment ${env}: ${session.connection.describe}.`;
}
