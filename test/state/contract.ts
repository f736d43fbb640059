/**
 * The contract every StateStore backend must pass (DESIGN.md section 3). A backend's test file
 * calls stateStoreContract(name, factory) with a factory that hands out a fresh, empty location.
 * Cross-process cases spawn real node processes (./child.ts) on the same location.
 */
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppliedResource } from '../../src/model/applied.js';
import { campaignStarts } from '../../src/apply/refresh.js';
import { StateError } from '../../src/state/errors.js';
import { MARKER_PATTERN } from '../../src/state/ids.js';
import type { OpenStateOptions } from '../../src/state/open.js';
import { isProbablyStale } from '../../src/state/stale.js';
import type { AuditInput, RunKey, StateStore } from '../../src/state/store.js';
import { createChildRunner, type ChildRunner } from './child.js';

export interface StateStoreFixture {
  /** What openStateStore takes: a file path, a URL. */
  location: string;
  /** Opens a new store (a new connection) on the location. */
  open(opts?: OpenStateOptions): Promise<StateStore>;
  /** Removes the location; stores opened on it are closed first by the contract. */
  dispose(): Promise<void>;
  /**
   * The backend times leases by the database's clock, not the `now` option (PostgreSQL): the
   * lease tests then let real time pass instead of moving the test clock.
   */
  databaseClock?: boolean;
}

export type StateStoreFactory = () => Promise<StateStoreFixture>;

export function appliedCampaign(name: string, over: Partial<AppliedResource> = {}): AppliedResource {
  return {
    address: `campaign.${name}`,
    kind: 'Campaign',
    specHash: `hash-${name}`,
    spec: { title: name, when: '2030-01-02T10:00:00Z', where: { event_name: 'App Launched' }, content: { body: 'Hi' } },
    labels: { team: 'growth' },
    protect: false,
    remoteId: null,
    remoteName: null,
    status: 'scheduled',
    scheduledFor: '2030-01-02T10:00:00.000Z',
    appliedAt: '2030-01-01T00:00:00.000Z',
    commit: 'abc123',
    author: 'Ada <ada@example.com>',
    ...over,
  };
}

const gitFields = { commit: 'abc123', author: 'Ada <ada@example.com>', dirty: false } as const;
function auditOf(address: string, action: string): AuditInput {
  return { command: 'apply', address, action, ...gitFields };
}

const occurrence = (key: string): RunKey => ({ kind: 'occurrence', subject: 'bulletin.album', key });

async function rejection(p: Promise<unknown>): Promise<StateError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StateError);
  return err as StateError;
}

