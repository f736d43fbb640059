/** `state migrate` for SQLite: the whole file's rows out, or into an empty file, each in one transaction. */
import { SNAPSHOT_TABLE_NAMES, SNAPSHOT_TABLES, countsOf, isEmpty, verifyCounts, type SnapshotCounts, type SnapshotRow, type SnapshotStore, type StateSnapshot } from '../snapshot.js';
import type { Ctx, SqliteDb } from './db.js';

function counts(c: Ctx): { counts: SnapshotCounts; serial: number } {
  const found = Object.fromEntries(SNAPSHOT_TABLE_NAMES.map((t) => [t, (c.stmt(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n])) as SnapshotCounts;
  return { counts: found, serial: (c.stmt('SELECT value FROM state_serial WHERE id = 1').get() as { value: number }).value };
}

export function snapshotStore(db: SqliteDb): SnapshotStore {
  return {
    read: () =>
      db.transaction((x) =>
        x.read((c) => {
          const serial = c.stmt('SELECT value, revision FROM state_serial WHERE id = 1').get() as { value: number; revision: string };
          const tables = Object.fromEntries(
            SNAPSHOT_TABLE_NAMES.map((t) => {
              const cols = SNAPSHOT_TABLES[t];
              const order = t === 'resources' || t === 'schedule_cursors' ? 'address' : t === 'runs' ? 'kind, subject, key' : t === 'leases' ? 'name' : cols[0];
              return [t, c.stmt(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY ${order}`).raw(true).all() as SnapshotRow[]];
            }),
          ) as StateSnapshot['tables'];
          return { serial: serial.value, revision: serial.revision, tables };
        }),
      ),
    write: (s) =>
      db.transaction((x) =>
        x.read((c) => {
          const before = counts(c);
          if (!isEmpty(before)) return { ok: false as const, reason: 'not-empty' as const, ...before };
          for (const t of SNAPSHOT_TABLE_NAMES) {
            const cols = SNAPSHOT_TABLES[t];
            const insert = c.stmt(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
            for (const row of s.tables[t]) insert.run(...row);
          }
          c.stmt('UPDATE state_serial SET value = ?, revision = ? WHERE id = 1').run(s.serial, s.revision);
          const after = counts(c);
          verifyCounts(countsOf(s), after.counts);
          return { ok: true as const, counts: after.counts };
        }),
      ),
    counts: () => db.store.read(counts),
  };
}
