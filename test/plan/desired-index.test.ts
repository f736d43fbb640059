/**
 * The planner takes the caller's desired index (the desired state's byAddress) instead of building
 * its own, only when it holds one entry per desired resource: the plan is the same as on its own
 * index, scoped or not; with an address defined twice the planner indexes the resources itself
 * (the first file wins), whatever the caller's map says.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import type { DesiredResource } from '../../src/plan/types.js';
import { applied, campaign, input } from './builders.js';

const byAddress = (ds: DesiredResource[]) => {
  const m = new Map<string, { desired: DesiredResource }>();
  for (const d of ds) if (!m.has(d.resource.address)) m.set(d.resource.address, { desired: d });
  return m;
};

describe("plan with the caller's desired index", () => {
  it('plans as on its own index, scoped or not', () => {
    const rows = [campaign('a'), campaign('b'), campaign('gone')].map((d) => applied(d));
    const desired = [campaign('a', { title: 'Title a, edited' }), campaign('b'), campaign('new')];
    const own = plan(input({ desired, applied: rows }));
    expect(own.plan.changes.map((c) => [c.address, c.action])).toEqual(
      expect.arrayContaining([
        ['campaign.a', 'replace'],
        ['campaign.new', 'create'],
        ['campaign.gone', 'stop'],
      ]),
    );
    expect(plan(input({ desired, applied: rows, desiredByAddress: byAddress(desired) }))).toEqual(own);
    const scope = { addresses: ['campaign.a'] };
    const scoped = plan(input({ desired, applied: rows, options: { scope } }));
    expect(plan(input({ desired, applied: rows, options: { scope }, desiredByAddress: byAddress(desired) }))).toEqual(scoped);
    expect(scoped.plan.changes.map((c) => c.address)).toEqual(['campaign.a']);
  });

  it('indexes them itself when an address is defined twice: the earlier file wins', () => {
    const earlier = campaign('a', { title: 'From aa.yaml' }, { file: 'campaigns/aa.yaml' });
    const later = campaign('a', { title: 'From zz.yaml' }, { file: 'campaigns/zz.yaml' });
    // The caller's map keeps the later one first (its own order): the planner must not take it.
    const got = plan(input({ desired: [later, earlier], applied: [], desiredByAddress: byAddress([later, earlier]) }));
    expect(got.plan.changes).toHaveLength(1);
    expect(got.plan.changes[0]!.after).toEqual(plan(input({ desired: [earlier], applied: [] })).plan.changes[0]!.after);
  });
});
