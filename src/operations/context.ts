/**
 * What every operation is given: the project, its state store, CleverTap, one clock, git, an
 * event sink and what printed commands point at. The CLI opens one per command; the daemon one
 * per environment, kept open; tests and other programs call openContext like the CLI does.
 *
 * CleverTap is opened on first need and explicitly (`connect()`): opening it starts the embedded
 * emulator, which shares its account file, so commands that take the apply lock connect only once
 * they hold it. Nothing here knows commander, stdout, colours or exit codes.
 */
import type { Project } from '../config/project.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { gitInfo, type GitInfo } from '../git/repo.js';
import type { StateStore } from '../state/store.js';
import { now as processClock } from '../time/clock.js';
import { connect as openConnection, openState, type ConnectOptions, type Connection } from './connect.js';
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
  /** What the commands an operation prints (retries, `state resolve`, `force-unlock`) point at. */
  readonly target: CommandTarget;
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
}

/** Opens the project's state; CleverTap waits for connect(). Problems come back as diagnostics. */
export async function openContext(project: Project, opts: ContextOptions = {}): Promise<Opened<OperationContext>> {
  const state = await openState(project);
  if (!state.ok) return state;
  let connecting: Promise<Opened<Connection>> | undefined;
  let git: Promise<GitInfo> | undefined;
  const operators = new Map<string, Promise<OperatorProvenance>>();
  const ctx: OperationContext = {
    project,
    store: state.store,
    stateLocation: state.location,
    connect: () =>
      (connecting ??= openConnection(project, opts.connect).then((r): Opened<Connection> => (r.ok ? { ok: true, value: r.connection } : r))),
    clock: opts.clock ?? processClock,
    git: () => (git ??= gitInfo(project.root)),
    operator: (command) => {
      let found = operators.get(command);
      if (!found) operators.set(command, (found = operatorProvenance(project.root, command)));
      return found;
    },
    events: opts.events ?? IGNORE_EVENTS,
    target: opts.target ?? { env: project.environmentName },
    async close() {
      const opened = connecting && (await connecting);
      if (opened?.ok) await opened.value.close();
      await state.store.close();
    },
  };
  return { ok: true, value: ctx };
}
