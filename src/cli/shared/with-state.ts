/**
 * How a command opens the OperationContext it calls an operation with: the environment's state,
 * what printed commands point at (its --env and --dir), and the operation's events rendered on
 * this output. `withState` is the whole recipe of the commands that only read or repair state
 * (state list/show/rm, force-unlock): load the project, refuse on environment errors, open, run,
 * close.
 */
import type { Command } from 'commander';
import type { Project } from '../../config/project.js';
import { openContext, type OperationContext } from '../../operations/context.js';
import type { EventSink } from '../../operations/events.js';
import { createOutput, globalOptions, type Output } from '../context.js';
import { environmentErrors, failWith } from '../views/state-common.js';
import { commandTarget, loadProjectFor } from './project.js';

/** Opens the context, runs, closes it; a state that does not open is the command's error. */
export async function withContext(out: Output, project: Project, run: (ctx: OperationContext) => Promise<number>, opts: { clock?: () => Date } = {}): Promise<number> {
  const opened = await openContext(project, { target: commandTarget(out, project), events: eventsOn(out), ...(opts.clock ? { clock: opts.clock } : {}) });
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  try {
    return await run(opened.value);
  } finally {
    await opened.value.close();
  }
}

export async function withState(cmd: Command, run: (out: Output, ctx: OperationContext) => Promise<number>): Promise<number> {
  const out = createOutput(globalOptions(cmd));
  const project = await loadProjectFor(out);
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);
  return withContext(out, project, (ctx) => run(out, ctx));
}

/** The events these commands show while they run: details under --verbose; results are printed at the end, from the result. */
function eventsOn(out: Output): EventSink {
  return (event) => {
    if (event.kind === 'debug') out.debug(event.text);
    else if (event.kind === 'notice') out.info(event.text);
    else if (event.kind === 'import.searched') out.debug(`targets/list.json ${event.window.from}-${event.window.to}: ${event.campaigns} campaigns`);
  };
}
