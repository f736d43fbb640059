/**
 * Planning first on state rows without their specs: a plan that needs no applied spec reads none
 * and equals the plan on the full rows; every plan that shows one reads it (so computePlan plans
 * again on the full rows).
 */
import { describe, expect, it } from 'vitest';
import { specsOnDemand } from '../../src/apply/specs-on-demand.js';
import type { AppliedResource } from '../../src/model/applied.js';
import { plan } from '../../src/plan/plan.js';
import type { PlanInput } from '../../src/plan/types.js';
import { agreeingRemote, applied, campaign, input, message, remoteOf } from '../plan/builders.js';

function withoutSpecs(rows: AppliedResource[]) {
  return specsOnDemand(rows.map(({ spec: _spec, ...rest }) => rest));
}

/** The plan on rows without specs, whether it read a spec, and the plan on the full rows. */
function both(i: PlanInput) {
  const lean = withoutSpecs(i.applied);
  const optimistic = plan({ ...i, applied: lean.applied });
  return { read: lean.specRead(), optimistic, full: plan(i) };
}

describe('planning on rows without specs', () => {
  const desired = [campaign('a'), campaign('b', { content: { title: 'B', body: 'b' } }), message('m')];
  const rows = desired.map((d) => applied(d));

  it('a no-change plan reads no spec and equals the plan on full rows', () => {
    const r = both(input({ desired, applied: rows }));
    expect(r.full.plan.changes).toEqual([]);
    expect(r.read).toBe(false);
    expect(r.optimistic).toEqual(r.full);
  });

  const changed: [string, () => PlanInput][] = [
    ['a changed campaign (replace shows its diff)', () => input({ desired: [campaign('a', { content: { title: 'New', body: 'x' } }), ...desired.slice(1)], applied: rows })],
    ['a changed message contract', () => input({ desired: [...desired.slice(0, 2), message('m', { content: { title: 'Other' } })], applied: rows })],
    ['a removed campaign (stop shows what it was)', () => input({ desired: desired.slice(1), applied: rows })],
    ['a campaign stopped outside campaignctl, with --heal', () => input({ desired, applied: rows, remote: drifted(), options: { heal: true } })],
  ];

  it.each(changed)('%s: the spec is read, so the caller plans on full rows', (_name, make) => {
    const r = both(make());
    expect(r.full.plan.changes.length).toBeGreaterThan(0);
    expect(r.read).toBe(true);
  });

  it.each<[string, () => PlanInput]>([
    ['a campaign stopped outside campaignctl (drift, reported)', () => input({ desired, applied: rows, remote: drifted() })],
    ['CleverTap unreachable (no remote)', () => input({ desired, applied: rows, remote: null })],
    ['a scoped plan', () => input({ desired, applied: rows, options: { scope: { addresses: ['campaign.a'] } } })],
  ])('%s: no spec is read, and the plan is the full-row plan', (_name, make) => {
    const r = both(make());
    expect(r.read).toBe(false);
    expect(r.optimistic).toEqual(r.full);
  });

  function drifted() {
    return [remoteOf(rows[0]!, 'stopped'), ...agreeingRemote(rows.slice(1))];
  }

  it('spreading or serializing a row counts as reading its spec', () => {
    const lean = withoutSpecs(rows);
    expect(lean.specRead()).toBe(false);
    expect(Object.keys(lean.applied[0]!)).toContain('spec');
    void { ...lean.applied[0] };
    expect(lean.specRead()).toBe(true);
    const again = withoutSpecs(rows);
    JSON.stringify(again.applied[1]);
    expect(again.specRead()).toBe(true);
  });
});
