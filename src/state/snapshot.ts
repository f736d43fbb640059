/**
 * A whole state as rows, for `state migrate` (SQLite <-> PostgreSQL): every table but the apply
 * lock, column for column (both backends keep the same columns and the same text encodings:
 * ISO-8601 times, JSON text), plus the serial and the revision. A saved plan made against the old
 * location stays valid against the new one, and a cache keyed by the revision stays right.
 */
export const SNAPSHOT_TABLES = {
  resources: ['address', 'kind', 'spec_hash', 'remote_id', 'status', 'applied_at', 'data', 'spec', 'rendered'],
  journal: ['seq', 'id', 'address', 'operation', 'request', 'window_from', 'window_to', 'status', 'opened_at', 'closed_at', 'remote_id', 'message'],
  runs: ['kind', 'subject', 'key', 'status', 'attempts', 'claimed_at', 'updated_at', 'detail', 'report'],
  schedule_cursors: ['address', 'cursor', 'updated_at'],
  outbox: ['id', 'kind', 'address', 'payload', 'dedupe_key', 'status', 'attempts', 'enqueued_at', 'next_attempt_at', 'last_attempt_at', 'last_error', 'result', 'claimed_by', 'lease_until'],
  // After journal: an audit row may point at a journal row.
  audit: ['id', 'at', 'command', 'address', 'action', 'outcome', 'detail', 'commit_sha', 'author', 'dirty', 'journal_id'],
  leases: ['name', 'id', 'host', 'pid', 'command', 'since', 'heartbeat', 'expires_at', 'epoch'],
} as const satisfies Record<string, readonly string[]>;

export type SnapshotTable = keyof typeof SNAPSHOT_TABLES;
export const SNAPSHOT_TABLE_NAMES = Object.keys(SNAPSHOT_TABLES) as SnapshotTable[];

export type SnapshotValue = string | number | null;
/** One row: its values in SNAPSHOT_TABLES order. */
export type SnapshotRow = SnapshotValue[];

export interface StateSnapshot {
  serial: number;
  revision: string;
  tables: Record<SnapshotTable, SnapshotRow[]>;
}

export type SnapshotCounts = Record<SnapshotTable, number>;

export function countsOf(s: StateSnapshot): SnapshotCounts {
  return Object.fromEntries(SNAPSHOT_TABLE_NAMES.map((t) => [t, s.tables[t].length])) as SnapshotCounts;
}

/** What a backend does for `state migrate`. */
export interface SnapshotStore {
  /** Every row, read in one transaction (one consistent view). */
  read(): Promise<StateSnapshot>;
  /**
   * Writes the snapshot into this EMPTY state in one transaction (serial and revision included),
   * then counts what it wrote, still inside it: nothing commits unless every count matches.
   * Returns the counts; refused (nothing written) with 'not-empty' when the state holds anything.
   */
  write(s: StateSnapshot): Promise<{ ok: true; counts: SnapshotCounts } | { ok: false; reason: 'not-empty'; counts: SnapshotCounts; serial: number }>;
  /** Rows per table, and the serial. */
  counts(): Promise<{ counts: SnapshotCounts; serial: number }>;
}

export class SnapshotMismatch extends Error {
  override readonly name = 'SnapshotMismatch';
}

/** Throws (so the write rolls back) when a count differs. */
export function verifyCounts(expected: SnapshotCounts, found: SnapshotCounts): void {
  const wrong = SNAPSHOT_TABLE_NAMES.filter((t) => expected[t] !== found[t]);
  if (wrong.length > 0) throw new SnapshotMismatch(`copied counts differ: ${wrong.map((t) => `${t} ${found[t]} of ${expected[t]}`).join(', ')}`);
}

export function isEmpty(c: { counts: SnapshotCounts; serial: number }): boolean {
  return c.serial === 0 && SNAPSHOT_TABLE_NAMES.every((t) => c.counts[t] === 0);
}
