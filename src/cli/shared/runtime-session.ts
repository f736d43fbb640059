/**
 * What `send`, `trigger`, `raise` and `run-due` share on the command line around their operations:
 * the operation context (its events drawn on the output, printed commands pointing at this run's
 * environment and --dir), and Ctrl-C: the first SIGINT / SIGTERM stops starting new batches; the
 * batches in flight finish and are reported.
 */
import type { Project } from '../../config/project.js';
import { openContext, type Opened, type OperationContext } from '../../operations/context.js';
import type { EventSink } from '../../operations/events.js';
import type { Output } from '../context.js';
import { commandTarget } from './project.js';

/** The context a runtime command's operation runs in; problems opening the state come back as diagnostics. */
export function openRuntimeCommand(out: Output, project: Project): Promise<Opened<OperationContext>> {
  return openContext(project, { events: runtimeEvents(out), target: commandTarget(out, project) });
}

/** Events as the runtime commands show them: details and each settled call under --verbose. */
export function runtimeEvents(out: Output): EventSink {
  return (event) => {
    switch (event.kind) {
      case 'debug':
        return out.debug(event.text);
      case 'notice':
        return out.info(event.text);
      case 'send.batch':
        return out.debug(`call ${event.done}/${event.total} (batch ${event.batch}): ${event.status}, ${event.identities} identities`);
      default:
        return undefined;
    }
  };
}

/** Aborts on the first Ctrl-C / SIGTERM (telling the user what happens next); `dispose` unhooks. */
export function interruptOnSignal(out: Output, what: string): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = () => {
    if (!abort.signal.aborted) out.error(`Interrupted: finishing the ${what} in flight; the rest is not sent and is listed as failed.`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
