/**
 * The refresh `plan` starts before hashing the project: used when state has not moved since it was
 * read, thrown away (and done again) when it has, never used while settling.
 */
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/apply/planning.js';
import { startEarlyRefresh } from '../../src/apply/refresh.js';
import { applyOnce, load, PROVENANCE, useApplyFixture, type ApplyFixture } from './helpers.js';

let f: ApplyFixture;
useApplyFixture((fixture) => (f = fixture));

const lists = () => f.emu.state.requests({ family: 'list' }).length;

async function planWith(early: Awaited<ReturnType<typeof startEarlyRefresh>>, settle = false) {
  return computePlan({ project: await load(f.tp), store: f.store, client: f.client, now: new Date(), options: { noEstimate: true }, provenance: PROVENANCE, early, settle });
}

describe('early refresh', () => {
  it('is what the plan uses when state has not moved: no second list call, same plan', async () => {
    f.tp.campaign({ name: 'alpha' });
    await applyOnce(f.tp, f.store, f.client);
    const early = await startEarlyRefresh(f.store, f.client, { accountTimezone: 'UTC' });
    expect(early).toBeDefined();
    await early!.pages; // its own list calls have landed
    const before = lists();
    const outcome = await planWith(early);
    expect(lists()).toBe(before);
    expect(outcome.plan.changes.map((c) => `${c.action} ${c.address} ${c.reason}`)).toEqual([]);
    expect(outcome.refresh?.statuses.map((s) => s.address)).toEqual(['campaign.alpha']);
  });

  it('is thrown away when state moved after it was read: the plan refreshes again', async () => {
    f.tp.campaign({ name: 'alpha' });
    await applyOnce(f.tp, f.store, f.client);
    const early = await startEarlyRefresh(f.store, f.client, { accountTimezone: 'UTC' });
    await early!.pages;
    f.tp.campaign({ name: 'beta' });
    await applyOnce(f.tp, f.store, f.client); // serial moves; beta is created
    const before = lists();
    const outcome = await planWith(early);
    expect(lists()).toBeGreaterThan(before);
    expect(outcome.refresh?.statuses.map((s) => s.address).sort()).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(outcome.plan.changes).toEqual([]);
  });

  it('is not used while settling the journal', async () => {
    f.tp.campaign({ name: 'alpha' });
    await applyOnce(f.tp, f.store, f.client);
    const early = await startEarlyRefresh(f.store, f.client, { accountTimezone: 'UTC' });
    await early!.pages;
    const before = lists();
    await planWith(early, true);
    expect(lists()).toBeGreaterThan(before);
  });
});
