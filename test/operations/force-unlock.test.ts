/**
 * operations.forceUnlock in process on a real SQLite state: only the exact id of the lock held now
 * removes it; anything else is a refusal as data, with the lock held now. Nothing is printed.
 */
import { describe, expect, it } from 'vitest';
import { forceUnlock } from '../../src/operations/force-unlock.js';
import type { OperationContext } from '../../src/operations/context.js';
import type { TempProject } from '../apply/helpers.js';
import { lockHeldElsewhere, useOperationFixture } from './helpers.js';

let tp: TempProject;
let ctx: OperationContext;
useOperationFixture((f) => ({ tp, ctx } = f));

describe('forceUnlock', () => {
  it('removes the lock only by its exact id, and says which lock is held when the id is wrong', async () => {
    const held = await lockHeldElsewhere(tp);
    try {
      const wrong = await forceUnlock(ctx, { id: 'zzzzzzzzzz' });
      expect(wrong).toMatchObject({ ok: false, refused: 'problems', lock: { id: held.holder.id, host: 'ci-runner-7', pid: 4242 } });
      if (wrong.ok) throw new Error('expected a refusal');
      expect(wrong.diagnostics).toHaveLength(1);
      expect(wrong.diagnostics[0]).toMatchObject({ code: 'lock.id-mismatch' });
      // What to run instead names this environment and the exact id.
      expect(wrong.diagnostics[0]!.hint).toContain(`campaignctl --env test force-unlock ${held.holder.id}`);
      expect((await ctx.store.lock.current())?.id).toBe(held.holder.id);

      const right = await forceUnlock(ctx, { id: held.holder.id });
      expect(right).toEqual({ ok: true, removed: held.holder });
      expect(await ctx.store.lock.current()).toBeNull();
    } finally {
      await held.release();
    }
  });

  it('with no lock held: a refusal saying so, with no lock', async () => {
    const result = await forceUnlock(ctx, { id: 'a1b2c3d4e5' });
    expect(result).toMatchObject({ ok: false, refused: 'problems', lock: null, diagnostics: [{ code: 'lock.not-held', message: 'no lock is held: nothing to remove (asked for a1b2c3d4e5)' }] });
  });
});
