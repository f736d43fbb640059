/**
 * What every operation is given: the project, its state store, CleverTap, one clock, git, an
 * event sink and what printed commands point at. The CLI opens one per command; the daemon one
 * per environment, kept open; tests and other programs call openContext like the CLI does.
 *
 * CleverTap is opened on first need and explicitly (`connect()`): opening it starts the embedded
 * emulator, which shares its account file, so commands that take the apply lock connect only once
 * they hold it. Nothing here knows commander, stdout, colours or exit codes.
 *
 * loadContext is the CLI's way in for `plan`, `apply` and `drift`: state (and for `plan`/`drift`
 * CleverTap and the refresh they start, ./plan-inputs.ts) open as soon as the environment is
 * certain, while the project's files are still checked.
 */
import type { DesiredMemo } from '../apply/desired.js';
import { openDesiredMemo } from '../project-index/load.js';
import { cacheEnabled } from '../project-index/persist.js';
import type { LoadOptions, Project, ProjectHead } from '../config/project.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { gitInfo, type GitInfo } from '../git/repo.js';
import { planningGit, readHeadCommit } from './plan-git.js';
import type { StateStore } from '../state/store.js';
import { now as processClock } from '../time/clock.js';
import { connect as openConnection, openState, type ConnectOptions, type Connection, type OpenStateResult } from './connect.js';
import { IGNORE_EVENTS, type EventSink } from './events.js';
import { operatorProvenance, type OperatorProvenance } from './operator.js';

export type Opened<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

export interface OperationContext {
  /** The loaded project, one environment resolved. */
  readonly project: Project;
  /** The environment's state. */
  readonly store: StateStore;
  /** Where the state lives, for messages (`.campaignctl/live.db`; a URL without its password). */
  readonly stateLocation: string;
  /** CleverTap (the embedded sandbox or a real account); opened on the first call, the same one after. */
  connect(): Promise<Opened<Connection>>;
  /** The one clock (CAMPAIGNCTL_NOW in the CLI, a fake in tests). */
  readonly clock: () => Date;
  /** The project's git facts, asked once (three git processes) and kept. */
  git(): Promise<GitInfo>;
  /** Who runs an operator action (git identity, else the login) and the commit, asked once. */
  operator(command: string): Promise<OperatorProvenance>;
  readonly events: EventSink;
  /**
   * Keep what planning derives in `.campaignctl/cache/` (the no-change record, spec hashes) and use
   * it again; false or absent: an operation writes nothing there.
   */
  readonly caching?: boolean;
  /** What the commands an operation prints (retries, `state resolve`, `force-unlock`) point at. */
  readonly target: CommandTarget;
  /**
   * The spec hashes of a project kept in memory across operations (the daemon's project index);
   * when set, planning uses it instead of the persisted index's.
   */
  readonly desiredMemo?: DesiredMemo;
  /** Closes the connection (if opened) and the state store. */
  close(): Promise<void>;
}

export interface ContextOptions {
  events?: EventSink;
  clock?: () => Date;
  /** Default: the project's environment, no --dir. */
  target?: CommandTarget;
  /** Client hooks, emulator settings and where credentials are read (default process.env). */
  connect?: ConnectOptions;
  /**
   * Let operations keep and reuse their records in `.campaignctl/cache/` (see
   * OperationContext.caching); default false, so a library call never writes into the project.
   * CAMPAIGNCTL_CACHE=off (in connect.environ, else process.env) turns it off.
   */
  cache?: boolean;
}

/** Opens the project's state; CleverTap waits for connect(). Problems come back as diagnostics. */
export async function openContext(project: Project, opts: ContextOptions = {}): Promise<Opened<OperationContext>> {
  const state = await openState(project);
  if (!state.ok) return state;
  return { ok: true, value: contextOf(project, state, opts) };
}

type OpenedState = Extract<OpenStateResult, { ok: true }>;

