/**
 * State, apply lock and CleverTap connection, as the commands that change CleverTap outside a
 * plan (`import`, `stop`) open them: the state first, then the lock (refused: the state is closed
 * and the holder shown), then the connection. Whatever `run` does, everything is closed again in
 * reverse order. Problems on the way are printed as diagnostics (exit 1).
 */
import type { Output } from '../context.js';
import { failWith, refuseLocked } from '../views/state-common.js';
import { connect, openState, type Connection } from '../../operations/connect.js';
import { takeLock } from '../../operations/lock.js';
import { operatorProvenance } from '../../operations/operator.js';
import { commandTarget } from './project.js';
import type { Provenance } from '../../state/record.js';
import type { Project } from '../../config/project.js';
import type { StateStore } from '../../state/store.js';

export interface LockedConnection {
  store: StateStore;
  connection: Connection;
  /** Who runs the command: the git identity, else $USER. */
  by: string;
  /** `what` as the command, with the project's git state and `by` as its author. */
  provenance: Provenance;
}

/**
 * Runs `run` holding the lock with an open state and connection. `lockCommand` is what the lock
 * records (`stop campaign.a`); `what` names the command in a refusal and in the provenance.
 */
export async function withLockedConnection(
  out: Output,
  project: Project,
  lockCommand: string,
  what: string,
  run: (session: LockedConnection) => Promise<number>,
): Promise<number> {
  const opened = await openState(project);
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  const store = opened.store;
  const taken = await takeLock(store, lockCommand);
  if (!taken.ok) {
    await store.close();
    return refuseLocked(out, taken.refusal, what, commandTarget(out, project));
  }
  try {
    const connected = await connect(project);
    if (!connected.ok) return failWith(out, project.root, connected.diagnostics);
    const { connection } = connected;
    try {
      const { by, provenance } = await operatorProvenance(project.root, what);
      return await run({ store, connection, by, provenance });
    } finally {
      await connection.close();
    }
  } finally {
    await taken.release();
    await store.close();
  }
}
