/**
 * The emergency stop: the managed campaigns named (addresses, or labels recorded in state) are
 * stopped on CleverTap now, without a plan or a YAML edit, under the apply lock, each recorded in
 * the audit history with who (the operator) and why (`reason`). ../apply/stop-now.ts does the
 * stopping; this is the order around it: lock, connect, settle what an interrupted run left open,
 * select, stop. One `stop.outcome` event per campaign.
 */
import { prepareDesired } from '../apply/desired.js';
import { applyMessages } from '../apply/messages.js';
import { settleOpenJournal } from '../apply/settle.js';
import { selectStopTargets, stopMessages, stopNow, type StopNowResult } from '../apply/stop-now.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { notCreatedGrace } from './connect.js';
import type { OperationContext } from './context.js';
import { connectedUnderLock, problems, type Locked, type Problems } from './under-lock.js';

export interface StopOptions {
  /** Resource addresses; a superseded leftover (`campaign.x@12`) is stopped with its resource. */
  addresses?: readonly string[];
  /** Every campaign whose labels recorded in state match all these pairs. */
  selector?: Readonly<Record<string, string>>;
  /** Why: recorded in the audit history (required). */
  reason: string;
}

export interface Stopped extends StopNowResult {
  /** The reason as recorded (trimmed). */
  reason: string;
  /** Who stopped them: the git identity, else the login. */
  by: string;
  /** Against the embedded sandbox (every output says so). */
  sandbox: boolean;
  /** Where the stops went, without credentials. */
  against: string;
  /** Writes of an interrupted run that could not be settled first (the stop went ahead). */
  warnings: Diagnostic[];
}

/** What makes a stop request unusable before anything is opened: nothing named, no reason. */
export function stopProblems(options: StopOptions, target: CommandTarget): Diagnostic[] {
  const found: Diagnostic[] = [];
  if ((options.addresses ?? []).length === 0 && !options.selector) found.push(stopMessages.nothingNamed(target));
  if (!options.reason?.trim()) found.push(stopMessages.reasonRequired());
  return found;
}

export async function stop(ctx: OperationContext, options: StopOptions): Promise<Stopped | Locked | Problems> {
  // An empty selector matches every campaign: it names nothing rather than everything.
  const selector = options.selector && Object.keys(options.selector).length > 0 ? options.selector : undefined;
  const invalid = stopProblems({ ...options, selector }, ctx.target);
  if (invalid.length > 0) return problems(invalid);
  const addresses = options.addresses ?? [];
  const reason = options.reason.trim();
  return connectedUnderLock(ctx, lockCommand(addresses, selector), 'stop', async ({ connection, by, provenance }) => {
    const { store, project } = ctx;
    ctx.events({ kind: 'debug', text: `stopping through ${connection.describe}` });

    // An interrupted run may have left writes open; settle them so the ids stopped are current.
    // Settling is the only reader of the desired state: hashing every resource is wasted time for
    // an emergency stop with nothing to settle (the usual case).
    const warnings: Diagnostic[] = [];
    const hasOpenRows = (await store.journal.listOpen()).length > 0;
    const settled = await settleOpenJournal({
      store,
      client: connection.client,
      provenance,
      now: ctx.clock,
      desired: hasOpenRows ? prepareDesired(project).byAddress : undefined,
      notCreatedGraceMs: notCreatedGrace(connection),
    });
    if (settled.unsettled.length > 0) warnings.push({ ...applyMessages.unsettled(settled.unsettled), severity: 'warning' });

    const selected = selectStopTargets(await store.resources.list(), { addresses, selector }, ctx.target);
    if (selected.diagnostics.length > 0) return problems([...warnings, ...selected.diagnostics]);

    const result = await stopNow(
      { store, client: connection.client, provenance, now: ctx.clock, onStopped: (outcome) => ctx.events({ kind: 'stop.outcome', outcome }) },
      { targets: selected.targets, reason, by },
    );
    return { ...result, reason, by, sandbox: connection.isSandbox, against: connection.describe, warnings };
  });
}

/** What the lock records, so a refused run sees what holds it: `stop campaign.a campaign.b`, `stop --selector team=ops`. */
function lockCommand(addresses: readonly string[], selector: Readonly<Record<string, string>> | undefined): string {
  const pairs = selector ? ['--selector', Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')] : [];
  return ['stop', ...addresses, ...pairs].join(' ');
}
