/**
 * How the operator actions that change state or CleverTap outside a plan (`stop`, `import`,
 * `state rm`, `state resolve`) run: the apply lock first, then, for those that talk to CleverTap,
 * the connection, then who runs it. The lock comes before ctx.connect() because the embedded
 * emulator shares its account file: a refused run must not open it. The lock is released however
 * `run` ends.
 *
 * A refusal is data, never an exception: another run holds the lock (`locked`, with the holder),
 * or the operation will not do what it was asked (`problems`: bad input, an unknown address,
 * missing credentials, ...). Either way nothing was changed. A refusal may carry more fields (what
 * was searched, the lock held now) that a caller shows along with the diagnostics.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Connection } from './connect.js';
import type { OperationContext } from './context.js';
import { takeLock, type LockRefusal } from './lock.js';
import type { OperatorProvenance } from './operator.js';

/** Another run holds the apply lock. `what` names the refused operation (`stop`, `state rm`). */
export interface Locked {
  ok: false;
  refused: 'locked';
  lock: LockRefusal;
  what: string;
}

/** The operation refused with these problems. */
export interface Problems {
  ok: false;
  refused: 'problems';
  diagnostics: Diagnostic[];
}

export type Refusal = Locked | Problems;

export function problems(diagnostics: Diagnostic[]): Problems {
  return { ok: false, refused: 'problems', diagnostics };
}

/** A result that is a refusal (its `ok` alone does not say: a stop with a failed campaign is not ok either). */
export function isRefusal<T extends object>(result: T | Refusal): result is Refusal {
  return 'refused' in result;
}

/** Runs `run` holding the apply lock, recorded as `lockCommand`; refused: `run` never runs. */
export async function underLock<T>(ctx: OperationContext, lockCommand: string, what: string, run: () => Promise<T>): Promise<T | Locked> {
  const taken = await takeLock(ctx.store, lockCommand);
  if (!taken.ok) return { ok: false, refused: 'locked', lock: taken.refusal, what };
  try {
    return await run();
  } finally {
    await taken.release();
  }
}

export interface OperatorSession extends OperatorProvenance {
  connection: Connection;
}

/** underLock, then CleverTap and the operator's provenance (`what` as its command). */
export async function connectedUnderLock<T>(
  ctx: OperationContext,
  lockCommand: string,
  what: string,
  run: (session: OperatorSession) => Promise<T>,
): Promise<T | Locked | Problems> {
  return underLock(ctx, lockCommand, what, async () => {
    const connected = await ctx.connect();
    if (!connected.ok) return problems(connected.diagnostics);
    const operator = await ctx.operator(what);
    return run({ connection: connected.value, ...operator });
  });
}
