/**
 * `state migrate` between a SQLite file and a PostgreSQL schema, both ways, through the operation
 * the CLI calls: every table (journal states, outbox states, audit ids, leases, cursors), the serial
 * and the revision come across; a copied state goes on working (new ids after the copied ones);
 * a target that is not empty, or either side locked, is refused with nothing written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migrateState } from '../../src/operations/state-migrate.js';
import { openStateStore } from '../../src/state/open.js';
import type { StateStore } from '../../src/state/store.js';
import { appliedCampaign } from './contract.js';
import { dropSchema, freshSchemaName, pgLocation, pgSuite } from './pg-fixture.js';

const dirs: string[] = [];
const schemas: string[] = [];
function sqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaignctl-migrate-'));
  dirs.push(dir);
  return join(dir, 'state.db');
}
function pgPath(): string {
  const schema = freshSchemaName();
  schemas.push(schema);
  return pgLocation(schema);
}

async function withStore<T>(location: string, f: (s: StateStore) => Promise<T>): Promise<T> {
  const r = await openStateStore(location);
  if (!r.ok) throw new Error(r.diagnostic.message);
  try {
    return await f(r.store);
  } finally {
    await r.store.close();
  }
}

const git = { commit: 'abc123', author: 'Ada <ada@example.com>', dirty: false } as const;

/** A state with a row in every table and every interesting status. */
async function populate(s: StateStore): Promise<void> {
  for (let i = 0; i < 30; i++) await s.resources.put(appliedCampaign(`c${String(i).padStart(2, '0')}`, { remoteId: 1000 + i }));
  const done = await s.journal.open({ address: 'campaign.c00', operation: 'create', request: { remoteName: 'C0' }, window: { from: 20300101, to: 20300102 } });
  await s.journal.settle({ id: done.id, outcome: 'succeeded', remoteId: 1000, audit: { command: 'apply', address: 'campaign.c00', action: 'create', ...git } });
  await s.journal.open({ address: 'campaign.c01', operation: 'stop', request: { remoteId: 1001 }, window: null });
  await s.runs.claim({ kind: 'occurrence', subject: 'bulletin.b', key: 'k1' }, { by: 'x' });
  await s.runs.mark({ kind: 'occurrence', subject: 'bulletin.b', key: 'k1' }, 'done');
  await s.runs.record({ kind: 'schedule', subject: 'schedule.s', key: '2030-01-01T09:00:00.000Z' }, 'missed', { reason: 'late' });
  await s.cursors.advance('schedule.s', '2030-01-01T10:00:00.000Z');
  const a = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { to: ['u1'] }, dedupeKey: 'req-1' });
  await s.outbox.claimDue('2100-01-01T00:00:00Z', 1, { by: 'replica-a', leaseMs: 60_000 });
  await s.outbox.markUnknown(a.item.id, 'replica-a', { error: 'timeout after send' });
  // In flight: its claimer and lease come across (the lease long enough to outlive the test).
  await s.outbox.enqueue({ kind: 'raise', address: 'bulletin.b', payload: { n: 3 } });
  await s.outbox.claimDue('2100-01-01T00:00:00Z', 1, { by: 'replica-b', leaseMs: 3_600_000 });
  await s.outbox.enqueue({ kind: 'trigger', address: 'trigger.t', payload: { n: 2 } });
  await s.audit.append({ command: 'send', address: 'message.m', action: 'send', outcome: 'unknown', detail: { identities: 1 }, commit: null, author: null, dirty: null });
  await s.leases.acquire('daemon', { id: 'replica-a', host: 'box', pid: 10, command: 'watch', ttlMs: 3_600_000 });
}

/** Everything a store shows, through its interface. */
async function view(s: StateStore) {
  return {
    serial: await s.serial(),
    revision: await s.revision(),
    resources: await s.resources.list(),
    journal: await s.journal.list({ limit: 1000 }),
    runs: await s.runs.list(),
    cursor: await s.cursors.get('schedule.s'),
    outbox: await s.outbox.list(),
    audit: await s.audit.list({ limit: 1000 }),
    lease: await s.leases.current('daemon'),
    lock: await s.lock.current(),
  };
}

