/**
 * The refresh keeper's rules (src/apply/refresh-reuse.ts): a kept refresh stands in for CleverTap
 * only on the same revision and zone, under 30 s old and before any campaign's recorded start; the
 * edited and removed campaigns are asked again. CleverTap is the emulator, its request log counts
 * the list calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressIndex } from '../../src/apply/address-index.js';
import { RefreshKeeper } from '../../src/apply/refresh-reuse.js';
import type { RefreshResult } from '../../src/apply/refresh.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { AppliedWithoutSpec } from '../../src/state/store.js';
import { clientFor, emulator } from './helpers.js';

const AT = new Date('2026-06-15T12:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

const row = (name: string, id: number, scheduledFor: string): AppliedWithoutSpec => ({
  address: `campaign.${name}`,
  kind: 'Campaign',
  specHash: `hash-${name}`,
  labels: {},
  protect: false,
  remoteId: id,
  remoteName: name,
  status: 'scheduled',
  scheduledFor,
  appliedAt: '2026-06-01T09:00:00Z',
  commit: null,
  author: null,
});

const rows = Object.freeze([row('a', 1, '2026-07-01T09:00:00Z'), row('b', 2, '2026-06-15T12:00:20Z')]);
const refresh: RefreshResult = {
  remote: [
    { id: 1, name: 'a', status: 'pending', scheduledOn: null },
    { id: 2, name: 'b', status: 'pending', scheduledOn: null },
  ],
  windows: [{ from: 20260531, to: 20260702 }],
  statuses: [
    { address: 'campaign.a', remoteId: 1, remote: { id: 1, name: 'a', status: 'pending', scheduledOn: null }, state: 'scheduled' },
    { address: 'campaign.b', remoteId: 2, remote: { id: 2, name: 'b', status: 'pending', scheduledOn: null }, state: 'scheduled' },
  ],
  missing: [],
};
const desiredAsApplied = new Map(rows.map((r) => [r.address, { desired: { specHash: r.specHash } }]));

let emu: SandboxHandle;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

function kept(): RefreshKeeper {
  const k = new RefreshKeeper();
  k.keep('rev-1', 'UTC', AT, refresh, rows);
  return k;
}

describe('RefreshKeeper', () => {
  it('nothing edited, same revision and zone, 10 s on: the kept statuses, CleverTap not asked', async () => {
    emu.state.clearRequests();
    const reuse = kept().reuse({ revision: 'rev-1', zone: 'UTC', now: later(10_000), rows, desired: desiredAsApplied });
    expect(reuse).toBeDefined();
    const got = await reuse!(clientFor(emu));
    expect(got.statuses.map((s) => s.state)).toEqual(['scheduled', 'scheduled']);
    expect(emu.state.requests({ family: 'list' })).toHaveLength(0);
  });

  it('refreshes in full when unsure: another revision or zone, 30 s or more on, a recorded start passed', () => {
    const q = { revision: 'rev-1', zone: 'UTC', now: later(10_000), rows, desired: desiredAsApplied };
    expect(kept().reuse({ ...q, revision: 'rev-2' })).toBeUndefined();
    expect(kept().reuse({ ...q, zone: 'Europe/Berlin' })).toBeUndefined();
    expect(kept().reuse({ ...q, now: later(30_000) })).toBeUndefined();
    expect(kept().reuse({ ...q, now: later(-1) })).toBeUndefined();
    // b starts 20 s after the kept refresh: by 25 s CleverTap may have moved it to running.
    expect(kept().reuse({ ...q, now: later(25_000) })).toBeUndefined();
    const forgotten = kept();
    forgotten.forget();
    expect(forgotten.reuse(q)).toBeUndefined();
  });

  it('an edited campaign is asked again over its own window; a removed one too', async () => {
    emu.state.clearRequests();
    const edited = new Map(desiredAsApplied);
    edited.set('campaign.a', { desired: { specHash: 'hash-a-edited' } });
    edited.delete('campaign.b');
    const got = await kept().reuse({ revision: 'rev-1', zone: 'UTC', now: later(10_000), rows, desired: edited })!(clientFor(emu));
    const windows = emu.state.requests({ family: 'list' }).map((r) => r.body as { from: number; to: number });
    expect(windows.some((w) => w.from <= 20260701 && 20260701 <= w.to)).toBe(true);
    expect(windows.some((w) => w.from <= 20260615 && 20260615 <= w.to)).toBe(true);
    // The emulator has neither campaign: both are now missing, as CleverTap says.
    expect(got.statuses.map((s) => s.state)).toEqual(['missing', 'missing']);
    expect(got.missing).toEqual(['campaign.a', 'campaign.b']);
  });

  it('desired states patched one edit after another, as the daemon plans them: each asks again about exactly the campaigns edited then', async () => {
    // Campaigns months apart (each its own window), all applied; the keeper kept on these rows.
    const months = ['07', '09', '11', '12'];
    const many = Object.freeze(months.map((m, i) => row(`m${m}`, 10 + i, `2026-${m}-01T09:00:00Z`)));
    const k = new RefreshKeeper();
    k.keep('rev-1', 'UTC', AT, { remote: [], windows: [{ from: 20260601, to: 20261231 }], statuses: many.map((r) => ({ address: r.address, remoteId: r.remoteId!, remote: null, state: 'missing' as const })), missing: many.map((r) => r.address) }, many);
    const base = AddressIndex.of(new Map(many.map((r) => [r.address, { desired: { specHash: r.specHash } }])));
    const editedTo = (hashes: Record<string, string>) => base.with(new Map(Object.entries(hashes).map(([a, h]) => [a, { desired: { specHash: h } }])))!;
    const askedMonths = async (desired: ReadonlyMap<string, { desired: { specHash: string } }>) => {
      emu.state.clearRequests();
      await k.reuse({ revision: 'rev-1', zone: 'UTC', now: later(1_000), rows: many, desired })!(clientFor(emu));
      const windows = emu.state.requests({ family: 'list' }).map((r) => r.body as { from: number; to: number });
      return months.filter((m) => windows.some((w) => w.from <= Number(`2026${m}01`) && Number(`2026${m}01`) <= w.to));
    };
    // One patched state after another over the same base, as the daemon's edits and restores make them.
    let desired = editedTo({ 'campaign.m07': 'edited' });
    expect(await askedMonths(desired)).toEqual(['07']);
    desired = desired.with(new Map([['campaign.m07', { desired: { specHash: 'hash-m07' } }], ['campaign.m11', { desired: { specHash: 'edited' } }]]))!;
    expect(await askedMonths(desired)).toEqual(['11']);
    desired = desired.with(new Map([['campaign.m09', { desired: { specHash: 'edited' } }]]))!;
    expect(await askedMonths(desired)).toEqual(['09', '11']);
    // Back to the base with nothing over it (every edit undone at once): nothing edited.
    expect(await askedMonths(editedTo({}))).toEqual([]);
    expect(await askedMonths(editedTo({ 'campaign.m12': 'edited' }))).toEqual(['12']);
    // Another base (an address came or went): looked at whole, the same answer as a plain Map gives.
    const plain = new Map(many.map((r) => [r.address, { desired: { specHash: r.address === 'campaign.m12' ? 'edited' : r.specHash } }]));
    plain.delete('campaign.m07');
    expect(await askedMonths(AddressIndex.of(plain))).toEqual(['07', '12']);
    expect(await askedMonths(editedTo({}))).toEqual([]);
  });
});
