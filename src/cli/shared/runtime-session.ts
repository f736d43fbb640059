/**
 * What `send`, `trigger` and `raise` share around the runtime operations: finding the contract by
 * name (`order-shipped` or `message.order-shipped`), deciding which project problems block it, and
 * opening a RuntimeContext (client through connect.ts, the state store for the audit history, the
 * render context, who ran it from which commit). Ctrl-C stops starting new batches; the batches in
 * flight finish and are reported.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Project } from '../../config/project.js';
import { closest } from '../../diagnostics/suggest.js';
import { createTemplateEngine } from '../../templates/engine.js';
import { renderContext } from '../../apply/desired.js';
import { ADDRESS_PREFIX, type Kind, type Resource } from '../../model/resource.js';
import type { RuntimeContext, RuntimeHooks } from '../../runtime/context.js';
import type { StateStore } from '../../state/store.js';
import { NO_ENVIRONMENT_CODES } from '../../config/pick-environment.js';
import type { CommandTarget } from '../../diagnostics/command-line.js';
import type { Output } from '../context.js';
import { openStateAndConnection, type Connection } from '../../operations/connect.js';
import { operatorProvenance } from '../../operations/operator.js';
import { now as clockNow } from '../../time/clock.js';

export type Found<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** The contract of `kind` named `name` (bare or as its address), with the problems that block it. */
export function findContract<S>(project: Project, kind: Kind, name: string): Found<Resource<S>> {
  const prefix = ADDRESS_PREFIX[kind];
  const address = name.startsWith(`${prefix}.`) ? name : `${prefix}.${name}`;
  // Problems of this contract, and of the environment (campaignctl.yaml), block the send; other
  // files' problems do not (a broken campaign must not stop transactional messages).
  const blocking = project.diagnostics.filter(
    (d) => d.severity === 'error' && (d.address === address || d.file === undefined || d.file === 'campaignctl.yaml'),
  );
  // Without an environment no resource was loaded: "no such contract" would only mislead.
  if (blocking.some((d) => NO_ENVIRONMENT_CODES.has(d.code))) return { ok: false, diagnostics: blocking };
  const resource = project.resources.find((r) => r.address === address);
  if (!resource) {
    const known = project.resources.filter((r) => r.kind === kind).map((r) => r.name);
    const bare = address.slice(prefix.length + 1);
    const missing = diagnostic('runtime.unknown-contract', { kind, name: bare, known, suggestion: closest(bare, known) });
    // A contract whose file does not pass its schema is not loaded: its errors explain why.
    const fileErrors = project.diagnostics.filter((d) => d.severity === 'error' && d.file !== undefined && d.file.includes(bare));
    return { ok: false, diagnostics: [...blocking, ...fileErrors, missing] };
  }
  const own = project.diagnostics.filter((d) => d.severity === 'error' && d.file === resource.source.file);
  const problems = dedupe([...blocking, ...own]);
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  return { ok: true, value: resource as Resource<S> };
}

export interface RuntimeSession {
  ctx: RuntimeContext;
  connection: Connection;
  store: StateStore;
  close(): Promise<void>;
}

/** Connects (embedded sandbox or CleverTap) and opens the state; problems come back as diagnostics. */
export async function openRuntime(
  project: Project,
  command: string,
  opts: { commandTarget: CommandTarget; hooks?: RuntimeHooks; signal?: AbortSignal; now?: Date },
): Promise<Found<RuntimeSession>> {
  const opened = await openStateAndConnection(project);
  if (!opened.ok) return opened;
  const { connection, close } = opened;
  const store = opened.state.store;
  // The audit names who ran the send (git identity or login) and the commit the contract came from.
  const { provenance } = await operatorProvenance(project.root, command);
  const ctx: RuntimeContext = {
    client: connection.client,
    store,
    render: renderContext(project, createTemplateEngine({ partials: project.partials }), opts.now ?? clockNow()),
    provenance,
    commandTarget: opts.commandTarget,
    parallel: project.environment.limits.concurrency,
    hooks: opts.hooks,
    signal: opts.signal,
  };
  return {
    ok: true,
    value: {
      ctx,
      connection,
      store,
      close,
    },
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

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
