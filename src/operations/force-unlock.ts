/**
 * Removing the apply lock of a run that crashed or was killed, only when `id` is exactly the id of
 * the lock held now (every lock refusal shows it), so a lock taken since by another run is never
 * removed by mistake. Takes no lock itself and never talks to CleverTap.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
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
    return diagnostic('lock.not-held', { id });
  }
  return diagnostic('lock.id-mismatch', { id, current: current.id, holder: describeHolder(current), probablyStale: refusalFor(current).probablyStale, forceUnlock: forceUnlockCommand(current.id, ctx.target) });
}
