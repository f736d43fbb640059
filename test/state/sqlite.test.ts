/**
 * The SQLite backend: the shared contract on real temp files, plus what only a file has
 * (migrations table, WAL, folder creation, open errors as diagnostics, raw bytes free of secrets).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/open.js';
import { MIGRATIONS } from '../../src/state/sqlite/migrations.js';
import type { StateStore } from '../../src/state/store.js';
import { appliedCampaign, stateStoreContract } from './contract.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaignctl-state-'));
  dirs.push(dir);
  return dir;
}

async function mustOpen(location: string): Promise<StateStore> {
  const r = await openStateStore(location);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.store;
}

stateStoreContract('sqlite', async () => {
  const dir = tempDir();
  const location = join(dir, 'nested', '.campaignctl', 'test.db');
  return {
    location,
    async open(opts) {
      const r = await openStateStore(location, opts);
      if (!r.ok) throw new Error(r.diagnostic.message);
      return r.store;
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** A state file as an older campaignctl left it: the first `version` migrations, recorded. */
function databaseAt(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (let v = 0; v < version; v++) {
    db.exec(MIGRATIONS[v]!);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v + 1, 'then');
  }
  return db;
}

describe('SQLite state file', () => {
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('migration 5 keeps the runs a version-4 file recorded and accepts the ledger statuses', async () => {
    const file = join(tempDir(), 'v4.db');
    const db = databaseAt(file, 4);
    db.prepare(`INSERT INTO runs (kind, subject, key, status, attempts, claimed_at, updated_at, detail) VALUES ('occurrence', 'bulletin.b', 'k', 'unknown', 1, 'then', 'then', '{"x":1}')`).run();
    db.close();
    const s = await mustOpen(file);
    try {
      expect(await s.runs.list()).toMatchObject([{ kind: 'occurrence', subject: 'bulletin.b', key: 'k', status: 'unknown', detail: { x: 1 } }]);
      expect((await s.runs.record({ kind: 'schedule', subject: 'schedule.s', key: '2030-01-01T00:00:00Z' }, 'refused')).recorded).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('creates the folder, uses WAL and records each migration once across reopens', async () => {
    const file = join(tempDir(), 'a', 'b', 'state.db');
    const s = await mustOpen(file);
    expect(s.info).toEqual({ backend: 'sqlite', location: file, schemaVersion: MIGRATIONS.length });
    await s.resources.put(appliedCampaign('a'));
    await s.close();
    await (await mustOpen(file)).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    expect(db.prepare('SELECT COUNT(*) AS n FROM resources').get()).toEqual({ n: 1 });
    db.close();
  });

  // Where the kernel lists a process's mappings (Linux, as CI): elsewhere the check below can not be made.
  const maps = existsSync('/proc/self/maps') ? '/proc/self/maps' : undefined;
  it(`reads the state file through a memory map${maps ? '' : ' (not checked: this system has no /proc/self/maps to show mappings)'}`, async () => {
    const file = join(tempDir(), 'mapped.db');
    const s = await mustOpen(file);
    try {
      await s.resources.put(appliedCampaign('a'));
      expect((await s.resources.listWithoutSpecs()).map((r) => r.address)).toEqual([appliedCampaign('a').address]);
      if (maps) expect(readFileSync(maps, 'utf8').split('\n').some((line) => line.endsWith(` ${file}`))).toBe(true);
    } finally {
      await s.close();
    }
    if (maps) expect(readFileSync(maps, 'utf8').split('\n').some((line) => line.endsWith(` ${file}`))).toBe(false);
  });

  it('migration 8: a send a version-7 daemon left `sending` (no claimer, no lease) is unknown at the first expiry, never pending', async () => {
    const file = join(tempDir(), 'v7.db');
    const db = databaseAt(file, 7);
    const insert = db.prepare(`INSERT INTO outbox (kind, address, payload, status, attempts, enqueued_at, next_attempt_at, last_attempt_at) VALUES ('message', 'message.m', '{}', ?, ?, 'then', 'then', ?)`);
    insert.run('sending', 1, 'then');
    insert.run('pending', 0, null);
    db.close();
    const s = await mustOpen(file);
    try {
      expect((await s.outbox.list()).map((i) => [i.status, i.claimedBy, i.leaseUntil])).toEqual([
        ['sending', null, null],
        ['pending', null, null],
      ]);
      expect(await s.outbox.renewClaims('replica-a', 60_000)).toBe(0);
      const expired = await s.outbox.expireClaims();
      expect(expired.map((i) => [i.id, i.status])).toEqual([[1, 'unknown']]);
      expect(expired[0]!.lastError).toMatch(/^it was in flight when the daemon stopped: it may have been sent, so it is not sent again/);
      expect((await s.outbox.list({ status: 'pending' })).map((i) => i.id)).toEqual([2]);
    } finally {
      await s.close();
    }
  });

  it('moves the specs of a version 1 file into their own column, keeping every row whole', async () => {
    const file = join(tempDir(), 'v1.db');
    const v1 = databaseAt(file, 1);
    const old = { ...appliedCampaign('a'), spec: { title: 'Hi', nested: { list: [1, 'two', null] } } };
    const insert = v1.prepare('INSERT INTO resources (address, kind, spec_hash, remote_id, status, applied_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run(old.address, old.kind, old.specHash, old.remoteId, old.status, old.appliedAt, JSON.stringify(old));
    v1.close();
    const s = await mustOpen(file);
    expect(await s.resources.get('campaign.a')).toEqual(old);
    expect(await s.resources.list()).toEqual([old]);
    const { spec: _spec, ...withoutSpec } = old;
    expect(await s.resources.listWithoutSpecs()).toEqual([withoutSpec]);
    await s.close();
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT data, spec FROM resources').get() as { data: string; spec: string };
    expect(JSON.parse(row.spec)).toEqual(old.spec);
    expect(JSON.parse(row.data)).not.toHaveProperty('spec');
    raw.close();
  });

  it('gives a version 2 file a random revision, keeping its serial', async () => {
    const file = join(tempDir(), 'v2.db');
    const v2 = databaseAt(file, 2);
    v2.exec('UPDATE state_serial SET value = 5');
    v2.close();
    const s = await mustOpen(file);
    expect(await s.serial()).toBe(5);
    expect(await s.revision()).toMatch(/^5:[0-9a-f]{32}$/);
    await s.close();
  });

  it('refuses, as a diagnostic, a state written by a newer campaignctl and leaves it untouched', async () => {
    const file = join(tempDir(), 'state.db');
    await (await mustOpen(file)).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(MIGRATIONS.length + 5, 'later');
    db.close();
    const r = await openStateStore(file);
    expect(r).toMatchObject({ ok: false, diagnostic: { severity: 'error', code: 'state.newer-schema' } });
  });

  it('reports a file that is not a database as a diagnostic', async () => {
    const file = join(tempDir(), 'notes.db');
    writeFileSync(file, 'this is not sqlite, just text that is long enough to have a header page'.repeat(20));
    const r = await openStateStore(file);
    expect(r).toMatchObject({ ok: false, diagnostic: { code: 'state.open-failed' } });
    if (!r.ok) expect(r.diagnostic.message).toContain('not a SQLite database');
  });

  it('answers an unknown URL scheme with a clear diagnostic', async () => {
    expect(await openStateStore('mysql://x/y')).toMatchObject({ ok: false, diagnostic: { code: 'state.unsupported-location' } });
  });

  it('keeps a refused passcode out of the file bytes (db and WAL)', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.db');
    const passcode = 'ZQX-distinctive-passcode-9731';
    const s = await mustOpen(file);
    await s.resources.put(appliedCampaign('a'));
    const tries = [
      s.resources.put(appliedCampaign('b', { spec: { passcode } })),
      s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { headers: { 'X-CleverTap-Passcode': passcode } } }),
      s.audit.append({ command: 'apply', address: null, action: 'x', detail: { Authorization: passcode }, commit: null, author: null, dirty: null }),
    ];
    for (const t of tries) await expect(t).rejects.toThrow(/refused/);
    await s.journal.open({ address: 'campaign.c', operation: 'create', request: { headers: { passcode } } as never, window: null });
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
    expect(bytes).toContain('campaign.a');
    expect(bytes).toContain('campaign.c');
    expect(bytes).not.toContain(passcode);
    await s.close();
  });

  it('lets several processes open a fresh file at once (migration runs once)', async () => {
    const file = join(tempDir(), 'fresh.db');
    const stores = await Promise.all([mustOpen(file), mustOpen(file), mustOpen(file)]);
    for (const s of stores) expect(await s.serial()).toBe(0);
    for (const s of stores) await s.close();
  });
});