/** What was opened for a project before it was loaded (loadContext), handed to the context. */
interface Started {
  connecting?: Promise<Opened<Connection>>;
  git?: Promise<GitInfo>;
  /** git's facts asked when first needed, instead of `git` (a plan's: ./plan-git.ts). */
  gitWhenAsked?: () => Promise<GitInfo>;
}

function contextOf(project: Project, state: OpenedState, opts: ContextOptions, started: Started = {}): OperationContext {
  let connecting = started.connecting;
  let git = started.git;
  const operators = new Map<string, Promise<OperatorProvenance>>();
  const events = opts.events ?? IGNORE_EVENTS;
  for (const w of state.warnings ?? []) events({ kind: 'notice', text: `warning  ${w.code}  ${w.message}${w.hint ? `; ${w.hint}` : ''}` });
  return {
    project,
    store: state.store,
    stateLocation: state.location,
    connect: () => (connecting ??= connectFor(project, state, opts)),
    clock: opts.clock ?? processClock,
    git: () => (git ??= started.gitWhenAsked?.() ?? gitInfo(project.root)),
    operator: (command) => {
      let found = operators.get(command);
      if (!found) operators.set(command, (found = operatorProvenance(project.root, command)));
      return found;
    },
    events,
    caching: cachingOf(opts),
    target: opts.target ?? { env: project.environmentName },
    async close() {
      const opened = connecting && (await connecting);
      if (opened?.ok) await opened.value.close();
      await state.store.close();
    },
  };
}

/** CleverTap for a project (or its head), said once in a debug event. */
function connectFor(head: ProjectHead, state: OpenedState, opts: Pick<ContextOptions, 'connect' | 'events'>): Promise<Opened<Connection>> {
  return openConnection(head, opts.connect).then((r): Opened<Connection> => {
    if (!r.ok) return r;
    (opts.events ?? IGNORE_EVENTS)({ kind: 'debug', text: `state: ${state.location}; CleverTap: ${r.connection.describe}` });
    return { ok: true, value: r.connection };
  });
}

/** What a long-running caller (the daemon) opened once and keeps across operations. */
export interface KeptOpen {
  store: StateStore;
  /** Where the state lives, for messages. */
  location: string;
  /** CleverTap, opened on first need and kept (the caller closes it). */
  connect(): Promise<Opened<Connection>>;
  /** The project's git facts for this project as loaded (a commit checked out, or the folder now). */
  git(): Promise<GitInfo>;
  desiredMemo?: DesiredMemo;
}

/**
 * A context over a project and what the caller keeps open: the daemon builds one per reconcile
 * on the project as last loaded. Its close() closes nothing: the store and the connection outlive
 * it and are the caller's to close.
 */
export function keptOpenContext(project: Project, kept: KeptOpen, opts: Omit<ContextOptions, 'connect'> = {}): OperationContext {
  const operators = new Map<string, Promise<OperatorProvenance>>();
  return {
    project,
    store: kept.store,
    stateLocation: kept.location,
    connect: kept.connect,
    clock: opts.clock ?? processClock,
    git: kept.git,
    operator: (command) => {
      let found = operators.get(command);
      if (!found) operators.set(command, (found = operatorProvenance(project.root, command)));
      return found;
    },
    events: opts.events ?? IGNORE_EVENTS,
    caching: false,
    target: opts.target ?? { env: project.environmentName },
    desiredMemo: kept.desiredMemo,
    close: async () => undefined,
  };
}

export interface LoadContextOptions extends Omit<ContextOptions, 'target'> {
  /** What printed commands point at, once the project's environment is known; default its name. */
  target?: (project: ProjectHead) => CommandTarget;
  /**
   * Start what `plan` or `drift` asks first (CleverTap, the refresh, the no-change record) as soon
   * as the environment is certain, so it travels while the files are checked. Without it only
   * state and git are opened early (`apply` connects only once it holds the lock).
   */
  headStart?: 'plan' | 'drift';
}

