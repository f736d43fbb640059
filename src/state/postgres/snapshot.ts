/**
 * `state migrate` for PostgreSQL: the schema's rows out (one REPEATABLE READ transaction: one
 * consistent view), or into an empty schema in one transaction, inserted in batches, with the
 * identity sequences moved past the copied ids so later rows never collide with them.
 */
import { SNAPSHOT_TABLE_NAMES, SNAPSHOT_TABLES, countsOf, isEmpty, verifyCounts, type SnapshotCounts, type SnapshotRow, type SnapshotStore, type StateSnapshot } from '../snapshot.js';
import type { Ctx, PgDb } from './db.js';

const BATCH = 500;
const ORDER: Record<keyof typeof SNAPSHOT_TABLES, string> = {
  resources: 'address',
  journal: 'seq',
  runs: 'kind, subject, key',
  schedule_cursors: 'address',
  outbox: 'id',
  audit: 'id',
  leases: 'name',
};
/** Tables whose first column is an identity. */
const IDENTITY = { journal: 'seq', outbox: 'id', audit: 'id' } as const;

async function counts(c: Ctx): Promise<{ counts: SnapshotCounts; serial: number }> {
  const [row] = await c.rows<Record<string, number>>(
    `SELECT ${SNAPSHOT_TABLE_NAMES.map((t) => `(SELECT COUNT(*)::int FROM ${t}) AS ${t}`).join(', ')}, (SELECT value FROM state_serial WHERE id = 1) AS serial`,
  );
  const found = Object.fromEntries(SNAPSHOT_TABLE_NAMES.map((t) => [t, row![t]!])) as SnapshotCounts;
  return { counts: found, serial: row!.serial! };
}

export function snapshotStore(db: PgDb): SnapshotStore {
  return {
    read: () =>
      db.transaction((x) =>
        x.read(async (c) => {
          await c.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          const [serial] = await c.rows<{ value: number; revision: string }>('SELECT value, revision FROM state_serial WHERE id = 1');
          const tables = {} as StateSnapshot['tables'];
          for (const t of SNAPSHOT_TABLE_NAMES) {
            const cols = SNAPSHOT_TABLES[t];
            const rows = await c.rows<Record<string, SnapshotRow[number]>>(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY ${ORDER[t]}`);
            tables[t] = rows.map((r) => cols.map((col) => r[col] ?? null));
          }
          return { serial: serial!.value, revision: serial!.revision, tables };
        }),
      ),
    write: (s) =>
      db.transaction((x) =>
        x.read(async (c) => {
          const before = await counts(c);
          if (!isEmpty(before)) return { ok: false as const, reason: 'not-empty' as const, ...before };
          for (const t of SNAPSHOT_TABLE_NAMES) {
            const cols = SNAPSHOT_TABLES[t];
            const rows = s.tables[t];
            for (let i = 0; i < rows.length; i += BATCH) {
              const batch = rows.slice(i, i + BATCH);
              const values = batch.map((_, r) => `(${cols.map((_, k) => `$${r * cols.length + k + 1}`).join(', ')})`).join(', ');
              await c.run(`INSERT INTO ${t} (${cols.join(', ')}) VALUES ${values}`, batch.flat());
            }
          }
          for (const [t, col] of Object.entries(IDENTITY)) {
            await c.run(`SELECT setval(pg_get_serial_sequence('${t}', '${col}'), GREATEST((SELECT MAX(${col}) FROM ${t}), 1), (SELECT MAX(${col}) FROM ${t}) IS NOT NULL)`);
          }
          await c.run('UPDATE state_serial SET value = $1, revision = $2 WHERE id = 1', [s.serial, s.revision]);
          const after = await counts(c);
          verifyCounts(countsOf(s), after.counts);
          return { ok: true as const, counts: after.counts };
        }),
      ),
    counts: () => db.store.read(counts),
  };
}
