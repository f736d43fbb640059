/**
 * Each change of a plan that carries no estimate says its own reason, against the emulator: a plan
 * refused for one change's error asks for no estimate and says so on every change (never "over the
 * per-plan limit"); a failed estimate shows its error; --no-estimate names itself.
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import { estimateText } from '../../src/plan/describe.js';
import type { PlanChange } from '../../src/plan/types.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import { planOnly, TempProject, useApplyFixture } from './helpers.js';

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f));

const labels = (changes: PlanChange[]) => Object.fromEntries(changes.map((c) => [c.address, estimateText(c)]));

describe('estimate reasons in a 5-change plan', () => {
  it('one change starting in the past: every change says the plan has errors, none "over the per-plan limit"', async () => {
    for (const n of ['a', 'b', 'c', 'd']) tp.campaign({ name: n, when: '2033-06-01T09:00:00Z' });
    tp.campaign({ name: 'early', when: '2031-06-01T09:00:00Z' });
    const planned = await planOnly(tp, store, client, { noEstimate: false }, new Date('2032-01-01T00:00:00Z'));
    expect(planned.diagnostics.map((d) => [d.code, d.address])).toEqual([['plan.when-past', 'campaign.early']]);
    expect(emu.state.requests({ family: 'create' })).toEqual([]);
    const text = labels(planned.plan.changes);
    expect(Object.keys(text)).toHaveLength(5);
    for (const label of Object.values(text)) expect(label).toBe('audience not estimated (the plan has errors)');
  });

  it('a failed estimate shows its error, the others their estimate or --no-estimate', async () => {
    tp.campaign({ name: 'guarded', maxAudience: 1_000_000_000 });
    for (const n of ['a', 'b']) tp.campaign({ name: n });
    emu.state.injectFaults([{ fault: '500', family: 'create', count: 6 }]);
    const planned = await planOnly(tp, store, client, { noEstimate: true, allowLargeAudience: true });
    const text = labels(planned.plan.changes);
    expect(text['campaign.guarded']).toMatch(/^audience estimate failed: CleverTap \/1\/targets\/create\.json: .*HTTP 500/);
    expect(text['campaign.a']).toBe('audience not estimated (--no-estimate)');
    expect(text['campaign.b']).toBe('audience not estimated (--no-estimate)');
  });
});