export function stateStoreContract(name: string, factory: StateStoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    let fixture: StateStoreFixture;
    let opened: StateStore[] = [];
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const now = () => new Date(clock);

    async function open(): Promise<StateStore> {
      const s = await fixture.open({ now });
      opened.push(s);
      return s;
    }
    async function fresh(): Promise<StateStore> {
      fixture = await factory();
      return open();
    }

    afterEach(async () => {
      for (const s of opened) await s.close();
      opened = [];
      await fixture?.dispose();
      clock = Date.parse('2030-01-01T00:00:00Z');
    });

    describe('resources', () => {
      it('round-trips an applied resource, extra fields included, and lists by address', async () => {
        const s = await fresh();
        expect(await s.resources.get('campaign.b')).toBeNull();
        const b = { ...appliedCampaign('b', { remoteId: 42 }), retiredRemoteIds: [7] } as AppliedResource;
        await s.resources.put(b);
        await s.resources.put(appliedCampaign('a'));
        expect(await s.resources.get('campaign.b')).toEqual(b);
        expect((await s.resources.list()).map((r) => r.address)).toEqual(['campaign.a', 'campaign.b']);
      });

      it('lists every row without its spec, other fields (extra ones too) exactly as list() has them', async () => {
        const s = await fresh();
        expect(await s.resources.listWithoutSpecs()).toEqual([]);
        await s.resources.put({ ...appliedCampaign('b', { remoteId: 42 }), retiredRemoteIds: [7] } as AppliedResource);
        await s.resources.put(appliedCampaign('a', { scheduledFor: null, labels: {}, protect: true }));
        await s.resources.put({ ...appliedCampaign('c'), kind: 'Message', spec: { content: { body: '{{data.x}}' } }, remoteId: null });
        const full = await s.resources.list();
        const lean = await s.resources.listWithoutSpecs();
        expect(lean).toEqual(full.map(({ spec: _spec, ...rest }) => rest));
        expect(lean.map((r) => r.address)).toEqual(['campaign.a', 'campaign.b', 'campaign.c']);
        expect(lean.some((r) => 'spec' in r)).toBe(false);
      });

      it("tells the Campaigns' start instants without a row read: the distinct scheduledFor, else appliedAt, of those with a CleverTap id", async () => {
        const s = await fresh();
        expect(await s.resources.campaignStarts()).toEqual([]);
        await s.resources.put(appliedCampaign('a', { remoteId: 1 }));
        await s.resources.put(appliedCampaign('b', { remoteId: 2 })); // the same instant as a
        await s.resources.put(appliedCampaign('c', { remoteId: 3, scheduledFor: null, appliedAt: '2030-03-04T05:06:07.000Z' }));
        await s.resources.put(appliedCampaign('d', { remoteId: 4, scheduledFor: '2031-01-01T00:00:00.000Z' }));
        await s.resources.put(appliedCampaign('e', { remoteId: null, scheduledFor: '2032-01-01T00:00:00.000Z' })); // not on CleverTap
        await s.resources.put({ ...appliedCampaign('f', { remoteId: 6, scheduledFor: '2033-01-01T00:00:00.000Z' }), kind: 'Message' }); // not a Campaign
        expect((await s.resources.campaignStarts()).sort()).toEqual(['2030-01-02T10:00:00.000Z', '2030-03-04T05:06:07.000Z', '2031-01-01T00:00:00.000Z']);
        // What the refresh would make of the rows themselves.
        expect([...campaignStarts(await s.resources.listWithoutSpecs())].sort()).toEqual((await s.resources.campaignStarts()).sort());
      });

      it('lists the rows of some addresses, in one query, exactly as list() has them', async () => {
        const s = await fresh();
        expect(await s.resources.listOf([])).toEqual([]);
        await s.resources.put({ ...appliedCampaign('b', { remoteId: 42 }), retiredRemoteIds: [7] } as AppliedResource);
        await s.resources.put(appliedCampaign('a', { scheduledFor: null, labels: {}, protect: true }));
        await s.resources.put({ ...appliedCampaign('c'), kind: 'Message', spec: { content: { body: '{{data.x}}' } }, remoteId: null });
        const full = await s.resources.list();
        // Asked out of order, with an address not in state and one twice: the rows there, sorted, once each.
        expect(await s.resources.listOf(['campaign.c', 'campaign.zz', 'campaign.a', 'campaign.c'])).toEqual(full.filter((r) => r.address !== 'campaign.b'));
        // Many at once (more than SQLite's parameter limit): one JSON parameter, no limit.
        const many = Array.from({ length: 40_000 }, (_, i) => `campaign.x${i}`);
        expect((await s.resources.listOf([...many, 'campaign.b'])).map((r) => r.address)).toEqual(['campaign.b']);
      });

      it('put replaces the row; delete says whether there was one', async () => {
        const s = await fresh();
        await s.resources.put(appliedCampaign('a'));
        await s.resources.put(appliedCampaign('a', { status: 'stopped', remoteId: 9 }));
        expect(await s.resources.get('campaign.a')).toMatchObject({ status: 'stopped', remoteId: 9 });
        expect(await s.resources.list()).toHaveLength(1);
        expect(await s.resources.delete('campaign.a')).toBe(true);
        expect(await s.resources.delete('campaign.a')).toBe(false);
        expect(await s.resources.get('campaign.a')).toBeNull();
      });
    });

    describe('serial', () => {
      it('grows by one per write of recorded state, and not on reads or no-op writes', async () => {
        const s = await fresh();
        const serials: number[] = [await s.serial()];
        const step = async (write: () => Promise<unknown>) => {
          await write();
          serials.push(await s.serial());
        };
        await step(() => s.resources.put(appliedCampaign('a')));
        await step(() => s.resources.delete('campaign.a'));
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request: {}, window: null });
        serials.push(await s.serial());
        await step(() => s.journal.settle({ id: j.id, outcome: 'failed', message: 'HTTP 400', audit: auditOf('campaign.a', 'create') }));
        await step(() => s.runs.claim(occurrence('k1')));
        await step(() => s.runs.mark(occurrence('k1'), 'done'));
        await step(() => s.runs.resolve(occurrence('k2'), 'raised'));
        await step(() => s.audit.append(auditOf('campaign.a', 'stop')));
        expect(serials).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);

        // Reads, refusals and no-ops leave it alone.
        await s.resources.get('campaign.a');
        await s.resources.list();
        await s.journal.listOpen();
        await s.audit.list();
        await s.runs.list();
        expect(await s.resources.delete('campaign.missing')).toBe(false);
        expect((await s.runs.claim(occurrence('k1'))).claimed).toBe(false);
        expect(await s.runs.resolve(occurrence('never'), 'not-raised')).toBeNull();
        expect(await s.serial()).toBe(8);
      });

      it('is not moved by the lock or the outbox (coordination, not recorded state)', async () => {
        const s = await fresh();
        const lock = await s.lock.acquire({ command: 'apply', host: 'h', pid: 1 });
        expect(lock.ok).toBe(true);
        const { item } = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { to: ['u1'] } });
        await s.outbox.claimDue('2030-01-01T00:00:00Z', 1, { by: 'replica-a', leaseMs: 60_000 });
        await s.outbox.renewClaims('replica-a', 60_000);
        await s.outbox.markDone(item.id, 'replica-a');
        await s.outbox.expireClaims();
        if (lock.ok) await s.lock.release(lock.lock.id);
        expect(await s.serial()).toBe(0);
      });

      it('grows by exactly one for a transaction with several writes, zero for a read-only one', async () => {
        const s = await fresh();
        await s.transaction(async (tx) => {
          await tx.resources.put(appliedCampaign('a'));
          await tx.resources.put(appliedCampaign('b'));
          await tx.audit.append(auditOf('campaign.a', 'create'));
          expect(await tx.serial()).toBe(0);
        });
        expect(await s.serial()).toBe(1);
        await s.transaction(async (tx) => tx.resources.list());
        expect(await s.serial()).toBe(1);
      });
    });

    describe('revision', () => {
      it('changes with every write of recorded state, only then, and differs between stores with the same serial', async () => {
        const s = await fresh();
        const other = await fresh();
        const first = await s.revision();
        expect(await other.revision()).not.toBe(first);
        await s.resources.get('campaign.a');
        await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: {} });
        expect(await s.revision()).toBe(first);

        await s.resources.put(appliedCampaign('a'));
        await other.resources.put(appliedCampaign('a'));
        const second = await s.revision();
        expect(second).not.toBe(first);
        expect(await s.serial()).toBe(await other.serial());
        expect(await other.revision()).not.toBe(second);
        await s.transaction(async (tx) => {
          await tx.resources.put(appliedCampaign('b'));
          await tx.audit.append(auditOf('campaign.b', 'create'));
        });
        expect(await s.revision()).not.toBe(second);
      });
    });

    describe('journal', () => {
      it('opens rows with unique short markers, listed open oldest first', async () => {
        const s = await fresh();
        const rows = [];
        for (let i = 0; i < 50; i++) {
          rows.push(
            await s.journal.open({
              address: `campaign.c${i}`,
              operation: 'create',
              request: { remoteName: `C${i}`, specHash: `h${i}`, scheduledFor: '2030-01-02T10:00:00Z' },
              window: { from: 20300102, to: 20300103 },
            }),
          );
        }
        for (const r of rows) expect(r.id).toMatch(MARKER_PATTERN);
        expect(new Set(rows.map((r) => r.id)).size).toBe(50);
        expect(rows[0]).toMatchObject({
          address: 'campaign.c0',
          operation: 'create',
          status: 'open',
          openedAt: '2030-01-01T00:00:00.000Z',
          closedAt: null,
          remoteId: null,
          window: { from: 20300102, to: 20300103 },
          request: { remoteName: 'C0', specHash: 'h0', scheduledFor: '2030-01-02T10:00:00Z' },
        });
        expect((await s.journal.listOpen()).map((r) => r.id)).toEqual(rows.map((r) => r.id));
        expect(await s.journal.get(rows[3].id)).toEqual(rows[3]);
        expect((await s.journal.list({ address: 'campaign.c3' })).map((r) => r.id)).toEqual([rows[3].id]);
      });

      it('settles: row closed, resource written and audit appended together', async () => {
        const s = await fresh();
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request: { remoteName: 'A' }, window: null });
        clock += 5000;
        const done = await s.journal.settle({
          id: j.id,
          outcome: 'succeeded',
          remoteId: 1001,
          resource: { put: appliedCampaign('a', { remoteId: 1001 }) },
          audit: auditOf('campaign.a', 'create'),
        });
        expect(done).toMatchObject({ status: 'succeeded', remoteId: 1001, closedAt: '2030-01-01T00:00:05.000Z' });
        expect(await s.journal.listOpen()).toEqual([]);
        expect((await s.resources.get('campaign.a'))?.remoteId).toBe(1001);
        const [audit] = await s.audit.list({ address: 'campaign.a' });
        expect(audit).toMatchObject({ action: 'create', outcome: 'succeeded', journalId: j.id, commit: 'abc123', dirty: false });
      });

      it('settles a stop with a delete, and a failure without touching resources', async () => {
        const s = await fresh();
        await s.resources.put(appliedCampaign('a', { remoteId: 5 }));
        await s.resources.put(appliedCampaign('b', { remoteId: 6 }));
        const stop = await s.journal.open({ address: 'campaign.a', operation: 'stop', request: { remoteId: 5 }, window: null });
        await s.journal.settle({ id: stop.id, outcome: 'succeeded', resource: { delete: 'campaign.a' }, audit: auditOf('campaign.a', 'stop') });
        const failed = await s.journal.open({ address: 'campaign.b', operation: 'stop', request: { remoteId: 6 }, window: null });
        await s.journal.settle({ id: failed.id, outcome: 'failed', message: 'HTTP 400 bad id', audit: auditOf('campaign.b', 'stop') });
        expect(await s.resources.get('campaign.a')).toBeNull();
        expect((await s.resources.get('campaign.b'))?.remoteId).toBe(6);
        expect(await s.journal.get(failed.id)).toMatchObject({ status: 'failed', message: 'HTTP 400 bad id' });
        expect((await s.audit.list({ address: 'campaign.b' }))[0].outcome).toBe('failed');
      });

      it('refuses to settle a row twice or a row that does not exist', async () => {
        const s = await fresh();
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request: {}, window: null });
        await s.journal.settle({ id: j.id, outcome: 'not-created', audit: auditOf('campaign.a', 'create') });
        const serial = await s.serial();
        const again = await rejection(
          s.journal.settle({ id: j.id, outcome: 'adopted', remoteId: 3, resource: { put: appliedCampaign('a') }, audit: auditOf('campaign.a', 'create') }),
        );
        expect(again.code).toBe('conflict');
        expect((await rejection(s.journal.settle({ id: 'zzzzzzzzzz', outcome: 'failed', audit: auditOf('x', 'y') }))).code).toBe('not-found');
        expect(await s.resources.get('campaign.a')).toBeNull();
        expect(await s.journal.get(j.id)).toMatchObject({ status: 'not-created', remoteId: null });
        expect(await s.serial()).toBe(serial);
      });

      it('keeps only the documented request fields (a stray header has nowhere to go)', async () => {
        const s = await fresh();
        const request = { remoteName: 'A', headers: { 'X-CleverTap-Passcode': 'PASSCODE-123' }, body: { x: 1 } };
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request, window: null });
        expect(j.request).toEqual({ remoteName: 'A' });
        expect((await s.journal.get(j.id))?.request).toEqual({ remoteName: 'A' });
      });
    });

    describe('transactions', () => {
      it('a failure inside the callback leaves nothing of it behind', async () => {
        const s = await fresh();
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request: {}, window: null });
        const serial = await s.serial();
        const boom = new Error('crash between the writes');
        const err = await s
          .transaction(async (tx) => {
            await tx.journal.settle({ id: j.id, outcome: 'succeeded', remoteId: 77, audit: auditOf('campaign.a', 'create') });
            await tx.resources.put(appliedCampaign('a', { remoteId: 77 }));
            await tx.runs.claim(occurrence('k'));
            await tx.outbox.enqueue({ kind: 'raise', address: 'bulletin.album', payload: { name: 'x' } });
            throw boom;
          })
          .catch((e: unknown) => e);
        expect(err).toBe(boom);
        expect(await s.journal.get(j.id)).toMatchObject({ status: 'open', remoteId: null });
        expect(await s.resources.get('campaign.a')).toBeNull();
        expect(await s.audit.list()).toEqual([]);
        expect(await s.runs.get(occurrence('k'))).toBeNull();
        expect(await s.outbox.list()).toEqual([]);
        expect(await s.serial()).toBe(serial);
      });

      it('a settle whose resource is refused is undone as a whole', async () => {
        const s = await fresh();
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request: {}, window: null });
        const bad = appliedCampaign('a', { spec: { content: { passcode: 'PASSCODE-123' } } });
        const err = await rejection(s.journal.settle({ id: j.id, outcome: 'succeeded', remoteId: 1, resource: { put: bad }, audit: auditOf('campaign.a', 'create') }));
        expect(err.code).toBe('not-storable');
        expect((await s.journal.get(j.id))?.status).toBe('open');
        expect(await s.audit.list()).toEqual([]);
      });

      it('a method that fails inside a transaction is undone even when the callback goes on', async () => {
        const s = await fresh();
        const j = await s.journal.open({ address: 'campaign.a', operation: 'create', request: {}, window: null });
        const bad = appliedCampaign('a', { spec: { headers: {} } });
        await s.transaction(async (tx) => {
          await tx.journal.settle({ id: j.id, outcome: 'succeeded', remoteId: 1, resource: { put: bad }, audit: auditOf('campaign.a', 'create') }).catch(() => undefined);
          await tx.resources.put(appliedCampaign('b'));
        });
        expect((await s.journal.get(j.id))?.status).toBe('open');
        expect(await s.audit.list()).toEqual([]);
        expect((await s.resources.list()).map((r) => r.address)).toEqual(['campaign.b']);
        expect(await s.serial()).toBe(2);
      });

      it('commits everything the callback wrote and returns its value', async () => {
        const s = await fresh();
        const out = await s.transaction(async (tx) => {
          await tx.resources.put(appliedCampaign('a'));
          const seen = await tx.resources.get('campaign.a');
          return seen?.address;
        });
        expect(out).toBe('campaign.a');
        expect(await s.resources.get('campaign.a')).not.toBeNull();
      });

      it('other callers wait for the transaction and never see it half done', async () => {
        const s = await fresh();
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const tx = s.transaction(async (t) => {
          await t.resources.put(appliedCampaign('a'));
          await gate;
          await t.resources.put(appliedCampaign('b'));
        });
        const reader = s.resources.list();
        await new Promise((r) => setTimeout(r, 20));
        release();
        await tx;
        expect((await reader).map((r) => r.address)).toEqual(['campaign.a', 'campaign.b']);
      });

      it('refuses the store from inside its own callback, and the handle after the end', async () => {
        const s = await fresh();
        let handle: Parameters<Parameters<StateStore['transaction']>[0]>[0] | undefined;
        const nested = await rejection(
          s.transaction(async (tx) => {
            handle = tx;
            await s.resources.get('campaign.a');
          }),
        );
        expect(nested.code).toBe('nested-transaction');
        expect((await rejection(handle!.resources.get('campaign.a'))).code).toBe('conflict');
      });
    });

    describe('lock', () => {
      it('one holder at a time; refused callers see the holder', async () => {
        const s = await fresh();
        const first = await s.lock.acquire({ command: 'apply', host: 'ci-1', pid: 4242 });
        if (!first.ok) throw new Error('first acquire refused');
        // A backend may add the holder's heartbeat and epoch (PostgreSQL); these fields are everyone's.
        expect(first.lock).toMatchObject({ id: first.lock.id, host: 'ci-1', pid: 4242, command: 'apply', since: '2030-01-01T00:00:00.000Z' });
        expect(first.lock.id).toMatch(MARKER_PATTERN);
        const second = await s.lock.acquire({ command: 'stop campaign.a', host: 'ci-2', pid: 7 });
        expect(second).toEqual({ ok: false, holder: first.lock });
        expect(await s.lock.current()).toEqual(first.lock);
      });

      it('re-acquires under the same holder id', async () => {
        const s = await fresh();
        const first = await s.lock.acquire({ command: 'watch', host: 'h', pid: 1, holderId: 'daemon0001' });
        const again = await s.lock.acquire({ command: 'watch', host: 'h', pid: 1, holderId: 'daemon0001' });
        expect(first).toMatchObject({ ok: true, lock: { id: 'daemon0001' } });
        expect(again).toEqual(first);
      });

      it('release and force-unlock need the exact id', async () => {
        const s = await fresh();
        const got = await s.lock.acquire({ command: 'apply', host: 'h', pid: 1 });
        if (!got.ok) throw new Error('refused');
        const id = got.lock.id;
        expect(await s.lock.release('someone-else')).toBe(false);
        expect(await s.lock.forceUnlock(id.slice(0, 5))).toBeNull();
        expect(await s.lock.current()).toEqual(got.lock);
        expect(await s.lock.forceUnlock(id)).toEqual(got.lock);
        expect(await s.lock.current()).toBeNull();
        expect(await s.lock.forceUnlock(id)).toBeNull();
        const next = await s.lock.acquire({ command: 'apply', host: 'h', pid: 2 });
        if (!next.ok) throw new Error('refused after unlock');
        expect(await s.lock.release(next.lock.id)).toBe(true);
        expect(await s.lock.release(next.lock.id)).toBe(false);
      });
    });

    describe('leases', () => {
      const req = (id: string, ttlMs = 30_000) => ({ id, host: 'box', pid: 10, command: 'watch', ttlMs });
      /** Lets a lease of ttlMs run out: the test clock moves, or real time passes on a database clock. */
      async function expire(ttlMs: number): Promise<void> {
        if (fixture.databaseClock) await new Promise((r) => setTimeout(r, ttlMs + 50));
        else clock += ttlMs + 1;
      }

      it('one holder at a time; a refused caller sees who holds it', async () => {
        const s = await fresh();
        const first = await s.leases.acquire('daemon', req('replica-a'));
        if (!first.ok) throw new Error('first acquire refused');
        expect(first.lease).toMatchObject({ name: 'daemon', id: 'replica-a', host: 'box', pid: 10, command: 'watch', epoch: 1 });
        expect(Date.parse(first.lease.expiresAt) - Date.parse(first.lease.heartbeat)).toBe(30_000);
        const second = await s.leases.acquire('daemon', req('replica-b'));
        expect(second).toEqual({ ok: false, holder: first.lease });
        expect(await s.leases.current('daemon')).toEqual(first.lease);
        expect(await s.leases.current('leader')).toBeNull();
        const other = await s.leases.acquire('leader', req('replica-b'));
        expect(other.ok).toBe(true);
      });

      it('renews only for its holder and keeps the epoch', async () => {
        const s = await fresh();
        await s.leases.acquire('daemon', req('replica-a'));
        expect(await s.leases.renew('daemon', 'replica-b', 30_000)).toBeNull();
        const renewed = await s.leases.renew('daemon', 'replica-a', 60_000);
        expect(renewed).toMatchObject({ id: 'replica-a', epoch: 1 });
        expect(Date.parse(renewed!.expiresAt) - Date.parse(renewed!.heartbeat)).toBe(60_000);
        const again = await s.leases.acquire('daemon', req('replica-a'));
        expect(again).toMatchObject({ ok: true, lease: { id: 'replica-a', epoch: 1 } });
      });

      it('an expired lease goes to the next caller with a new epoch; the old holder can not renew it', async () => {
        const s = await fresh();
        const ttl = fixture.databaseClock ? 300 : 30_000;
        await s.leases.acquire('daemon', req('replica-a', ttl));
        await expire(ttl);
        expect(await s.leases.current('daemon')).toBeNull();
        const next = await s.leases.acquire('daemon', req('replica-b'));
        expect(next).toMatchObject({ ok: true, lease: { id: 'replica-b', epoch: 2 } });
        expect(await s.leases.renew('daemon', 'replica-a', 30_000)).toBeNull();
      });

      it('release frees it for its holder only; the epoch survives the release', async () => {
        const s = await fresh();
        await s.leases.acquire('daemon', req('replica-a'));
        expect(await s.leases.release('daemon', 'replica-b')).toBe(false);
        expect(await s.leases.release('daemon', '')).toBe(false);
        expect(await s.leases.release('daemon', 'replica-a')).toBe(true);
        expect(await s.leases.current('daemon')).toBeNull();
        expect(await s.leases.release('daemon', 'replica-a')).toBe(false);
        const next = await s.leases.acquire('daemon', req('replica-b'));
        expect(next).toMatchObject({ ok: true, lease: { id: 'replica-b', epoch: 2 } });
      });

      it('takeOver replaces only the exact live holder', async () => {
        const s = await fresh();
        expect(await s.leases.takeOver('daemon', 'replica-a', req('replica-b'))).toBeNull();
        const first = await s.leases.acquire('daemon', req('replica-a'));
        if (!first.ok) throw new Error('refused');
        expect(await s.leases.takeOver('daemon', 'replica-x', req('replica-b'))).toEqual({ ok: false, holder: first.lease });
        const taken = await s.leases.takeOver('daemon', 'replica-a', req('replica-b'));
        expect(taken).toMatchObject({ ok: true, lease: { id: 'replica-b', epoch: 2 } });
        expect(await s.leases.renew('daemon', 'replica-a', 30_000)).toBeNull();
      });

      it('a take that ends another holder\'s term names the holder it replaced; a free, released or renewed lease names none', async () => {
        const s = await fresh();
        const ttl = fixture.databaseClock ? 300 : 30_000;
        const first = await s.leases.acquire('daemon', req('replica-a', ttl));
        expect(first.ok && first.replaced).toBeUndefined();
        const renewed = await s.leases.acquire('daemon', req('replica-a', ttl));
        expect(renewed.ok && renewed.replaced).toBeUndefined();
        await expire(ttl);
        const next = await s.leases.acquire('daemon', req('replica-b'));
        if (!next.ok || !first.ok) throw new Error('refused');
        expect(next.replaced).toMatchObject({ id: 'replica-a', epoch: 1, host: 'box', pid: 10 });
        const taken = await s.leases.takeOver('daemon', 'replica-b', req('replica-c'));
        expect(taken).toMatchObject({ ok: true, lease: { id: 'replica-c', epoch: 3 }, replaced: { id: 'replica-b', epoch: 2 } });
        await s.leases.release('daemon', 'replica-c');
        const afterRelease = await s.leases.acquire('daemon', req('replica-d'));
        expect(afterRelease).toMatchObject({ ok: true, lease: { id: 'replica-d', epoch: 4 } });
        expect(afterRelease.ok && afterRelease.replaced).toBeUndefined();
      });

      it('lease writes never bump the serial', async () => {
        const s = await fresh();
        const before = await s.serial();
        await s.leases.acquire('daemon', req('replica-a'));
        await s.leases.renew('daemon', 'replica-a', 30_000);
        await s.leases.release('daemon', 'replica-a');
        expect(await s.serial()).toBe(before);
      });

      it('two stores on one location: only one takes the lease', async () => {
        await fresh();
        const [a, b] = [await open(), await open()];
        const results = await Promise.all([a.leases.acquire('daemon', req('replica-a')), b.leases.acquire('daemon', req('replica-b'))]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
      });
    });

    describe('refresh requests', () => {
      it('adds with who and when, takes them all oldest first, and a second take gets none', async () => {
        const s = await fresh();
        expect(await s.requests.take()).toEqual([]);
        const a = await s.requests.add('webhook', 'replica-a');
        clock += 1000;
        const b = await s.requests.add('api', 'replica-b');
        expect(a).toMatchObject({ reason: 'webhook', by: 'replica-a', at: '2030-01-01T00:00:00.000Z' });
        expect(b).toMatchObject({ reason: 'api', by: 'replica-b', at: '2030-01-01T00:00:01.000Z' });
        expect(b.id).toBeGreaterThan(a.id);
        expect(await s.requests.count()).toBe(2);
        expect(await s.requests.take()).toEqual([a, b]);
        expect(await s.requests.count()).toBe(0);
        expect(await s.requests.take()).toEqual([]);
      });

      it('never bumps the serial', async () => {
        const s = await fresh();
        const before = await s.serial();
        const revision = await s.revision();
        await s.requests.add('api', 'replica-a');
        await s.requests.take();
        expect(await s.serial()).toBe(before);
        expect(await s.revision()).toBe(revision);
      });

      it('two stores taking at once: each request goes to one of them', async () => {
        await fresh();
        const [a, b] = [await open(), await open()];
        const added = [];
        for (let i = 0; i < 20; i++) added.push(await (i % 2 ? a : b).requests.add('webhook', `replica-${i % 2}`));
        const takes = await Promise.all([a.requests.take(), b.requests.take(), a.requests.take(), b.requests.take()]);
        const ids = takes.flat().map((r) => r.id);
        expect(ids.sort((x, y) => x - y)).toEqual(added.map((r) => r.id));
      });
    });

    describe('runs', () => {
      it('hands a claim out once; claimed, done and unknown are final, failed is claimable again', async () => {
        const s = await fresh();
        const first = await s.runs.claim(occurrence('2030-01-05'), { journalId: 'j1' });
        expect(first).toMatchObject({ claimed: true, run: { status: 'claimed', attempts: 1, detail: { journalId: 'j1' } } });
        expect(await s.runs.claim(occurrence('2030-01-05'))).toMatchObject({ claimed: false, run: { status: 'claimed' } });
        await s.runs.mark(occurrence('2030-01-05'), 'unknown', { error: 'timeout after send' });
        expect(await s.runs.claim(occurrence('2030-01-05'))).toMatchObject({
          claimed: false,
          run: { status: 'unknown', detail: { error: 'timeout after send' } },
        });
        await s.runs.claim(occurrence('b'));
        await s.runs.mark(occurrence('b'), 'done');
        expect((await s.runs.claim(occurrence('b'))).claimed).toBe(false);
        await s.runs.claim(occurrence('c'));
        await s.runs.mark(occurrence('c'), 'failed', { error: 'HTTP 400' });
        expect(await s.runs.claim(occurrence('c'))).toMatchObject({ claimed: true, run: { status: 'claimed', attempts: 2 } });
      });

      it('keys by kind, subject and key; lists by subject in key order', async () => {
        const s = await fresh();
        await s.runs.claim({ kind: 'schedule', subject: 'schedule.digest', key: '2030-01-06T09:00:00.000Z' });
        await s.runs.claim({ kind: 'schedule', subject: 'schedule.digest', key: '2030-01-05T09:00:00.000Z' });
        await s.runs.claim({ kind: 'occurrence', subject: 'bulletin.album', key: 'launch' });
        expect((await s.runs.claim({ kind: 'occurrence', subject: 'schedule.digest', key: '2030-01-05T09:00:00.000Z' })).claimed).toBe(true);
        const digest = await s.runs.list({ subject: 'schedule.digest', kind: 'schedule' });
        expect(digest.map((r) => r.key)).toEqual(['2030-01-05T09:00:00.000Z', '2030-01-06T09:00:00.000Z']);
        expect(await s.runs.list({ status: 'done' })).toEqual([]);
        expect(await s.runs.list()).toHaveLength(4);
      });

      it('keeps a campaign report on its run without moving the serial, and survives a later mark', async () => {
        const s = await fresh();
        const key = { kind: 'schedule' as const, subject: 'schedule.digest', key: '2030-01-05T09:00:00Z' };
        await s.runs.claim(key);
        const done = await s.runs.mark(key, 'done', { campaignId: 7 });
        expect(done.report).toBeNull();
        const serial = await s.serial();
        const kept = await s.runs.keepReport(key, { sent: 1200, clicked: 84 });
        expect(kept).toMatchObject({ status: 'done', detail: { campaignId: 7 }, report: { sent: 1200, clicked: 84 } });
        expect(typeof kept.report!.fetchedAt).toBe('string');
        expect(await s.serial()).toBe(serial);
        // A hand resolution rewrites the detail; the figures CleverTap reported stay.
        await s.runs.resolve(key, 'raised', { by: 'state resolve' });
        expect((await s.runs.get(key))?.report).toMatchObject({ sent: 1200, clicked: 84 });
        expect((await rejection(s.runs.keepReport({ ...key, key: 'never' }, { sent: 1, clicked: 0 }))).code).toBe('not-found');
      });

      it('mark needs a claimed run', async () => {
        const s = await fresh();
        expect((await rejection(s.runs.mark(occurrence('never'), 'done'))).code).toBe('not-found');
      });

      it('resolves by hand: raised becomes done (even never claimed), not-raised becomes claimable', async () => {
        const s = await fresh();
        await s.runs.claim(occurrence('u'));
        await s.runs.mark(occurrence('u'), 'unknown');
        expect(await s.runs.resolve(occurrence('u'), 'not-raised', { by: 'ada' })).toMatchObject({
          status: 'failed',
          detail: { by: 'ada', resolved: 'not-raised' },
        });
        expect((await s.runs.claim(occurrence('u'))).claimed).toBe(true);
        expect(await s.runs.resolve(occurrence('manual'), 'raised')).toMatchObject({ status: 'done', attempts: 0 });
        expect((await s.runs.claim(occurrence('manual'))).claimed).toBe(false);
      });

      it('concurrent claims in one process: exactly one wins', async () => {
        const s = await fresh();
        const results = await Promise.all(Array.from({ length: 10 }, () => s.runs.claim(occurrence('race'))));
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
      });
    });

    describe('schedule ledger', () => {
      const tick = { kind: 'schedule' as const, subject: 'schedule.digest', key: '2030-01-05T09:00:00Z' };

      it('record writes a tick that ends without a call only when the key is new, and never overwrites a claim', async () => {
        const s = await fresh();
        expect(await s.runs.record(tick, 'missed', { reason: 'missed' })).toMatchObject({ recorded: true, run: { status: 'missed', attempts: 0 } });
        expect(await s.runs.record(tick, 'skipped')).toMatchObject({ recorded: false, run: { status: 'missed' } });
        const other = { ...tick, key: '2030-01-06T09:00:00Z' };
        await s.runs.claim(other);
        expect(await s.runs.record(other, 'missed')).toMatchObject({ recorded: false, run: { status: 'claimed' } });
      });

      it('a pass takes its schedule in its transaction, also before the schedule has a cursor', async () => {
        const s = await fresh();
        expect(await s.transaction((tx) => tx.cursors.take('schedule.digest'))).toBe(true);
        await s.cursors.advance('schedule.digest', '2030-01-05T10:00:00.000Z');
        const serial = await s.serial();
        const taken = await s.transaction(async (tx) => {
          const mine = await tx.cursors.take('schedule.digest');
          // Taking twice in one transaction is still this pass's.
          return mine && (await tx.cursors.take('schedule.digest'));
        });
        expect(taken).toBe(true);
        expect(await s.serial()).toBe(serial);
      });

      it('take with advanceTo moves the cursor it takes, forward only, also when there is none yet', async () => {
        const s = await fresh();
        const serial = await s.serial();
        expect(await s.transaction((tx) => tx.cursors.take('schedule.digest', { advanceTo: '2030-01-05T10:00:00.000Z' }))).toBe(true);
        expect(await s.cursors.get('schedule.digest')).toBe('2030-01-05T10:00:00.000Z');
        expect(await s.transaction((tx) => tx.cursors.take('schedule.digest', { advanceTo: '2030-01-05T10:01:00.000Z' }))).toBe(true);
        expect(await s.cursors.get('schedule.digest')).toBe('2030-01-05T10:01:00.000Z');
        expect(await s.transaction((tx) => tx.cursors.take('schedule.digest', { advanceTo: '2030-01-05T09:00:00.000Z' }))).toBe(true);
        expect(await s.cursors.get('schedule.digest')).toBe('2030-01-05T10:01:00.000Z');
        expect(await s.serial()).toBe(serial);
      });

      it('takeTick moves the cursor and reads the tick and its schedule\'s claimed ticks, also with no cursor yet', async () => {
        const s = await fresh();
        const serial = await s.serial();
        const at = (h: string): RunKey => ({ kind: 'schedule', subject: 'schedule.digest', key: `2030-01-05T${h}:00:00.000Z` });
        // No cursor and no ledger yet: the cursor is created at advanceTo, nothing decided.
        expect(await s.transaction((tx) => tx.runs.takeTick('schedule.digest', at('10'), at('10').key))).toEqual({ run: null, claimed: [] });
        expect(await s.cursors.get('schedule.digest')).toBe(at('10').key);
        await s.runs.claim(at('08'));
        await s.runs.claim(at('09'));
        await s.runs.mark(at('09'), 'done');
        await s.runs.claim(at('10'));
        // Another schedule's claimed tick and an occurrence of the same subject are not this ledger's.
        await s.runs.claim({ kind: 'schedule', subject: 'schedule.other', key: at('08').key });
        await s.runs.claim({ kind: 'occurrence', subject: 'schedule.digest', key: 'o-1' });
        const eleven = await s.transaction((tx) => tx.runs.takeTick('schedule.digest', at('11'), at('11').key));
        expect(eleven?.run).toBeNull();
        expect(eleven?.claimed.map((r) => r.key)).toEqual([at('08').key, at('10').key]);
        expect(await s.cursors.get('schedule.digest')).toBe(at('11').key);
        // A tick decided already comes back as `run`; the cursor never moves back.
        const ten = await s.transaction((tx) => tx.runs.takeTick('schedule.digest', at('10'), at('10').key));
        expect(ten?.run).toMatchObject({ key: at('10').key, status: 'claimed' });
        expect(ten?.claimed.map((r) => r.key)).toEqual([at('08').key]);
        expect(await s.cursors.get('schedule.digest')).toBe(at('11').key);
        // The claims bumped the serial; the takes did not.
        expect(await s.serial()).toBe(serial + 6);
      });

      it('decideTick claims a tick under its cursor in one step; what only the caller can judge it leaves, having written nothing', async () => {
        const s = await fresh();
        const at = (h: string): RunKey => ({ kind: 'schedule', subject: 'schedule.digest', key: `2030-01-05T${h}:00:00.000Z` });
        const ask = (k: RunKey, overlap: 'allow' | 'check' = 'check') => s.runs.decideTick({ address: k.subject, key: k, advanceTo: k.key, detail: { host: 'h', pid: 7 }, overlap });
        // No cursor yet: the caller creates it (takeTick); nothing was written here.
        let serial = await s.serial();
        expect(await ask(at('09'))).toBeNull();
        expect(await s.cursors.get('schedule.digest')).toBeNull();
        expect(await s.runs.list()).toEqual([]);
        expect(await s.serial()).toBe(serial);

        await s.cursors.advance('schedule.digest', at('08').key);
        const nine = await ask(at('09'));
        expect(nine).toMatchObject({ kind: 'claimed', run: { key: at('09').key, status: 'claimed', attempts: 1, detail: { host: 'h', pid: 7 } } });
        expect(await s.cursors.get('schedule.digest')).toBe(at('09').key);
        expect(await s.serial()).toBe(serial + 1);
        // The same tick again: the ledger's run, nothing written.
        serial = await s.serial();
        expect(await ask(at('09'))).toEqual({ kind: 'already-claimed', run: nine!.kind === 'claimed' ? nine!.run : null });
        expect(await s.serial()).toBe(serial);

        // 09 is still claimed: under overlap check, whether it is still in flight is the caller's to judge.
        expect(await ask(at('10'))).toBeNull();
        expect(await s.runs.get(at('10'))).toBeNull();
        expect(await s.cursors.get('schedule.digest')).toBe(at('09').key);
        expect(await s.serial()).toBe(serial);
        // Overlap allowed: claimed, and the cursor moves with it.
        expect(await ask(at('10'), 'allow')).toMatchObject({ kind: 'claimed', run: { key: at('10').key } });
        expect(await s.cursors.get('schedule.digest')).toBe(at('10').key);
        // Once the earlier ticks are done, overlap check claims at once; a tick in the past leaves the cursor where it is.
        await s.runs.mark(at('09'), 'done');
        await s.runs.mark(at('10'), 'done');
        expect(await ask(at('11'))).toMatchObject({ kind: 'claimed' });
        await s.runs.mark(at('11'), 'done');
        await s.runs.record(at('07'), 'failed', { error: 'bad' });
        expect(await ask(at('07'))).toMatchObject({ kind: 'already-claimed', run: { status: 'failed' } });
        expect(await ask(at('06'))).toMatchObject({ kind: 'claimed', run: { key: at('06').key } });
        expect(await s.cursors.get('schedule.digest')).toBe(at('11').key);
        await s.runs.mark(at('06'), 'done');
        // Another schedule's claimed tick is not this ledger's.
        await s.cursors.advance('schedule.other', at('08').key);
        await s.runs.claim({ kind: 'schedule', subject: 'schedule.other', key: at('12').key });
        expect(await ask(at('12'))).toMatchObject({ kind: 'claimed', run: { subject: 'schedule.digest' } });
      });

      it('cursors only move forward (unless reset) and never bump the serial', async () => {
        const s = await fresh();
        const serial = await s.serial();
        expect(await s.cursors.get('schedule.digest')).toBeNull();
        await s.cursors.advance('schedule.digest', '2030-01-05T10:00:00.000Z');
        expect(await s.cursors.advance('schedule.digest', '2030-01-05T09:00:00.000Z')).toBe('2030-01-05T10:00:00.000Z');
        await s.cursors.advance('schedule.digest', '2030-01-05T09:30:00.000Z', { reset: true });
        expect(await s.cursors.get('schedule.digest')).toBe('2030-01-05T09:30:00.000Z');
        expect(await s.serial()).toBe(serial);
        expect(await s.cursors.delete('schedule.digest')).toBe(true);
        expect(await s.cursors.get('schedule.digest')).toBeNull();
      });
    });

    describe('outbox', () => {
      const A = { by: 'replica-a', leaseMs: 60_000 };
      const B = { by: 'replica-b', leaseMs: 60_000 };
      /** Claims the item with this id (it must be the only one due). */
      async function claimOne(s: StateStore, id: number, claim = A): Promise<void> {
        expect((await s.outbox.claimDue('2031-01-01T00:00:00Z', 1, claim)).map((i) => i.id)).toEqual([id]);
      }
      /** Where a lease taken now should end: the test clock, or the database's (real time). */
      function expectLease(leaseUntil: string | null, leaseMs: number): void {
        const base = fixture.databaseClock ? Date.now() : clock;
        expect(Math.abs(Date.parse(leaseUntil!) - (base + leaseMs))).toBeLessThanOrEqual(fixture.databaseClock ? 5_000 : 0);
      }
      /** Lets a lease of leaseMs run out: the test clock moves, or real time passes on a database clock. */
      async function expire(leaseMs: number): Promise<void> {
        if (fixture.databaseClock) await new Promise((r) => setTimeout(r, leaseMs + 50));
        else clock += leaseMs + 1;
      }

      it('enqueues (committed: another connection sees it at once) and dedupes by key', async () => {
        const s = await fresh();
        const a = await s.outbox.enqueue({ kind: 'trigger', address: 'trigger.up', payload: { to: { Identity: ['u1'] }, data: { plan: 'pro' } }, dedupeKey: 'req-1' });
        expect(a.created).toBe(true);
        expect(a.item).toMatchObject({ status: 'pending', attempts: 0, enqueuedAt: '2030-01-01T00:00:00.000Z', nextAttemptAt: '2030-01-01T00:00:00.000Z', claimedBy: null, leaseUntil: null });
        const other = await open();
        expect(await other.outbox.get(a.item.id)).toEqual(a.item);
        const again = await s.outbox.enqueue({ kind: 'trigger', address: 'trigger.up', payload: { different: true }, dedupeKey: 'req-1' });
        expect(again).toEqual({ item: a.item, created: false });
        expect(await s.outbox.list()).toHaveLength(1);
      });

      it('counts items by status, every status present', async () => {
        const s = await fresh();
        expect(await s.outbox.counts()).toEqual({ pending: 0, sending: 0, done: 0, failed: 0, unknown: 0 });
        const ids: number[] = [];
        for (let n = 0; n < 5; n++) ids.push((await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n } })).item.id);
        expect(await s.outbox.claimDue('2030-01-01T00:00:00Z', 4, A)).toHaveLength(4);
        await s.outbox.markDone(ids[0]!, A.by);
        await s.outbox.markDone(ids[1]!, A.by);
        await s.outbox.markUnknown(ids[2]!, A.by, { error: 'timeout after send' });
        expect(await s.outbox.counts()).toEqual({ pending: 1, sending: 1, done: 2, failed: 0, unknown: 1 });
      });

      it('claimDue takes pending items whose time came, earliest first, then in enqueue order, up to limit, each once', async () => {
        const s = await fresh();
        const later = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 1 }, notBefore: '2030-01-01T00:10:00Z' });
        const first = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 2 } });
        const second = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 3 } });
        const third = await s.outbox.enqueue({ kind: 'raise', address: 'bulletin.b', payload: { n: 4 } });
        const ids = async (at: string, limit: number, claim = A) => (await s.outbox.claimDue(at, limit, claim)).map((i) => i.id);
        expect(await ids('2029-12-31T23:59:59Z', 10)).toEqual([]);
        expect(await ids('2030-01-01T00:05:00Z', 2)).toEqual([first.item.id, second.item.id]);
        expect(await ids('2030-01-01T00:05:00Z', 10, B)).toEqual([third.item.id]);
        expect(await ids('2030-01-01T00:05:00Z', 10)).toEqual([]);
        expect(await ids('2030-01-01T00:10:00.000Z', 10, B)).toEqual([later.item.id]);
        expect(await ids('2031-01-01T00:00:00Z', 10)).toEqual([]);
        expect((await s.outbox.list()).map((i) => [i.id, i.status, i.attempts, i.claimedBy])).toEqual([
          [later.item.id, 'sending', 1, 'replica-b'],
          [first.item.id, 'sending', 1, 'replica-a'],
          [second.item.id, 'sending', 1, 'replica-a'],
          [third.item.id, 'sending', 1, 'replica-b'],
        ]);
      });

      it('a claim names its claimer and its lease; only that claimer settles it, another gets a conflict and changes nothing', async () => {
        const s = await fresh();
        const { item } = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 1 } });
        const [claimed] = await s.outbox.claimDue('2030-01-01T00:00:00Z', 10, A);
        expect(claimed).toMatchObject({ id: item.id, status: 'sending', attempts: 1, claimedBy: 'replica-a', lastAttemptAt: '2030-01-01T00:00:00.000Z' });
        expectLease(claimed!.leaseUntil, 60_000);
        expect(await s.outbox.get(item.id)).toEqual(claimed);
        // Another replica (another store on the same state) neither takes it nor settles it.
        const other = await open();
        expect(await other.outbox.claimDue('2031-01-01T00:00:00Z', 10, B)).toEqual([]);
        const refused = await rejection(other.outbox.markDone(item.id, B.by, { calls: 1 }));
        expect(refused.code).toBe('conflict');
        expect(refused.message).toMatch(/claimed by replica-a/);
        expect((await rejection(other.outbox.markFailed(item.id, B.by, { error: 'x', retryAt: '2030-01-01T00:01:00Z' }))).code).toBe('conflict');
        expect((await rejection(other.outbox.markUnknown(item.id, B.by, { error: 'x' }))).code).toBe('conflict');
        expect(await other.outbox.renewClaims(B.by, 60_000)).toBe(0);
        expect(await s.outbox.get(item.id)).toEqual(claimed);
        const done = await s.outbox.markDone(item.id, A.by, { calls: 1 });
        expect(done).toMatchObject({ status: 'done', claimedBy: 'replica-a', leaseUntil: null, result: { calls: 1 } });
        // Settled once: the same claimer can not settle it again either.
        expect((await rejection(s.outbox.markUnknown(item.id, A.by, { error: 'x' }))).code).toBe('conflict');
        expect((await rejection(s.outbox.markDone(999, A.by))).code).toBe('not-found');
      });

      it('failures retry later (the claim ends) or end; unknown and done leave the queue', async () => {
        const s = await fresh();
        const { item } = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 1 } });
        await claimOne(s, item.id);
        const retry = await s.outbox.markFailed(item.id, A.by, { error: 'HTTP 429', retryAt: '2030-01-01T00:01:00Z' });
        expect(retry).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 429', nextAttemptAt: '2030-01-01T00:01:00.000Z', claimedBy: null, leaseUntil: null });
        expect(await s.outbox.claimDue('2030-01-01T00:00:30Z', 10, B)).toEqual([]);
        expect((await s.outbox.claimDue('2030-01-01T00:01:00Z', 10, B)).map((i) => [i.id, i.attempts, i.claimedBy])).toEqual([[item.id, 2, 'replica-b']]);
        // The first claimer's claim ended with its retry: only the second one settles the second attempt.
        expect((await rejection(s.outbox.markDone(item.id, A.by))).code).toBe('conflict');
        const dead = await s.outbox.markFailed(item.id, B.by, { error: 'HTTP 400' });
        expect(dead).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null, claimedBy: 'replica-b', leaseUntil: null });

        const u = (await s.outbox.enqueue({ kind: 'raise', address: 'bulletin.b', payload: {} })).item;
        await claimOne(s, u.id);
        expect(await s.outbox.markUnknown(u.id, A.by, { error: 'socket hang up after send' })).toMatchObject({ status: 'unknown', lastError: 'socket hang up after send' });
        const d = (await s.outbox.enqueue({ kind: 'raise', address: 'bulletin.b', payload: {} })).item;
        await claimOne(s, d.id);
        expect(await s.outbox.markDone(d.id, A.by, { calls: 1 })).toMatchObject({ status: 'done', result: { calls: 1 } });
        expect(await s.outbox.claimDue('2031-01-01T00:00:00Z', 10, A)).toEqual([]);
        expect((await s.outbox.list({ status: 'unknown' })).map((i) => i.id)).toEqual([u.id]);
      });

      it('a claim whose lease ran out becomes unknown, never pending; a renewed one stays; a lease that ran out is not renewed', async () => {
        const s = await fresh();
        const lease = fixture.databaseClock ? 400 : 30_000;
        const a = (await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 1 } })).item;
        const b = (await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 2 } })).item;
        await claimOne(s, a.id, { by: 'replica-a', leaseMs: lease });
        await claimOne(s, b.id, { by: 'replica-b', leaseMs: lease });
        expect(await s.outbox.expireClaims()).toEqual([]);
        expect(await s.outbox.renewClaims('replica-a', 60_000)).toBe(1);
        expectLease((await s.outbox.get(a.id))!.leaseUntil, 60_000);
        await expire(lease);
        expect(await s.outbox.renewClaims('replica-b', 60_000)).toBe(0);
        const expired = await s.outbox.expireClaims();
        expect(expired.map((i) => [i.id, i.status, i.claimedBy, i.leaseUntil, i.nextAttemptAt])).toEqual([[b.id, 'unknown', 'replica-b', null, null]]);
        expect(expired[0]!.lastError).toMatch(/^the claim of replica replica-b ran out at .+ while it was being sent: it may have been sent, so it is not sent again/);
        expect(await s.outbox.get(b.id)).toEqual(expired[0]);
        // The claimer that stalled past its lease can not record an outcome any more.
        expect((await rejection(s.outbox.markDone(b.id, 'replica-b'))).code).toBe('conflict');
        expect(await s.outbox.claimDue('2031-01-01T00:00:00Z', 10, A)).toEqual([]);
        expect(await s.outbox.expireClaims()).toEqual([]);
        expect(await s.outbox.get(a.id)).toMatchObject({ status: 'sending', claimedBy: 'replica-a' });
        expect(await s.outbox.markDone(a.id, 'replica-a')).toMatchObject({ status: 'done' });
        expect(await s.outbox.counts()).toEqual({ pending: 0, sending: 0, done: 1, failed: 0, unknown: 1 });
      });

      it('expireClaimsOf settles only that holder\'s `sending` items as unknown, at once, never pending', async () => {
        const s = await fresh();
        const enqueue = async (n: number) => (await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n } })).item;
        const [a1, a2, b1, queued] = [await enqueue(1), await enqueue(2), await enqueue(3), await enqueue(4)];
        expect((await s.outbox.claimDue('2031-01-01T00:00:00Z', 2, A)).map((i) => i.id)).toEqual([a1.id, a2.id]);
        await claimOne(s, b1.id, B);
        // a2 was settled by its claimer before it stopped: a settled item is left as it is.
        await s.outbox.markDone(a2.id, A.by, { calls: 1 });
        const before = await s.serial();
        expect(await s.outbox.expireClaimsOf('')).toEqual([]);
        expect(await s.outbox.expireClaimsOf('replica-x')).toEqual([]);
        // The lease (60 s) has not run out: expireClaims leaves it, expireClaimsOf does not wait for it.
        expect(await s.outbox.expireClaims()).toEqual([]);
        const settled = await s.outbox.expireClaimsOf(A.by);
        expect(settled.map((i) => [i.id, i.status, i.claimedBy, i.leaseUntil, i.nextAttemptAt, i.attempts])).toEqual([[a1.id, 'unknown', 'replica-a', null, null, 1]]);
        expect(settled[0]!.lastError).toMatch(/^replica replica-a stopped while it was being sent .*: it may have been sent, so it is not sent again/);
        expect(await s.outbox.get(a1.id)).toEqual(settled[0]);
        expect(await s.outbox.expireClaimsOf(A.by)).toEqual([]);
        // Never resendable: no claimer takes it again, and the dead claimer can not record an outcome.
        expect((await s.outbox.claimDue('2031-01-01T00:00:00Z', 10, B)).map((i) => i.id)).toEqual([queued.id]);
        expect((await rejection(s.outbox.markDone(a1.id, A.by))).code).toBe('conflict');
        expect(await s.outbox.get(b1.id)).toMatchObject({ status: 'sending', claimedBy: 'replica-b' });
        expect(await s.outbox.get(a2.id)).toMatchObject({ status: 'done' });
        expect(await s.serial()).toBe(before);
      });

      it('claims in a transaction commit with it, or not at all', async () => {
        const s = await fresh();
        const { item } = await s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n: 1 } });
        await expect(
          s.transaction(async (tx) => {
            expect(await tx.outbox.claimDue('2031-01-01T00:00:00Z', 10, A)).toHaveLength(1);
            throw new Error('the batch failed');
          }),
        ).rejects.toThrow('the batch failed');
        expect(await s.outbox.get(item.id)).toMatchObject({ status: 'pending', attempts: 0, claimedBy: null });
        const claimed = await s.transaction((tx) => tx.outbox.claimDue('2031-01-01T00:00:00Z', 10, A));
        expect(await s.outbox.get(item.id)).toEqual(claimed[0]);
      });
    });

    describe('audit', () => {
      it('lists newest first, filtered by address and command, limited', async () => {
        const s = await fresh();
        await s.audit.append({ ...auditOf('campaign.a', 'create'), detail: { estimate: 1200 } });
        clock += 1000;
        await s.audit.append({ command: 'send', address: 'message.m', action: 'send', outcome: 'succeeded', detail: { identities: 2500, calls: 3 }, commit: null, author: null, dirty: null });
        await s.audit.append({ ...auditOf('campaign.a', 'stop'), at: '2030-02-01T00:00:00.000Z', dirty: true });
        const all = await s.audit.list();
        expect(all.map((e) => e.action)).toEqual(['stop', 'send', 'create']);
        expect(all[0]).toMatchObject({ at: '2030-02-01T00:00:00.000Z', dirty: true, commit: 'abc123', journalId: null });
        expect(all[1]).toMatchObject({ at: '2030-01-01T00:00:01.000Z', dirty: null, commit: null, detail: { identities: 2500, calls: 3 } });
        expect(all[2]).toMatchObject({ dirty: false, outcome: null, detail: { estimate: 1200 } });
        expect((await s.audit.list({ address: 'campaign.a' })).map((e) => e.action)).toEqual(['stop', 'create']);
        expect((await s.audit.list({ command: 'send' })).map((e) => e.address)).toEqual(['message.m']);
        expect(await s.audit.list({ limit: 1 })).toHaveLength(1);
      });
    });

    describe('secrets and plain JSON', () => {
      it('refuses secret-looking keys and credentialed URLs anywhere, writing nothing', async () => {
        const s = await fresh();
        const attempts: Array<() => Promise<unknown>> = [
          () => s.resources.put(appliedCampaign('a', { spec: { content: { passcode: 'PASSCODE-123' } } })),
          () => s.audit.append({ ...auditOf('campaign.a', 'create'), detail: { request: { Authorization: 'Bearer x' } } }),
          () => s.audit.append({ ...auditOf('campaign.a', 'create'), detail: { headers: {} } }),
          () => s.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { 'X-CleverTap-Passcode': 'PASSCODE-123' } }),
          () => s.runs.claim(occurrence('k'), { api_token: 'tok' }),
          () => s.audit.append({ ...auditOf('campaign.a', 'create'), detail: { state: 'postgres://ada:hunter2@db/state' } }),
        ];
        for (const attempt of attempts) expect((await rejection(attempt())).code).toBe('not-storable');
        expect(await s.serial()).toBe(0);
        expect(await s.resources.list()).toEqual([]);
        expect(await s.audit.list()).toEqual([]);
        expect(await s.outbox.list()).toEqual([]);
        expect(await s.runs.list()).toEqual([]);
      });

      it('refuses values that are not plain JSON', async () => {
        const s = await fresh();
        for (const spec of [{ at: new Date() }, { n: Number.NaN }, { big: 1n }, new Map()]) {
          expect((await rejection(s.resources.put(appliedCampaign('a', { spec })))).code).toBe('not-storable');
        }
        expect(await s.resources.get('campaign.a')).toBeNull();
      });
    });

    describe('lifecycle', () => {
      it('reopening keeps every table', async () => {
        const s = await fresh();
        await s.resources.put(appliedCampaign('a'));
        const j = await s.journal.open({ address: 'campaign.b', operation: 'create', request: { remoteName: 'B' }, window: null });
        await s.runs.claim(occurrence('k'));
        await s.audit.append(auditOf('campaign.a', 'create'));
        const lock = await s.lock.acquire({ command: 'apply', host: 'h', pid: 1 });
        const { item } = await s.outbox.enqueue({ kind: 'raise', address: 'bulletin.b', payload: { name: 'x' } });
        const serial = await s.serial();
        await s.close();
        const again = await open();
        expect(await again.resources.get('campaign.a')).toEqual(appliedCampaign('a'));
        expect(await again.journal.listOpen()).toEqual([j]);
        expect((await again.runs.get(occurrence('k')))?.status).toBe('claimed');
        expect(await again.audit.list()).toHaveLength(1);
        expect(await again.lock.current()).toEqual(lock.ok ? lock.lock : null);
        expect(await again.outbox.get(item.id)).toEqual(item);
        expect(await again.serial()).toBe(serial);
      });

      it('close is idempotent and later calls fail clearly', async () => {
        const s = await fresh();
        await s.close();
        await s.close();
        expect((await rejection(s.resources.list())).code).toBe('closed');
      });
    });

    describe('across processes', () => {
      let children: ChildRunner;
      beforeAll(() => {
        children = createChildRunner();
      });
      afterAll(() => children.dispose());

      it('a second process is refused the lock and sees the holder', async () => {
        const s = await fresh();
        const mine = await s.lock.acquire({ command: 'apply', host: hostname(), pid: process.pid });
        if (!mine.ok) throw new Error('refused');
        const other = await children.run(fixture.location, 'acquire', 'apply');
        expect(other.out).toEqual({ ok: false, holder: mine.lock });
        expect(isProbablyStale(other.out.holder)).toBe(false);
      });

      it('a lock left by a dead process is probably stale on this host, unknown elsewhere', async () => {
        const s = await fresh();
        const dead = await children.run(fixture.location, 'acquire', 'die');
        expect(dead.out.ok).toBe(true);
        const holder = await s.lock.current();
        expect(holder).toMatchObject({ id: dead.out.lock.id, pid: dead.pid, host: hostname() });
        expect(isProbablyStale(holder!)).toBe(true);
        expect(isProbablyStale({ ...holder!, host: 'another-host' })).toBe(false);
        expect(await s.lock.forceUnlock(holder!.id)).toEqual(holder);
      });

      it('processes racing one run claim: exactly one wins, the rest see its claim', async () => {
        const s = await fresh();
        await s.serial(); // the location exists and is migrated before the race
        const key = JSON.stringify(occurrence('2030-01-05'));
        // Both children have the store open and are released together; this process joins at once.
        const racers = await children.race(fixture.location, [
          ['claim', key],
          ['claim', key],
        ]);
        const mine = await s.runs.claim(occurrence('2030-01-05'), { pid: process.pid });
        const results = [...(await racers.results), { pid: process.pid, out: mine }];
        const winners = results.filter((r) => r.out.claimed);
        expect(winners).toHaveLength(1);
        for (const r of results) expect(r.out.run.detail).toEqual({ pid: winners[0].pid });
        expect(await s.runs.get(occurrence('2030-01-05'))).toMatchObject({ status: 'claimed', attempts: 1 });
      });

      it('concurrent writers in two processes lose nothing and bump the serial once per write', async () => {
        const s = await fresh();
        const writers = await children.race(fixture.location, [
          ['audit', '150'],
          ['audit', '150'],
        ]);
        await writers.results;
        expect(await s.audit.list({ limit: 1000 })).toHaveLength(300);
        expect(await s.serial()).toBe(300);
      });
    });
  });
}
