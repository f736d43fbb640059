/**
 * The `lock` table: one row (name = 'apply') that is always there; id '' means free. Every change
 * first takes that row with SELECT … FOR UPDATE, a row lock that ends with the transaction, so two
 * processes can not both win and nothing outlives a connection (no session advisory lock, which a
 * pooler can leak to another client). The holder keeps a heartbeat (the database's now(), renewed
 * by heartbeat()); a heartbeat older than a minute is shown as "probably stale", but breaking the
 * lock still takes a person (force-unlock with the exact id). The epoch grows with every holder: a
 * fencing token. A coordination table: never bumps the serial.
 */
import { newMarker } from '../ids.js';
import type { LockHolder, LockStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

interface Row {
  id: string;
  host: string;
  pid: number;
  command: string;
  since: string;
  heartbeat: string;
  epoch: number;
}

const FREE = '';

async function locked(c: Ctx): Promise<Row> {
  const [row] = await c.rows<Row>(`SELECT id, host, pid, command, since, heartbeat, epoch FROM lock WHERE name = 'apply' FOR UPDATE`);
  return row!;
}

function holderOf(r: Row): LockHolder {
  return { id: r.id, host: r.host, pid: r.pid, command: r.command, since: r.since, heartbeat: r.heartbeat, epoch: r.epoch };
}

export function lockStore(x: Executor): LockStore {
  return {
    acquire: (req) =>
      x.write(async (c) => {
        const row = await locked(c);
        if (row.id !== FREE) return row.id === req.holderId ? { ok: true, lock: holderOf(row) } : { ok: false, holder: holderOf(row) };
        const lock: LockHolder = {
          id: req.holderId ?? newMarker(),
          host: req.host,
          pid: req.pid,
          command: req.command,
          since: c.now(),
          heartbeat: await c.dbNow(),
          epoch: row.epoch + 1,
        };
        await c.run(`UPDATE lock SET id = $1, host = $2, pid = $3, command = $4, since = $5, heartbeat = $6, epoch = $7 WHERE name = 'apply'`, [
          lock.id,
          lock.host,
          lock.pid,
          lock.command,
          lock.since,
          lock.heartbeat,
          lock.epoch,
        ]);
        return { ok: true, lock };
      }),
    heartbeat: (id) => x.write(async (c) => id !== FREE && (await c.run(`UPDATE lock SET heartbeat = $2 WHERE name = 'apply' AND id = $1`, [id, await c.dbNow()])) > 0),
    release: (id) => x.write(async (c) => id !== FREE && (await c.run(`UPDATE lock SET id = '' WHERE name = 'apply' AND id = $1`, [id])) > 0),
    forceUnlock: (id) =>
      x.write(async (c) => {
        const row = await locked(c);
        if (row.id === FREE || row.id !== id) return null;
        await c.run(`UPDATE lock SET id = '' WHERE name = 'apply' AND id = $1`, [id]);
        return holderOf(row);
      }),
    current: () =>
      x.read(async (c) => {
        const [row] = await c.rows<Row>(`SELECT id, host, pid, command, since, heartbeat, epoch FROM lock WHERE name = 'apply'`);
        return row && row.id !== FREE ? holderOf(row) : null;
      }),
  };
}
