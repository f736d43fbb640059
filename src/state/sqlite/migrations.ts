/**
 * Versioned schema: MIGRATIONS[i] takes the database from version i to i + 1. Append only; never
 * edit a released entry. Applying is transactional (all pending steps in one BEGIN IMMEDIATE, so two
 * processes opening a fresh file at once do not both migrate) and idempotent (schema_migrations
 * records what ran).
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  // 1: the tables of DESIGN.md section 3. JSON columns are text written by json-guard.
  `
  CREATE TABLE state_serial (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
  );
  INSERT INTO state_serial (id, value) VALUES (1, 0);

  CREATE TABLE resources (
    address    TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    spec_hash  TEXT NOT NULL,
    remote_id  INTEGER,
    status     TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    data       TEXT NOT NULL
  );

  CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    address     TEXT NOT NULL,
    operation   TEXT NOT NULL CHECK (operation IN ('create', 'stop', 'raise', 'import')),
    request     TEXT NOT NULL,
    window_from INTEGER,
    window_to   INTEGER,
    status      TEXT NOT NULL CHECK (status IN ('open', 'succeeded', 'failed', 'not-created', 'adopted')),
    opened_at   TEXT NOT NULL,
    closed_at   TEXT,
    remote_id   INTEGER,
    message     TEXT
  );
  CREATE INDEX journal_by_status ON journal (status, seq);
  CREATE INDEX journal_by_address ON journal (address, seq);

  CREATE TABLE lock (
    name    TEXT PRIMARY KEY CHECK (name = 'apply'),
    id      TEXT NOT NULL,
    host    TEXT NOT NULL,
    pid     INTEGER NOT NULL,
    command TEXT NOT NULL,
    since   TEXT NOT NULL
  );

  CREATE TABLE runs (
    kind       TEXT NOT NULL CHECK (kind IN ('occurrence', 'schedule')),
    subject    TEXT NOT NULL,
    key        TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed', 'unknown')),
    attempts   INTEGER NOT NULL,
    claimed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    detail     TEXT,
    PRIMARY KEY (kind, subject, key)
  );

  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('message', 'trigger', 'raise')),
    address         TEXT NOT NULL,
    payload         TEXT NOT NULL,
    dedupe_key      TEXT UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'done', 'failed', 'unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    enqueued_at     TEXT NOT NULL,
    next_attempt_at TEXT,
    last_attempt_at TEXT,
    last_error      TEXT,
    result          TEXT
  );
  CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);

  CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    command    TEXT NOT NULL,
    address    TEXT,
    action     TEXT NOT NULL,
    outcome    TEXT,
    detail     TEXT,
    commit_sha TEXT,
    author     TEXT,
    dirty      INTEGER,
    journal_id TEXT REFERENCES journal (id)
  );
  CREATE INDEX audit_by_address ON audit (address, id);
  `,
  // 2: a resource's spec in its own column. A plan reads every row without its spec; with the spec
  // inside \`data\`, SQLite had to parse each row's whole JSON to leave it out.
  `
  ALTER TABLE resources ADD COLUMN spec TEXT;
  UPDATE resources SET spec = data -> '$.spec', data = json_remove(data, '$.spec') WHERE json_type(data, '$.spec') IS NOT NULL;
  `,
  // 3: a random revision, drawn anew with every serial bump: unlike the serial, two copies of a
  // state file written apart never share one, so a cache keyed by it never mistakes one for the other.
  `
  ALTER TABLE state_serial ADD COLUMN revision TEXT NOT NULL DEFAULT '';
  UPDATE state_serial SET revision = lower(hex(randomblob(16)));
  `,
  // 4: a campaign's request content as rendered at apply (its own column, left out of a plan's
  // row list like the spec), so a plan can diff the text a body_file or partial change makes.
  // Rows applied before keep NULL.
  `
  ALTER TABLE resources ADD COLUMN rendered TEXT;
  `,
  // 5: the cron runner's ledger. A schedule tick may also end \`refused\` (a guard said no, nothing
  // sent), \`missed\` (too late for its catch-up policy) or \`skipped\` (overlap, disabled): the
  // CHECK is widened by rebuilding the table (SQLite can not alter a CHECK). One cursor per schedule:
  // ticks at or before it are never considered again, so a new or re-enabled schedule never fires
  // for the past.
  `
  CREATE TABLE runs_v5 (
    kind       TEXT NOT NULL CHECK (kind IN ('occurrence', 'schedule')),
    subject    TEXT NOT NULL,
    key        TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed', 'unknown', 'refused', 'missed', 'skipped')),
    attempts   INTEGER NOT NULL,
    claimed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    detail     TEXT,
    PRIMARY KEY (kind, subject, key)
  );
  INSERT INTO runs_v5 SELECT kind, subject, key, status, attempts, claimed_at, updated_at, detail FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_v5 RENAME TO runs;

  CREATE TABLE schedule_cursors (
    address    TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 6: a scheduled campaign's final sent/clicked from CleverTap's report, kept on its run once the
  // campaign completed, so listing the schedules asks CleverTap for each campaign once.
  `
  ALTER TABLE runs ADD COLUMN report TEXT;
  `,
  // 7: leases, held by a long-running process (the daemon) and renewed while it lives.
  `
  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    id         TEXT NOT NULL,
    host       TEXT NOT NULL,
    pid        INTEGER NOT NULL,
    command    TEXT NOT NULL,
    since      TEXT NOT NULL,
    heartbeat  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    epoch      INTEGER NOT NULL
  );
  `,
  // 8: outbox claims with a holder and a lease, so several replicas can drain one state (PostgreSQL)
  // and an item left \`sending\` is settled as unknown only once its claimer's lease ran out. Items
  // left \`sending\` before have neither: they count as expired.
  `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN lease_until TEXT;
  `,
  // 9: refresh requests: a webhook or POST /v1/reconcile taken by a replica that does not lead,
  // left here for the leader (a coordination table: never bumps the serial).
  `
  CREATE TABLE refresh_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    reason       TEXT NOT NULL CHECK (reason IN ('webhook', 'api')),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL
  );
  `,
  // 10: the ticks of a schedule still \`claimed\`, found without walking its whole ledger: a pass's
  // overlap check reads them before each claim (src/schedule/fire.ts), and a schedule's ledger grows
  // by one row per tick forever.
  `
  CREATE INDEX runs_claimed ON runs (kind, subject) WHERE status = 'claimed';
  `,
];

export type MigrationResult = { ok: true; version: number; applied: number } | { ok: false; found: number; known: number };

/** Brings the database up to MIGRATIONS.length; refuses (without touching it) a newer schema. */
export function migrate(db: Database.Database, now: string): MigrationResult {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
    if (row.v > MIGRATIONS.length) {
      db.exec('ROLLBACK');
      return { ok: false, found: row.v, known: MIGRATIONS.length };
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (let v = row.v; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]);
      record.run(v + 1, now);
    }
    db.exec('COMMIT');
    return { ok: true, version: MIGRATIONS.length, applied: MIGRATIONS.length - row.v };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
