/**
 * The `leases` table: one row per lease name. Every change is a check-then-write inside one
 * BEGIN IMMEDIATE, so two processes can not both take a lease. The row stays when a lease is
 * released or expires (only its holder fields change), so the epoch keeps growing across holders.
 * A coordination table: never bumps the serial. Timed by real time (Ctx.leaseNow), never by a
 * CAMPAIGNCTL_NOW clock, which may run faster than the renewals.
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

/** A released lease keeps its row with an empty id, so its epoch is not lost. */
const FREE = '';

function row(c: Ctx, name: string): Row | undefined {
  return c.stmt(`SELECT name, id, host, pid, command, since, heartbeat, expires_at, epoch FROM leases WHERE name = ?`).get(name) as Row | undefined;
}

function holderOf(r: Row): LeaseHolder {
  return { name: r.name, id: r.id, host: r.host, pid: r.pid, command: r.command, since: r.since, heartbeat: r.heartbeat, expiresAt: r.expires_at, epoch: r.epoch };
}

function later(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Writes `req` as the holder; a new holder (not a renew) bumps the epoch. */
function take(c: Ctx, name: string, req: LeaseRequest, before: Row | undefined): LeaseResult & { ok: true } {
  const now = c.leaseNow();
  const same = before !== undefined && before.id === req.id;
  const lease: LeaseHolder = {
    name,
    id: req.id,
    host: req.host,
    pid: req.pid,
    command: req.command,
    since: same ? before.since : now,
    heartbeat: now,
    expiresAt: later(now, req.ttlMs),
    epoch: same ? before.epoch : (before?.epoch ?? 0) + 1,
  };
  c.stmt(
    `INSERT INTO leases (name, id, host, pid, command, since, heartbeat, expires_at, epoch)
     VALUES (@name, @id, @host, @pid, @command, @since, @heartbeat, @expiresAt, @epoch)
     ON CONFLICT (name) DO UPDATE SET id = @id, host = @host, pid = @pid, command = @command,
       since = @since, heartbeat = @heartbeat, expires_at = @expiresAt, epoch = @epoch`,
  ).run(lease);
  return { ok: true, lease };
}

function live(c: Ctx, r: Row | undefined): r is Row {
  return r !== undefined && r.id !== FREE && r.expires_at > c.leaseNow();
}

export function leaseStore(x: Executor): LeaseStore {
  return {
    acquire: (name, req) =>
      x.write((c) => {
        const before = row(c, name);
        if (live(c, before) && before.id !== req.id) return { ok: false, holder: holderOf(before) };
        const taken = take(c, name, req, before);
        // Expired while someone else held it: that holder's term ends here.
        return before !== undefined && before.id !== FREE && before.id !== req.id ? { ...taken, replaced: holderOf(before) } : taken;
      }),
    renew: (name, id, ttlMs) =>
      x.write((c) => {
        const before = row(c, name);
        if (!live(c, before) || before.id !== id) return null;
        const now = c.leaseNow();
        c.stmt(`UPDATE leases SET heartbeat = ?, expires_at = ? WHERE name = ? AND id = ?`).run(now, later(now, ttlMs), name, id);
        return { ...holderOf(before), heartbeat: now, expiresAt: later(now, ttlMs) };
      }),
    takeOver: (name, fromId, req) =>
      x.write((c) => {
        const before = row(c, name);
        if (!live(c, before)) return null; // free or expired: acquire takes it
        if (before.id !== fromId) return { ok: false, holder: holderOf(before) };
        return before.id === req.id ? take(c, name, req, before) : { ...take(c, name, req, before), replaced: holderOf(before) };
      }),
    release: (name, id) =>
      x.write((c) => {
        if (id === FREE) return false;
        const released = c.stmt(`UPDATE leases SET id = '', expires_at = heartbeat WHERE name = ? AND id = ?`).run(name, id).changes > 0;
        return released;
      }),
    current: (name) =>
      x.read((c) => {
        const r = row(c, name);
        return live(c, r) ? holderOf(r) : null;
      }),
  };
}
