/**
 * The SQLite StateStore: one file, WAL (readers never block the writer, several processes may
 * share it), busy_timeout (writers wait for each other instead of failing), foreign keys on,
 * synchronous=FULL (a committed outbox item or journal row survives power loss, not only kill -9),
 * reads memory-mapped.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { StateStore } from '../store.js';
import { auditStore } from './audit.js';
import { cursorStore } from './cursors.js';
import { SqliteDb, type Executor } from './db.js';
import { journalStore } from './journal.js';
import { noHints } from './hints.js';
import { leaseStore } from './leases.js';
import { lockStore } from './lock.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { outboxStore } from './outbox.js';
import { requestStore } from './requests.js';
import { resourceStore } from './resources.js';
import { runStore } from './runs.js';
import { snapshotStore } from './snapshot.js';
import { now as clockNow } from '../../time/clock.js';

// better-sqlite3 is CommonJS: required as such, it is not scanned for its exports first, as an
// import of it would be (cjs-module-lexer: 5-13 ms of every command that opens state).
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

/** How much of the state file reads map (SQLite's mmap_size): more than any project's state needs. */
const MMAP_BYTES = 256 * 1024 * 1024;

export interface SqliteOptions {
  now?: () => Date;
  /** How long a write waits for another process's write transaction; default 5000 ms. */
  busyTimeoutMs?: number;
}

export type SqliteOpenResult =
  | { ok: true; store: StateStore }
  | { ok: false; reason: 'newer-schema'; found: number; known: number };

function tables(x: Executor) {
  return {
    resources: resourceStore(x),
    journal: journalStore(x),
    runs: runStore(x),
    outbox: outboxStore(x),
    audit: auditStore(x),
    cursors: cursorStore(x),
    serial: () => x.read((c) => (c.stmt('SELECT value FROM state_serial WHERE id = 1').get() as { value: number }).value),
  };
}

/** Opens (creating the file and its folder) and migrates. Filesystem / SQLite errors are thrown. */
export function openSqliteStore(path: string, opts: SqliteOptions = {}): SqliteOpenResult {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: opts.busyTimeoutMs ?? 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Reads through a memory map of the file instead of copying each page into SQLite's own cache:
    // a plan lists every resource row, and on 10,000 rows the first listing in a process took
    // 126-149 ms read into the cache against 53-62 ms mapped (the copies were most of it: fresh
    // memory for 27 MB of pages). Writes still go through the journal as before (SQLite maps for
    // reading only), and the file never shrinks under the map: campaignctl never VACUUMs.
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    const clock = opts.now ?? (() => clockNow());
    const migrated = migrate(db, clock().toISOString());
    if (!migrated.ok) {
      db.close();
      return { ok: false, reason: 'newer-schema', found: migrated.found, known: migrated.known };
    }
    // Leases keep real time: a simulated clock (CAMPAIGNCTL_NOW, its rate) must not expire a live
    // daemon's lease between two renewals. A test's `now` option times both alike.
    const sqlite = new SqliteDb(db, clock, opts.now ?? (() => new Date()));
    let closing: Promise<void> | undefined;
    const store: StateStore = {
      info: { backend: 'sqlite', location: file, schemaVersion: MIGRATIONS.length },
      ...tables(sqlite.store),
      lock: lockStore(sqlite.store),
      leases: leaseStore(sqlite.store),
      requests: requestStore(sqlite.store),
      hints: noHints,
      snapshot: snapshotStore(sqlite),
      revision: () => sqlite.store.read((c) => (c.stmt('SELECT value, revision FROM state_serial WHERE id = 1').get() as { value: number; revision: string })).then((r) => `${r.value}:${r.revision}`),
      transaction: (fn) => sqlite.transaction((x) => fn(tables(x))),
      close: () => (closing ??= sqlite.store.read(() => undefined).then(() => sqlite.close())),
    };
    return { ok: true, store };
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
}
