/**
 * `campaignctl state migrate --from PATH_OR_URL --to PATH_OR_URL`: moves a whole state between
 * locations (a SQLite file and a PostgreSQL schema, either way, or two of one kind): resources,
 * journal, runs, cursors, outbox, audit, leases, and the serial and revision (so a saved plan stays
 * valid). The apply lock is taken on both sides for the copy, so no apply runs during it; refused
 * when either side is locked, when the target holds anything, or when they are the same location.
 * The target is written in one transaction that counts what it wrote before it commits; the source
 * is left as it was (keep it until the new location has been used).
 */
import { hostname } from 'node:os';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SnapshotMismatch, type SnapshotCounts } from '../state/snapshot.js';
import { displayLocation, openStateStore } from '../state/open.js';
import type { StateStore } from '../state/store.js';
import { takeLock, type LockRefusal } from './lock.js';
import { problems, type Problems } from './under-lock.js';

export interface MigrateStateInput {
  from: string;
  to: string;
  host?: string;
  pid?: number;
}

export interface StateMigrated {
  ok: true;
  from: string;
  to: string;
  counts: SnapshotCounts;
  serial: number;
  revision: string;
}

/** One side holds the apply lock: `side` says which, `lock` who. */
export interface MigrateLocked {
  ok: false;
  refused: 'locked';
  side: 'from' | 'to';
  location: string;
  lock: LockRefusal;
  what: string;
}

export type StateMigrateResult = StateMigrated | MigrateLocked | Problems;

export async function migrateState(input: MigrateStateInput): Promise<StateMigrateResult> {
  const from = displayLocation(input.from);
  const to = displayLocation(input.to);
  if (input.from === input.to) return problems([diagnostic('state-migrate.same-location', { location: from })]);
  const opened: StateStore[] = [];
  const releases: (() => Promise<void>)[] = [];
  try {
    const source = await openSide(input.from, opened);
    if ('diagnostic' in source) return problems([source.diagnostic]);
    const target = await openSide(input.to, opened);
    if ('diagnostic' in target) return problems([target.diagnostic]);

    for (const [side, store, location] of [['from', source.store, from], ['to', target.store, to]] as const) {
      const taken = await takeLock(store, 'state migrate', { host: input.host ?? hostname(), pid: input.pid ?? process.pid });
      if (!taken.ok) return { ok: false, refused: 'locked', side, location, lock: taken.refusal, what: 'state migrate' };
      releases.push(taken.release);
    }

    const snapshot = await source.store.snapshot.read();
    let written;
    try {
      written = await target.store.snapshot.write(snapshot);
    } catch (err) {
      if (err instanceof SnapshotMismatch) return problems([diagnostic('state-migrate.count-mismatch', { to, detail: err.message })]);
      throw err;
    }
    if (!written.ok) {
      const rows = Object.values(written.counts).reduce((a, b) => a + b, 0);
      return problems([diagnostic('state-migrate.target-not-empty', { to, rows, serial: written.serial })]);
    }
    return { ok: true, from, to, counts: written.counts, serial: snapshot.serial, revision: await target.store.revision() };
  } finally {
    for (const release of releases) await release().catch(() => undefined);
    for (const store of opened) await store.close();
  }
}

async function openSide(location: string, opened: StateStore[]): Promise<{ store: StateStore } | { diagnostic: Diagnostic }> {
  const r = await openStateStore(location);
  if (!r.ok) return { diagnostic: r.diagnostic };
  opened.push(r.store);
  return { store: r.store };
}

