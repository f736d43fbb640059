/**
 * How `plan`, `apply` and `drift` build the context their operation runs in: the project loaded as
 * every command loads it (./project.ts; its warnings printed in text mode), the caches on unless
 * CAMPAIGNCTL_CACHE=off, printed commands pointing at this run's --env and --dir, and the
 * operation's events rendered on the output (`more` renders a command's own events first).
 */
import type { Output } from '../context.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { loadContext, type LoadedContext } from '../../operations/context.js';
import type { EventSink, OperationEvent } from '../../operations/events.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './project.js';

export interface CommandContextOptions {
  /** Renders the command's own events; returns false for those it leaves to the common rendering. */
  more?: (event: OperationEvent) => boolean;
  /** `plan` and `drift`: ask CleverTap while the project's files are checked. */
  headStart?: 'plan' | 'drift';
}

export async function openCommandContext(out: Output, opts: CommandContextOptions = {}): Promise<LoadedContext> {
  const loaded = await loadContext((whileChecking) => loadProjectFor(out, { whileChecking }), {
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

function commandEvents(out: Output, more: CommandContextOptions['more']): EventSink {
  return (event) => {
    if (more?.(event)) return;
    if (event.kind === 'debug') out.debug(event.text);
    else if (event.kind === 'notice') out.info(event.text);
    else if (event.kind === 'plan-step') out.debug(`plan: ${event.step}`);
  };
}
