/**
 * The `leases` table: one row per lease name, timed by the DATABASE's clock (now()), so replicas
 * whose clocks disagree still agree on who holds a lease. Every change takes the row with
 * SELECT … FOR UPDATE (a free placeholder row is inserted first when the name is new), so two
 * processes can not both take a lease. The row stays when a lease is released or expires (only its
 * holder fields change), so the epoch keeps growing across holders. Never bumps the serial.
 */
import type { LeaseHolder, LeaseRequest, LeaseResult, LeaseStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

interface Row {
  name: string;
  id: string;
  host: string;
  pid: number;
  command: string;
  since: string;
  heartbeat: string;
  expires_at: string;
  epoch: number;
}

/** A released (or never taken) lease has an empty id; its row keeps the epoch. */
const FREE = '';
const COLUMNS = 'name, id, host, pid, command, since, heartbeat, expires_at, epoch';

async function lockedRow(c: Ctx, name: string): Promise<Row> {
  await c.run(`INSERT INTO leases (${COLUMNS}) VALUES ($1, '', '', 0, '', '', '', '', 0) ON CONFLICT (name) DO NOTHING`, [name]);
  const [row] = await c.rows<Row>(`SELECT ${COLUMNS} FROM leases WHERE name = $1 FOR UPDATE`, [name]);
  return row!;
}

function holderOf(r: Row): LeaseHolder {
  return { name: r.name, id: r.id, host: r.host, pid: r.pid, command: r.command, since: r.since, heartbeat: r.heartbeat, expiresAt: r.expires_at, epoch: r.epoch };
}

function later(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

function live(r: Row | undefined, now: string): r is Row {
  return r !== undefined && r.id !== FREE && r.expires_at > now;
}

/** Writes `req` as the holder; a new holder (not a renew) bumps the epoch. */
async function take(c: Ctx, name: string, req: LeaseRequest, before: Row, now: string): Promise<LeaseResult & { ok: true }> {
  const same = before.id === req.id;
  const lease: LeaseHolder = {
    name,
    id: req.id,
    host: req.host,
    pid: req.pid,
    command: req.command,
    since: same ? before.since : now,
    heartbeat: now,
    expiresAt: later(now, req.ttlMs),
    epoch: same ? before.epoch : before.epoch + 1,
  };
  await c.run(`UPDATE leases SET id = $2, host = $3, pid = $4, command = $5, since = $6, heartbeat = $7, expires_at = $8, epoch = $9 WHERE name = $1`, [
    name,
    lease.id,
    lease.host,
    lease.pid,
    lease.command,
    lease.since,
    lease.heartbeat,
    lease.expiresAt,
    lease.epoch,
  ]);
  return { ok: true, lease };
}

export function leaseStore(x: Executor): LeaseStore {
  return {
    acquire: (name, req) =>
      x.write(async (c) => {
        const before = await lockedRow(c, name);
        const now = await c.dbNow();
        if (live(before, now) && before.id !== req.id) return { ok: false, holder: holderOf(before) };
        const taken = await take(c, name, req, before, now);
        // Expired while someone else held it: that holder's term ends here.
        return before.id !== FREE && before.id !== req.id ? { ...taken, replaced: holderOf(before) } : taken;
      }),
    renew: (name, id, ttlMs) =>
      x.write(async (c) => {
        const [before] = await c.rows<Row>(`SELECT ${COLUMNS} FROM leases WHERE name = $1 FOR UPDATE`, [name]);
        const now = await c.dbNow();
        if (!live(before, now) || before.id !== id) return null;
        await c.run(`UPDATE leases SET heartbeat = $3, expires_at = $4 WHERE name = $1 AND id = $2`, [name, id, now, later(now, ttlMs)]);
        return { ...holderOf(before), heartbeat: now, expiresAt: later(now, ttlMs) };
      }),
    takeOver: (name, fromId, req) =>
      x.write(async (c) => {
        const [before] = await c.rows<Row>(`SELECT ${COLUMNS} FROM leases WHERE name = $1 FOR UPDATE`, [name]);
        const now = await c.dbNow();
        if (!live(before, now)) return null; // free or expired: acquire takes it
        if (before.id !== fromId) return { ok: false, holder: holderOf(before) };
        const taken = await take(c, name, req, before, now);
        return before.id === req.id ? taken : { ...taken, replaced: holderOf(before) };
      }),
    release: (name, id) =>
      x.write(async (c) => id !== FREE && (await c.run(`UPDATE leases SET id = '', expires_at = heartbeat WHERE name = $1 AND id = $2`, [name, id])) > 0),
    current: (name) =>
      x.read(async (c) => {
        const [r] = await c.rows<Row>(`SELECT ${COLUMNS} FROM leases WHERE name = $1`, [name]);
        return live(r, await c.dbNow()) ? holderOf(r) : null;
      }),
  };
}
