/**
 * The `schedule_cursors` table (see CursorStore): a coordination table, so no write here calls
 * `recorded()` and the serial never moves for it. ISO-8601 UTC strings compare in time order.
 */
import type { CursorStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

export function get(c: Ctx, address: string): string | null {
  const row = c.stmt('SELECT cursor FROM schedule_cursors WHERE address = ?').get(address) as { cursor: string } | undefined;
  return row?.cursor ?? null;
}

export function advance(c: Ctx, address: string, at: string, reset: boolean): string {
  const before = get(c, address);
  if (before !== null && !reset && before >= at) return before;
  c.stmt(
    `INSERT INTO schedule_cursors (address, cursor, updated_at) VALUES (@address, @at, @now)
     ON CONFLICT (address) DO UPDATE SET cursor = @at, updated_at = @now`,
  ).run({ address, at, now: c.now() });
  return at;
}

export function cursorStore(x: Executor): CursorStore {
  return {
    get: (address) => x.read((c) => get(c, address)),
    take: async (address, opts = {}) => {
      if (opts.advanceTo !== undefined) await x.write((c) => advance(c, address, new Date(opts.advanceTo!).toISOString(), false));
      return true;
    },
    advance: (address, at, opts = {}) => x.write((c) => advance(c, address, new Date(at).toISOString(), opts.reset === true)),
    delete: (address) => x.write((c) => c.stmt('DELETE FROM schedule_cursors WHERE address = ?').run(address).changes > 0),
  };
}
