/**
 * The PostgreSQL StateStore (node-postgres). The pool is small and strict: max 5 connections,
 * 5 s to connect, every statement cut at 30 s and a transaction left idle at 60 s (a hung
 * campaignctl never holds a row lock for long), application_name `campaignctl` (so a DBA sees who
 * holds what in pg_stat_activity). Transactions always run on one checked-out client (./db.ts).
 */
import pg from 'pg';
import type { StateStore } from '../store.js';
import { auditStore } from './audit.js';
import { cursorStore } from './cursors.js';
import { PgDb, type Executor } from './db.js';
import { journalStore } from './journal.js';
import { pgHints } from './hints.js';
import { leaseStore } from './leases.js';
import { lockStore } from './lock.js';
import { parsePgLocation } from './location.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { outboxStore } from './outbox.js';
import { requestStore } from './requests.js';
import { resourceStore } from './resources.js';
import { runStore } from './runs.js';
import { snapshotStore } from './snapshot.js';
import { now as clockNow } from '../../time/clock.js';

export interface PostgresOptions {
  now?: () => Date;
  /** A broken idle connection (the server restarted, a network cut); default: ignored, the next query reports it. */
  onPoolError?: (err: Error) => void;
}

export type PostgresOpenResult =
  | { ok: true; store: StateStore; schema: string; clockSkewMs: number }
  | { ok: false; reason: 'newer-schema'; found: number; known: number }
  | { ok: false; reason: 'bad-location'; problem: string };

/** BIGINT comes back as a number (ids, serials, epochs stay far below 2^53). */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function tables(x: Executor) {
  return {
    resources: resourceStore(x),
    journal: journalStore(x),
    runs: runStore(x),
    outbox: outboxStore(x),
    audit: auditStore(x),
    cursors: cursorStore(x),
    serial: () => x.read(async (c) => (await c.rows<{ value: number }>('SELECT value FROM state_serial WHERE id = 1'))[0]!.value),
  };
}

export function poolFor(connectionString: string, schema: string): pg.Pool {
  return new pg.Pool({
    connectionString,
    max: 5,
    connectionTimeoutMillis: 5000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'campaignctl',
    // A command that is done does not wait for idle connections to time out before it exits.
    allowExitOnIdle: true,
    options: `-c search_path=${schema}`,
    types,
  });
}

/** Connects, migrates and measures the clock skew. Connection and SQL errors are thrown (pg errors carry no password). */
export async function openPostgresStore(location: string, opts: PostgresOptions = {}): Promise<PostgresOpenResult> {
  const parsed = parsePgLocation(location);
  if (!parsed.ok) return { ok: false, reason: 'bad-location', problem: parsed.problem };
  const pool = poolFor(parsed.connectionString, parsed.schema);
  pool.on('error', (err) => opts.onPoolError?.(err));
  try {
    const clock = opts.now ?? (() => clockNow());
    const client = await pool.connect();
    let clockSkewMs: number;
    let migrated: Awaited<ReturnType<typeof migrate>>;
    try {
      migrated = await migrate(client, parsed.schema, clock().toISOString());
      // The real local clock, not a test clock: it is the machine's clock that leases must not trust.
      const before = Date.now();
      const dbNow = ((await client.query('SELECT now() AS now')).rows[0] as { now: Date }).now.getTime();
      clockSkewMs = dbNow - Math.round((before + Date.now()) / 2);
    } finally {
      client.release();
    }
    if (!migrated.ok) {
      await pool.end();
      return { ok: false, reason: 'newer-schema', found: migrated.found, known: migrated.known };
    }
    const db = new PgDb(pool, clock);
    let closing: Promise<void> | undefined;
    const store: StateStore = {
      info: { backend: 'postgres', location: displayPgLocation(location), schemaVersion: MIGRATIONS.length },
      ...tables(db.store),
      lock: lockStore(db.store),
      leases: leaseStore(db.store),
      requests: requestStore(db.store),
      hints: pgHints(parsed.connectionString, parsed.schema),
      snapshot: snapshotStore(db),
      revision: () => db.store.read(async (c) => (await c.rows<{ value: number; revision: string }>('SELECT value, revision FROM state_serial WHERE id = 1')).map((r) => `${r.value}:${r.revision}`)[0]!),
      transaction: (fn) => db.transaction((x) => fn(tables(x))),
      close: () => (closing ??= db.close()),
    };
    return { ok: true, store, schema: parsed.schema, clockSkewMs };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/** The URL without its user information (user and password alike). */
export function displayPgLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/\s@]*)@/i, (_, scheme: string) => `${scheme}***@`);
}
