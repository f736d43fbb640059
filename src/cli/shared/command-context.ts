/**
 * How a command opens the OperationContext its operation runs in, in one place: the project loaded
 * as every command loads it (./project.ts), printed commands pointing at this run's --env and --dir,
 * and the operation's events drawn on the output (details under --verbose; results are printed at
 * the end, from the result).
 *
 * - openCommandContext: `plan`, `apply`, `drift`: load and open together (CleverTap asked while
 *   the files are checked), caches on unless CAMPAIGNCTL_CACHE=off, warnings printed in text mode.
 * - withContext: open on a loaded project, run, close (stop, import, run-due, schedules, resolve).
 * - withState: the whole recipe of the commands that only read or repair state (state list/show/rm,
 *   force-unlock): load, refuse on environment errors, open, run, close.
 * - openRuntimeCommand: `send`, `trigger`, `raise`.
 */
import type { Command } from 'commander';
import type { Project } from '../../config/project.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { loadContext, openContext, type LoadedContext, type Opened, type OperationContext } from '../../operations/context.js';
import type { EventSink, OperationEvent } from '../../operations/events.js';
import { createOutput, globalOptions, type Output } from '../context.js';
import { environmentErrors, failWith } from '../views/state-common.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './project.js';

/** Renders a command's own events first; returns false for those it leaves to commandEvents. */
export type MoreEvents = (event: OperationEvent) => boolean;

/** The events every command draws the same way, under --verbose unless a notice. */
export function commandEvents(out: Output, more?: MoreEvents): EventSink {
  return (event) => {
    if (more?.(event)) return;
    switch (event.kind) {
      case 'debug':
        return out.debug(event.text);
      case 'notice':
        return out.info(event.text);
      case 'plan-step':
        return out.debug(`plan: ${event.step}`);
      case 'import.searched':
        return out.debug(`targets/list.json ${event.window.from}-${event.window.to}: ${event.campaigns} campaigns`);
      case 'send.batch':
        return out.debug(`call ${event.done}/${event.total} (batch ${event.batch}): ${event.status}, ${event.identities} identities`);
      default:
        return undefined;
    }
  };
}

export interface CommandContextOptions {
  more?: MoreEvents;
  /** `plan` and `drift`: ask CleverTap while the project's files are checked. */
  headStart?: 'plan' | 'drift';
}

export async function openCommandContext(out: Output, opts: CommandContextOptions = {}): Promise<LoadedContext> {
  const loaded = await loadContext((how) => loadProjectFor(out, how), {
    events: commandEvents(out, opts.more),
    cache: true,
    target: (project) => commandTarget(out, project),
    headStart: opts.headStart,
  });
  const project = loaded.ok ? loaded.ctx.project : loaded.project;
  // Errors are the command's to report in its own format; warnings go first, whatever follows.
  if (!out.opts.json && !hasErrors(project.diagnostics)) printDiagnostics(out, project.root, project.diagnostics);
  return loaded;
}

/** The context on a loaded project; problems opening the state come back as diagnostics. */
export function openRuntimeCommand(out: Output, project: Project, opts: { clock?: () => Date } = {}): Promise<Opened<OperationContext>> {
  return openContext(project, { events: commandEvents(out), target: commandTarget(out, project), ...(opts.clock ? { clock: opts.clock } : {}) });
}

/** Opens the context, runs, closes it; a state that does not open is the command's error. */
export async function withContext(out: Output, project: Project, run: (ctx: OperationContext) => Promise<number>, opts: { clock?: () => Date } = {}): Promise<number> {
  const opened = await openRuntimeCommand(out, project, opts);
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
