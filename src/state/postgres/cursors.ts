/**
 * The `schedule_cursors` table (see CursorStore): a coordination table, so no write here calls
 * `recorded()` and the serial never moves for it. advance() is one upsert that locks the row until
 * the transaction ends, even when it leaves the cursor where it was. A tick's claim transaction
 * (src/schedule/fire.ts) first take()s the row with FOR UPDATE SKIP LOCKED: a replica that finds
 * it held moves on instead of waiting, since the holder is deciding that schedule's tick.
 */
import type { CursorStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

async function get(c: Ctx, address: string): Promise<string | null> {
  const [row] = await c.rows<{ cursor: string }>('SELECT cursor FROM schedule_cursors WHERE address = $1', [address]);
  return row?.cursor ?? null;
}

async function advance(c: Ctx, address: string, at: string, reset: boolean): Promise<string> {
  const [moved] = await c.rows<{ cursor: string }>(
    `INSERT INTO schedule_cursors (address, cursor, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (address) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
     WHERE $4 OR schedule_cursors.cursor < excluded.cursor COLLATE "C"
     RETURNING cursor`,
    [address, at, c.now(), reset],
  );
  return moved?.cursor ?? (await get(c, address))!;
}

/**
 * One round trip: the row locked if free (SKIP LOCKED), and whether it exists at all. A row that
 * exists but was not locked is held by another transaction; no row means nothing to hold yet.
 */
const TAKE = `WITH mine AS (SELECT 1 FROM schedule_cursors WHERE address = $1 FOR UPDATE SKIP LOCKED)
  SELECT EXISTS (SELECT 1 FROM mine) AS mine, EXISTS (SELECT 1 FROM schedule_cursors WHERE address = $1) AS present`;

async function take(c: Ctx, address: string): Promise<boolean> {
  const [r] = await c.rows<{ mine: boolean; present: boolean }>(TAKE, [address]);
  return r!.mine || !r!.present;
}

export function cursorStore(x: Executor): CursorStore {
  return {
    get: (address) => x.read((c) => get(c, address)),
    // A read, not a write: it changes no row, so it needs no savepoint (one round trip less per tick).
    take: (address) => x.read((c) => take(c, address)),
    advance: (address, at, opts = {}) => x.write((c) => advance(c, address, new Date(at).toISOString(), opts.reset === true)),
    delete: (address) => x.write(async (c) => (await c.run('DELETE FROM schedule_cursors WHERE address = $1', [address])) > 0),
  };
}