export type LoadedContext = { ok: true; ctx: OperationContext } | { ok: false; project: Project; diagnostics: Diagnostic[] };

/**
 * Loads the project with `load` (which passes what it is given on to loadProject) and opens its
 * context. A project with errors comes back with its diagnostics, nothing left open.
 *
 * The project index is saved once, when the operation is done with it (closing the context saves
 * what planning added, the spec hashes), or now when no context comes back: see deferIndexSave.
 */
export async function loadContext(
  load: (how: Required<Pick<LoadOptions, 'whileChecking' | 'deferIndexSave' | 'deferResults'>>) => Promise<Project>,
  opts: LoadContextOptions = {},
): Promise<LoadedContext> {
  let early: Promise<{ state: OpenStateResult; started: Started }> | undefined;
  const whileChecking = async (head: ProjectHead) => {
    early = openEarly(head, opts);
    await early;
  };
  // A plan reads the files' checked results only when its no-change record does not answer (../operations/plan.ts).
  const project = await load({ whileChecking, deferIndexSave: true, deferResults: opts.headStart === 'plan' });
  const saveIndex = () => void openDesiredMemo(project)?.save();
  const context: ContextOptions = { ...opts, target: opts.target?.(project) };
  if (hasErrors(project.diagnostics)) {
    saveIndex();
    const opened = await early;
    if (opened?.state.ok) await contextOf(project, opened.state, context, opened.started).close();
    return { ok: false, project, diagnostics: project.diagnostics };
  }
  const { state, started } = await (early ?? openEarly(project, opts));
  if (!state.ok) {
    saveIndex();
    return { ok: false, project, diagnostics: state.diagnostics };
  }
  const ctx = contextOf(project, state, context, started);
  return {
    ok: true,
    ctx: {
      ...ctx,
      async close() {
        saveIndex();
        await ctx.close();
      },
    },
  };
}

/** State and git, and with a head start CleverTap and the refresh; what fails is for the operation to report. */
async function openEarly(head: ProjectHead, opts: LoadContextOptions): Promise<{ state: OpenStateResult; started: Started }> {
  if (opts.headStart) return openForPlanning(head, opts, opts.headStart);
  // git runs as child processes (three, one after another; `status` is slow on a big tree): they
  // start now and run while state is opened.
  const git = gitInfo(head.root);
  git.catch(() => undefined); // awaited by the operation; this only keeps an early return from leaving it unhandled
  return { state: await openState(head), started: { git } };
}

/**
 * `plan` and `drift`: state, then CleverTap and the refresh, while the files are still checked.
 * git: HEAD's commit only (./plan-git.ts), started now; the dirty flag and author are asked only
 * if the plan records something.
 */
async function openForPlanning(head: ProjectHead, opts: LoadContextOptions, command: 'plan' | 'drift'): Promise<{ state: OpenStateResult; started: Started }> {
  const headCommit = readHeadCommit(head.root);
  headCommit.catch(() => undefined); // awaited by the operation; this only keeps an early return from leaving it unhandled
  const state = await openState(head);
  if (!state.ok) return { state, started: {} };
  const gitWhenAsked = () => planningGit(head.root, state.store, headCommit);
  const connecting = connectFor(head, state, opts);
  const connected = await connecting;
  if (connected.ok) {
    // Loaded only for `plan` and `drift`: other commands never need the refresh's code.
    const { beginHeadStart } = await import('./plan-inputs.js');
    await beginHeadStart({
      head,
      store: state.store,
      client: connected.value.client,
      command,
      caching: cachingOf(opts),
      events: opts.events ?? IGNORE_EVENTS,
    });
  }
  return { state, started: { gitWhenAsked, connecting } };
}

function cachingOf(opts: Pick<ContextOptions, 'cache' | 'connect'>): boolean {
  return opts.cache === true && cacheEnabled(opts.connect?.environ ?? process.env);
}
