/**
 * Planning in two explicit phases (planInTwoPhases): first on state rows without their specs, then
 * with the full rows of the addresses its changes name. A plan that needs no applied spec reads
 * none; every plan equals the plan on the full rows.
 */
import { describe, expect, it } from 'vitest';
import { planInTwoPhases } from '../../src/apply/planning.js';
import type { AppliedResource } from '../../src/model/applied.js';
import { plan } from '../../src/plan/plan.js';
import type { PlanInput } from '../../src/plan/types.js';
import { agreeingRemote, applied, campaign, input, message, remoteOf } from '../plan/builders.js';

/** The two-phase plan, the addresses whose full rows it read, and the plan on the full rows. */
async function both(i: PlanInput) {
  const read: string[] = [];
  const byAddress = new Map(i.applied.map((r) => [r.address, r]));
  const lean = i.applied.map(({ spec: _spec, rendered: _rendered, ...rest }) => rest);
  const { applied: _all, ...rest } = i;
  const { planned } = await planInTwoPhases(rest, lean, async (rows) => {
    read.push(...rows.map((r) => r.address));
    return new Map(rows.map((r) => [r.address, byAddress.get(r.address) as AppliedResource]));
  });
  return { read, twoPhase: planned, full: plan(i) };
}

describe('planning in two phases', () => {
  const desired = [campaign('a'), campaign('b', { content: { title: 'B', body: 'b' } }), message('m')];
  const rows = desired.map((d) => applied(d));
  const drifted = () => [remoteOf(rows[0]!, 'stopped'), ...agreeingRemote(rows.slice(1))];

  it('a no-change plan reads no spec and equals the plan on full rows', async () => {
    const r = await both(input({ desired, applied: rows }));
    expect(r.full.plan.changes).toEqual([]);
    expect(r.read).toEqual([]);
    expect(r.twoPhase).toEqual(r.full);
  });

  const changed: [string, () => PlanInput, string[]][] = [
    ['a changed campaign (replace shows its diff)', () => input({ desired: [campaign('a', { content: { title: 'New', body: 'x' } }), ...desired.slice(1)], applied: rows }), ['campaign.a']],
    ['a changed message contract', () => input({ desired: [...desired.slice(0, 2), message('m', { content: { title: 'Other' } })], applied: rows }), ['message.m']],
    ['a removed campaign (stop shows what it was)', () => input({ desired: desired.slice(1), applied: rows }), ['campaign.a']],
    ['a campaign stopped outside campaignctl, with --heal', () => input({ desired, applied: rows, remote: drifted(), options: { heal: true } }), ['campaign.a']],
    // The second run plans only the re-read addresses: a scope, a leftover of a replace and
    // changes beside unchanged resources must come out as the plan on the full rows does.
    [
      'a scoped plan with a changed campaign',
      () => input({ desired: [campaign('a', { content: { title: 'New', body: 'x' } }), ...desired.slice(1)], applied: rows, options: { scope: { addresses: ['campaign.a'] } } }),
      ['campaign.a'],
    ],
    [
      'a leftover of a replace, a changed campaign and a removed message',
      () => input({ desired: [desired[0]!, campaign('b', { content: { title: 'B2', body: 'b' } })], applied: [...rows, applied(desired[0]!, { address: 'campaign.a@1700000999', remoteId: 1_700_000_999 })] }),
      ['campaign.b', 'message.m', 'campaign.a@1700000999'],
    ],
  ];

  it.each(changed)('%s: only the changed row is read, and the plan is the full-row plan', async (_name, make, expected) => {
    const r = await both(make());
    expect(r.full.plan.changes.length).toBeGreaterThan(0);
    expect(r.read).toEqual(expected);
    expect(r.twoPhase).toEqual(r.full);
  });

  it.each<[string, () => PlanInput]>([
    ['a campaign stopped outside campaignctl (drift, reported)', () => input({ desired, applied: rows, remote: drifted() })],
    ['CleverTap unreachable (no remote)', () => input({ desired, applied: rows, remote: null })],
    ['a scoped plan', () => input({ desired, applied: rows, options: { scope: { addresses: ['campaign.a'] } } })],
  ])('%s: no spec is read, and the plan is the full-row plan', async (_name, make) => {
    const r = await both(make());
    expect(r.read).toEqual([]);
    expect(r.twoPhase).toEqual(r.full);
  });
});
