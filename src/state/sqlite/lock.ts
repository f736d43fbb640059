/**
 * The `lock` table: at most one row (name = 'apply'). Acquire is check-then-insert inside one
 * BEGIN IMMEDIATE, so two processes can not both win. A coordination table: never bumps the serial.
 */
import { newMarker } from '../ids.js';
import type { LockHolder, LockStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

function current(c: Ctx): LockHolder | null {
  const row = c.stmt(`SELECT id, host, pid, command, since FROM lock WHERE name = 'apply'`).get() as LockHolder | undefined;
  return row ?? null;
}

export function lockStore(x: Executor): LockStore {
  return {
    acquire: (req) =>
      x.write((c) => {
        const holder = current(c);
        if (holder) return holder.id === req.holderId ? { ok: true, lock: holder } : { ok: false, holder };
        const lock: LockHolder = { id: req.holderId ?? newMarker(), host: req.host, pid: req.pid, command: req.command, since: c.now() };
        c.stmt(`INSERT INTO lock (name, id, host, pid, command, since) VALUES ('apply', @id, @host, @pid, @command, @since)`).run(lock);
        return { ok: true, lock };
      }),
    heartbeat: (id) => x.read((c) => current(c)?.id === id),
    release: (id) => x.write((c) => c.stmt(`DELETE FROM lock WHERE name = 'apply' AND id = ?`).run(id).changes > 0),
    forceUnlock: (id) =>
      x.write((c) => {
        const holder = current(c);
        if (!holder || holder.id !== id) return null;
        c.stmt(`DELETE FROM lock WHERE name = 'apply' AND id = ?`).run(id);
        return holder;
      }),
    current: () => x.read(current),
  };
}