pgSuite('state migrate (SQLite <-> PostgreSQL)', () => {
  afterEach(async () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  it('copies a SQLite state to PostgreSQL and back, every table, serial and revision included', async () => {
    const file = sqlitePath();
    const pg = pgPath();
    const back = sqlitePath();
    const original = await withStore(file, async (s) => {
      await populate(s);
      return view(s);
    });
    expect(original.serial).toBeGreaterThan(30);
    expect(original.outbox.find((i) => i.status === 'sending')).toMatchObject({ claimedBy: 'replica-b', leaseUntil: expect.stringMatching(/^\d{4}-/) });

    const there = await migrateState({ from: file, to: pg });
    expect(there).toMatchObject({ ok: true, serial: original.serial, revision: original.revision, counts: { resources: 30, journal: 2, runs: 2, schedule_cursors: 1, outbox: 3, audit: 2, leases: 1 } });
    if (there.ok) expect(there.to).not.toContain('postgres@');
    expect(await withStore(pg, view)).toEqual(original);

    expect(await migrateState({ from: pg, to: back })).toMatchObject({ ok: true, serial: original.serial });
    expect(await withStore(back, view)).toEqual(original);
    // The source is left as it was, and the locks both sides took are released.
    expect(await withStore(file, view)).toEqual(original);
  });

  it('a copied PostgreSQL state goes on: new ids come after the copied ones, the serial moves on from the copied one', async () => {
    const file = sqlitePath();
    const pg = pgPath();
    await withStore(file, populate);
    expect((await migrateState({ from: file, to: pg })).ok).toBe(true);
    await withStore(pg, async (s) => {
      const serial = await s.serial();
      const before = await s.outbox.list();
      const { item } = await s.outbox.enqueue({ kind: 'raise', address: 'bulletin.b', payload: {} });
      expect(item.id).toBeGreaterThan(Math.max(...before.map((i) => i.id)));
      const entry = await s.audit.append({ command: 'apply', address: null, action: 'x', commit: null, author: null, dirty: null });
      expect(entry.id).toBe(3);
      await s.resources.put(appliedCampaign('new'));
      expect(await s.serial()).toBe(serial + 2);
    });
  });

  it('refuses a target that is not empty, writing nothing', async () => {
    const pg = pgPath();
    const file = sqlitePath();
    await withStore(file, populate);
    await withStore(pg, (s) => s.resources.put(appliedCampaign('already-here')));
    const r = await migrateState({ from: file, to: pg });
    expect(r).toMatchObject({ ok: false, refused: 'problems', diagnostics: [{ code: 'state-migrate.target-not-empty' }] });
    expect((await withStore(pg, (s) => s.resources.list())).map((x) => x.address)).toEqual(['campaign.already-here']);
    expect(await migrateState({ from: file, to: file })).toMatchObject({ ok: false, diagnostics: [{ code: 'state-migrate.same-location' }] });
  });

  it('refuses when either side holds the apply lock, saying which side and who', async () => {
    const file = sqlitePath();
    const pg = pgPath();
    await withStore(file, populate);
    const held = await withStore(file, (s) => s.lock.acquire({ command: 'apply', host: 'ci-7', pid: 4242 }));
    expect(await migrateState({ from: file, to: pg })).toMatchObject({ ok: false, refused: 'locked', side: 'from', lock: { holder: { host: 'ci-7', pid: 4242, command: 'apply' } } });
    await withStore(file, (s) => s.lock.forceUnlock(held.ok ? held.lock.id : ''));

    await withStore(pg, (s) => s.lock.acquire({ command: 'apply', host: 'ci-8', pid: 77 }));
    expect(await migrateState({ from: file, to: pg })).toMatchObject({ ok: false, refused: 'locked', side: 'to', lock: { holder: { host: 'ci-8' } } });
    expect(await withStore(pg, (s) => s.resources.list())).toEqual([]);
    // The source's lock, taken before the target was found locked, was given back.
    expect(await withStore(file, (s) => s.lock.current())).toBeNull();
  });
});
