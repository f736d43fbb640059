/**
 * computePlan with a kept refresh (the daemon's file-event plans): CleverTap is asked about the
 * edited campaign while the planner runs on the kept statuses, and that plan stands only when the
 * answer leaves CleverTap's rows as kept. Whether CleverTap moved the edited campaign meanwhile or
 * not, the plan equals one made on a full refresh at the same instant. Real temp project, SQLite
 * state and the emulator.
 */
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/apply/planning.js';
import { RefreshKeeper } from '../../src/apply/refresh-reuse.js';
import { applyOnce, load, PROVENANCE, useApplyFixture, type ApplyFixture } from './helpers.js';

let f: ApplyFixture;
useApplyFixture((x) => (f = x));

/** The plan as shown, without the instant-free fields that differ by run. */
const shown = (o: Awaited<ReturnType<typeof computePlan>>) => ({ plan: o.plan, diagnostics: o.diagnostics });

describe('computePlan on a kept refresh, CleverTap asked while planning', () => {
  it('equals a plan on a full refresh, with CleverTap as kept and after it stopped the edited campaign', async () => {
    f.tp.campaign({ name: 'a', when: '2030-01-01T09:00:00Z' });
    f.tp.campaign({ name: 'b', when: '2030-01-02T09:00:00Z' });
    expect((await applyOnce(f.tp, f.store, f.client)).result?.ok).toBe(true);
    const keeper = new RefreshKeeper();
    const base = { store: f.store, client: f.client, options: { noEstimate: true }, provenance: PROVENANCE };
    const revision = await f.store.revision();
    const start = new Date();
    await computePlan({ ...base, project: await load(f.tp), now: start, refreshKeeper: keeper, revision });
    expect(keeper.keptRemote()).toBeDefined();

    f.tp.campaign({ name: 'a', when: '2030-01-01T09:00:00Z', title: 'Edited title' });
    const project = await load(f.tp);
    const now = new Date(start.getTime() + 1_000);
    const reused = await computePlan({ ...base, project, now, refreshKeeper: keeper, reuseRefresh: true, revision });
    expect(reused.refreshReused).toBe(true);
    expect(reused.refresh!.remote).toBe(keeper.keptRemote());
    const fresh = await computePlan({ ...base, project, now });
    expect(shown(reused)).toEqual(shown(fresh));
    expect(reused.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['replace campaign.a']);

    // CleverTap stopped the edited campaign since the kept refresh: the plan on the kept statuses
    // does not stand; the one on the answer does.
    const a = (await f.store.resources.get('campaign.a'))!.remoteId!;
    f.emu.state.dashboardStop(a);
    const moved = await computePlan({ ...base, project, now, refreshKeeper: keeper, reuseRefresh: true, revision });
    expect(moved.refreshReused).toBe(true);
    expect(moved.refresh!.remote).not.toBe(keeper.keptRemote());
    const movedFresh = await computePlan({ ...base, project, now });
    expect(shown(moved)).toEqual(shown(movedFresh));
    expect(shown(moved)).not.toEqual(shown(reused));
  });
});
