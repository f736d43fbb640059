/**
 * From an OperationContext to the RuntimeContext that src/runtime's sends are given: CleverTap
 * (connected here, on first need), the state for the audit history and the occurrence claims, the
 * render context at the operation's now, and who ran it from which commit. Batches run as many at
 * once as the environment's concurrency allows; the signal stops new ones from starting.
 */
import { renderContext } from '../apply/desired.js';
import { createTemplateEngine } from '../templates/engine.js';
import type { RuntimeContext, RuntimeHooks } from '../runtime/context.js';
import type { Connection } from './connect.js';
import type { OperationContext, Opened } from './context.js';

export interface OpenedRuntime {
  runtime: RuntimeContext;
  connection: Connection;
}

/** `command` is what the audit records name (`send`, `trigger`, `raise`, `run-due`). */
export async function openRuntimeContext(
  ctx: OperationContext,
  command: string,
  opts: { now: Date; hooks?: RuntimeHooks; signal?: AbortSignal },
): Promise<Opened<OpenedRuntime>> {
  const connected = await ctx.connect();
  if (!connected.ok) return connected;
  const connection = connected.value;
  // The audit names who ran the send (git identity or login) and the commit the contract came from.
  const { provenance } = await ctx.operator(command);
  const project = ctx.project;
  const runtime: RuntimeContext = {
    client: connection.client,
    store: ctx.store,
    render: renderContext(project, createTemplateEngine({ partials: project.partials }), opts.now),
    provenance,
    commandTarget: ctx.target,
    parallel: project.environment.limits.concurrency,
    hooks: opts.hooks,
    signal: opts.signal,
  };
  return { ok: true, value: { runtime, connection } };
}
