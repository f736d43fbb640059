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
 * One round trip: the row locked if free (SKIP LOCKED), moved forward to $2 when one is given and
 * it was locked here, and whether the row exists at all. A row that exists but was not locked is
 * held by another transaction; no row means nothing to hold yet.
 */
export const TAKE = `WITH mine AS (SELECT address FROM schedule_cursors WHERE address = $1 FOR UPDATE SKIP LOCKED),
  moved AS (
    UPDATE schedule_cursors c SET cursor = $2, updated_at = $3 FROM mine
    WHERE $2::text IS NOT NULL AND c.address = mine.address AND c.cursor < $2 COLLATE "C" RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM mine) AS mine, EXISTS (SELECT 1 FROM schedule_cursors WHERE address = $1) AS present,
    (SELECT count(*) FROM moved) AS moved`;

export interface TakeRow {
  mine: boolean;
  present: boolean;
}

export function takeParams(c: Ctx, address: string, advanceTo: string | null): unknown[] {
  return [address, advanceTo, c.now()];
}

/**
 * What TAKE's row means: true when the cursor is this transaction's. No row yet: the upsert
 * creates it (and locks it until the transaction ends); `created` says so, since whatever was
 * read in the same message as TAKE was read before that lock.
 */
export async function afterTake(c: Ctx, address: string, advanceTo: string | null, r: TakeRow): Promise<'mine' | 'created' | 'held'> {
  if (r.mine) return 'mine';
  if (r.present) return 'held';
  if (advanceTo !== null) await advance(c, address, advanceTo, false);
  return 'created';
}

async function take(c: Ctx, address: string, advanceTo: string | null): Promise<boolean> {
  const [r] = await c.rows<TakeRow>(TAKE, takeParams(c, address, advanceTo));
  return (await afterTake(c, address, advanceTo, r!)) !== 'held';
}

export function cursorStore(x: Executor): CursorStore {
  return {
    get: (address) => x.read((c) => get(c, address)),
    // Without advanceTo a read (it changes no row, so no savepoint); with it a write, whose
    // savepoint travels with the statement (./wire.ts).
    take: (address, opts = {}) =>
      opts.advanceTo === undefined ? x.read((c) => take(c, address, null)) : x.write((c) => take(c, address, new Date(opts.advanceTo!).toISOString())),
    advance: (address, at, opts = {}) => x.write((c) => advance(c, address, new Date(at).toISOString(), opts.reset === true)),
    delete: (address) => x.write(async (c) => (await c.run('DELETE FROM schedule_cursors WHERE address = $1', [address])) > 0),
  };
}
