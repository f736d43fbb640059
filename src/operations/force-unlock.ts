/**
 * Removing the apply lock of a run that crashed or was killed, only when `id` is exactly the id of
 * the lock held now (every lock refusal shows it), so a lock taken since by another run is never
 * removed by mistake. Takes no lock itself and never talks to CleverTap.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LockHolder } from '../state/store.js';
import type { OperationContext } from './context.js';
import { describeHolder, forceUnlockCommand, refusalFor } from './lock.js';
import { problems, type Problems } from './under-lock.js';

export interface Unlocked {
  ok: true;
  /** The holder whose lock was removed. */
  removed: LockHolder;
}

/** Nothing was removed; `lock` is the lock held now (null: none). */
export interface NotUnlocked extends Problems {
  lock: LockHolder | null;
}

export async function forceUnlock(ctx: OperationContext, options: { id: string }): Promise<Unlocked | NotUnlocked> {
  const removed = await ctx.store.lock.forceUnlock(options.id);
  if (removed) return { ok: true, removed };
  const current = await ctx.store.lock.current();
  return { ...problems([notHeld(options.id, current, ctx)]), lock: current };
}

function notHeld(id: string, current: LockHolder | null, ctx: OperationContext): Diagnostic {
  if (current === null) {
    return { severity: 'error', code: 'lock.not-held', message: `no lock is held: nothing to remove (asked for ${id})` };
  }
  const stale = refusalFor(current).probablyStale ? ' (probably stale: that process no longer exists on this host)' : '';
  return {
    severity: 'error',
    code: 'lock.id-mismatch',
    message: `the lock is not ${id}: it is ${current.id}, held by ${describeHolder(current)}${stale}; nothing was removed`,
    hint: `force-unlock needs the exact id; if that run is really gone: ${forceUnlockCommand(current.id, ctx.target)}`,
  };
}
