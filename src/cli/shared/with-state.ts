/**
 * The recipe of commands that only read or repair state (state list/show/rm, force-unlock): load
 * the project, refuse on environment errors, open the environment's state store, run, close it.
 */
import type { Command } from 'commander';
import type { Project } from '../../config/project.js';
import type { StateStore } from '../../state/store.js';
import { createOutput, globalOptions, type Output } from '../context.js';
import { environmentErrors, failWith } from '../views/state-common.js';
import { openState } from '../../operations/connect.js';
import { loadProjectFor } from './project.js';

export type StateAction = (out: Output, project: Project, store: StateStore) => Promise<number>;

export async function withState(cmd: Command, run: StateAction): Promise<number> {
  const out = createOutput(globalOptions(cmd));
  const project = await loadProjectFor(out);
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);
  const opened = await openState(project);
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  try {
    return await run(out, project, opened.store);
  } finally {
    await opened.store.close();
  }
}
