/**
 * The refresh keeper hands back CleverTap's rows as the same frozen array while the re-asked
 * campaigns' rows are as they were (the planner then reuses its index of them, ../../src/plan/plan.ts),
 * and a new array with the new row once CleverTap says something else. Two campaigns applied to the
 * emulator; the edit is simulated by a desired hash that no longer matches state.
 */
import { describe, expect, it } from 'vitest';
import { refreshCampaigns, rowsWithoutSpecs } from '../../src/apply/refresh.js';
import { RefreshKeeper } from '../../src/apply/refresh-reuse.js';
import { applyOnce, useApplyFixture, type ApplyFixture } from './helpers.js';

let f: ApplyFixture;
useApplyFixture((x) => (f = x));

describe('RefreshKeeper, CleverTap rows kept as one array', () => {
  it('the kept array while the re-asked row is unchanged; a new one when CleverTap moved it', async () => {
    f.tp.campaign({ name: 'a' });
    f.tp.campaign({ name: 'b' });
    const applied = await applyOnce(f.tp, f.store, f.client);
    expect(applied.result?.ok).toBe(true);
    const rows = await rowsWithoutSpecs(f.store);
    const revision = await f.store.revision();
    const now = new Date();
    const full = await refreshCampaigns(f.client, rows, { accountTimezone: 'UTC' });
    const keeper = new RefreshKeeper();
    keeper.keep(revision, 'UTC', now, full, rows);
    expect(Object.isFrozen(full.remote)).toBe(true);

    const edited = new Map(rows.map((r) => [r.address, { desired: { specHash: r.address === 'campaign.a' ? 'edited' : r.specHash } }]));
    const q = { revision, zone: 'UTC', now: new Date(now.getTime() + 1_000), rows, desired: edited };
    const same = await keeper.reuse(q)!(f.client);
    expect(same.remote).toBe(full.remote);

    const a = rows.find((r) => r.address === 'campaign.a')!.remoteId!;
    f.emu.state.dashboardStop(a);
    const moved = await keeper.reuse(q)!(f.client);
    expect(moved.remote).not.toBe(full.remote);
    expect(moved.remote.find((r) => r.id === a)?.status).toBe('stopped');
    expect(moved.statuses.find((s) => s.address === 'campaign.a')?.remote?.status).toBe('stopped');
    // The kept refresh itself is untouched: the next reuse starts from what was kept.
    expect(full.remote.find((r) => r.id === a)?.status).not.toBe('stopped');
  });
});
