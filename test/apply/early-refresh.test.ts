/**
 * The refresh `plan` starts before hashing the project: used when state has not moved since it was
 * read, thrown away (and done again) when it has, never used while settling.
 */
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/apply/planning.js';
import { pagesOf, refreshWindows, startEarlyRefresh } from '../../src/apply/refresh.js';
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
    await early!.answers; // its own list calls have landed
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
    await early!.answers;
    f.tp.campaign({ name: 'beta' });
    await applyOnce(f.tp, f.store, f.client); // serial moves; beta is created
    const before = lists();
    const outcome = await planWith(early);
    expect(lists()).toBeGreaterThan(before);
    expect(outcome.refresh?.statuses.map((s) => s.address).sort()).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(outcome.plan.changes).toEqual([]);
  });

  it('asks over the windows of state\'s campaign starts before reading its rows, and again over the rows\' own when state was written in between', async () => {
    f.tp.campaign({ name: 'alpha', when: '2031-06-01T09:00:00Z' });
    await applyOnce(f.tp, f.store, f.client);
    // A store as another process would leave it: beta applied, at an instant a year on, right after
    // the starts were read (so the first list calls cover alpha only).
    let betasLists = 0;
    const beta = async () => {
      const at = lists();
      f.tp.campaign({ name: 'beta', when: '2032-06-01T09:00:00Z' });
      await applyOnce(f.tp, f.store, f.client);
      betasLists = lists() - at;
    };
    const resources = { ...f.store.resources, campaignStarts: async () => {
      const starts = await f.store.resources.campaignStarts();
      await beta();
      return starts;
    } };
    const store = { serial: () => f.store.serial(), journal: f.store.journal, revision: () => f.store.revision(), resources };
    const before = lists();
    const early = await startEarlyRefresh(store, f.client, { accountTimezone: 'UTC' });
    const pages = pagesOf(await early!.answers);
    expect(early!.rows!.map((r) => r.address)).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(early!.windows).toEqual(refreshWindows(early!.rows!, 'UTC'));
    // Beta's own window came from the second asking, and its campaign is in the answer.
    const betaId = early!.rows!.find((r) => r.address === 'campaign.beta')!.remoteId;
    expect(pages.flat().map((c) => c.id)).toContain(betaId);
    // Asked twice: over alpha's windows, then over the rows' (beta's apply made list calls of its own).
    expect(lists() - before - betasLists).toBeGreaterThan(early!.windows.length);
  });

  it('asks once, over the windows the rows give, when state stays as it was', async () => {
    f.tp.campaign({ name: 'alpha', when: '2031-06-01T09:00:00Z' });
    f.tp.campaign({ name: 'beta', when: '2032-06-01T09:00:00Z' });
    await applyOnce(f.tp, f.store, f.client);
    const before = lists();
    const early = await startEarlyRefresh(f.store, f.client, { accountTimezone: 'UTC' });
    await early!.answers;
    expect(early!.windows).toEqual(refreshWindows(early!.rows!, 'UTC'));
    expect(lists() - before).toBe(early!.windows.length);
  });

  it('is not used while settling the journal', async () => {
    f.tp.campaign({ name: 'alpha' });
    await applyOnce(f.tp, f.store, f.client);
    const early = await startEarlyRefresh(f.store, f.client, { accountTimezone: 'UTC' });
    await early!.answers;
    const before = lists();
    await planWith(early, true);
    expect(lists()).toBeGreaterThan(before);
  });
});
