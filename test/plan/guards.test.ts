/**
 * Estimates and guards: needsEstimate (irreversible first, capped), finalizePlan (fills estimates,
 * guard.maxAudience, mass stop, overrides, --no-estimate).
 */
import { describe, expect, it } from 'vitest';
import { estimateText } from '../../src/plan/describe.js';
import { finalizePlan, needsEstimate, UNCHECKED_LISTED } from '../../src/plan/finalize.js';
import { plan } from '../../src/plan/plan.js';
import type { Estimate } from '../../src/plan/types.js';
import { applied, campaign, inMinutes, input } from './builders.js';

const est = (total: number): Estimate => ({ total, byPlatform: { android: Math.floor(total / 2), ios: total - Math.floor(total / 2) } });

describe('needsEstimate', () => {
  it('lists creates and replaces, irreversible first, then by address', () => {
    const a = applied(campaign('r'));
    const { plan: p } = plan(
      input({ desired: [campaign('b'), campaign('now-z', { when: 'now' }), campaign('a'), campaign('r', { content: { title: 'x' } })], applied: [a] }),
    );
    expect(needsEstimate(p)).toEqual({ addresses: ['campaign.now-z', 'campaign.a', 'campaign.b', 'campaign.r'], overLimit: [] });
  });

  it('caps at 100 per plan; the rest are marked over the limit by finalizePlan', () => {
    const desired = Array.from({ length: 105 }, (_, i) => campaign(`c${String(i).padStart(3, '0')}`));
    const { plan: p } = plan(input({ desired }));
    const req = needsEstimate(p);
    expect(req.addresses).toHaveLength(100);
    expect(req.overLimit).toEqual(['campaign.c100', 'campaign.c101', 'campaign.c102', 'campaign.c103', 'campaign.c104']);
    const estimates = new Map(req.addresses.map((a) => [a, est(10)] as [string, Estimate]));
    const f = finalizePlan(p, estimates);
    expect(f.plan.changes.filter((c) => c.estimateStatus === 'estimated')).toHaveLength(100);
    expect(f.plan.changes.filter((c) => c.estimateStatus === 'over-limit').map((c) => c.address)).toEqual(req.overLimit);
  });

  it('--no-estimate asks for nothing and marks every estimate skipped', () => {
    const { plan: p } = plan(input({ desired: [campaign('a', { when: 'now' })] }));
    expect(needsEstimate(p, { noEstimate: true })).toEqual({ addresses: [], overLimit: [] });
    const f = finalizePlan(p, new Map([['campaign.a', est(5)]]), { noEstimate: true });
    expect(f.plan.changes[0]).toMatchObject({ estimate: null, estimateStatus: 'skipped' });
    expect(f.plan.summary.text).toBe('Plan: 1 to create; 1 send (audience not estimated)');
  });
});

describe('finalizePlan', () => {
  it('fills estimates, totals the audience of irreversible changes in the summary, leaves the input untouched', () => {
    const { plan: p } = plan(input({ desired: [campaign('now1', { when: 'now' }), campaign('now2', { when: inMinutes(5) }), campaign('later')] }));
    const f = finalizePlan(p, new Map([
      ['campaign.now1', est(1_000_000)],
      ['campaign.now2', est(200_000)],
      ['campaign.later', est(5)],
    ]));
    expect(f.diagnostics).toEqual([]);
    expect(f.plan.finalized).toBe(true);
    expect(f.plan.changes.find((c) => c.address === 'campaign.now1')!.estimate).toEqual(est(1_000_000));
    expect(f.plan.summary.estimatedAudience).toBe(1_200_000);
    expect(f.plan.summary.text).toBe('Plan: 3 to create; 2 sends to about 1.2M users');
    expect(p.finalized).toBe(false);
    expect(p.changes[0]!.estimateStatus).toBe('pending');
  });

  it('a null estimate is a failed one; the summary counts it as not estimated', () => {
    const { plan: p } = plan(input({ desired: [campaign('a', { when: 'now' }), campaign('b', { when: 'now' })] }));
    const f = finalizePlan(p, new Map([
      ['campaign.a', null],
      ['campaign.b', est(3000)],
    ]));
    expect(f.plan.changes.map((c) => c.estimateStatus)).toEqual(['failed', 'estimated']);
    expect(f.plan.summary.text).toBe('Plan: 2 to create; 2 sends to about 3K users (1 not estimated)');
  });
});

describe('guard.maxAudience', () => {
  const guarded = (name = 'big') => campaign(name, { when: 'now', guard: { maxAudience: 50_000 } }, { file: `campaigns/${name}.yaml` });

  it('refuses a campaign above its maxAudience with a located error', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    const f = finalizePlan(p, new Map([['campaign.big', est(80_000)]]), {
      locate: (addr, path) => (path.join('.') === 'spec.guard.maxAudience' ? { file: 'campaigns/big.yaml', line: 12, column: 18 } : undefined),
    });
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ severity: 'error', code: 'plan.max-audience', address: 'campaign.big', file: 'campaigns/big.yaml', line: 12, column: 18 });
    expect(f.diagnostics[0]!.hint).toContain('--allow-large-audience');
  });

  it('at or below maxAudience is fine', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    expect(finalizePlan(p, new Map([['campaign.big', est(50_000)]])).diagnostics).toEqual([]);
  });

  it('--allow-large-audience turns the refusal into a warning', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    const f = finalizePlan(p, new Map([['campaign.big', est(80_000)]]), { allowLargeAudience: true });
    expect(f.diagnostics).toEqual([]);
    expect(f.plan.warnings.map((w) => `${w.severity} ${w.code}`)).toEqual(['warning plan.max-audience']);
  });

  it('a guarded campaign whose estimate failed is refused, located at its guard, with the error', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    const f = finalizePlan(p, new Map([['campaign.big', null]]), {
      estimateErrors: new Map([['campaign.big', 'CleverTap /1/targets/create.json: server error 500 (HTTP 500)']]),
      locate: (addr, path) => (path.join('.') === 'spec.guard.maxAudience' ? { file: 'campaigns/big.yaml', line: 12, column: 18 } : undefined),
    });
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ severity: 'error', code: 'plan.guard-unchecked', address: 'campaign.big', file: 'campaigns/big.yaml', line: 12, column: 18 });
    expect(f.diagnostics[0]!.message).toBe(
      'campaign.big is refused: its audience could not be checked against guard.maxAudience (50000): the estimate failed (CleverTap /1/targets/create.json: server error 500 (HTTP 500))',
    );
    expect(f.diagnostics[0]!.hint).toContain('--allow-large-audience');
    expect(f.plan.changes[0]).toMatchObject({ estimateStatus: 'failed', estimateError: 'CleverTap /1/targets/create.json: server error 500 (HTTP 500)' });
  });

  it('a guarded campaign over the per-plan limit of estimates is refused, saying so', () => {
    const { plan: p } = plan(input({ desired: [guarded('big1'), guarded('big2')] }));
    const options = { estimateLimit: 1 };
    expect(needsEstimate(p, options).overLimit).toEqual(['campaign.big2']);
    const f = finalizePlan(p, new Map([['campaign.big1', est(5)]]), options);
    expect(f.diagnostics.map((d) => [d.code, d.address])).toEqual([['plan.guard-unchecked', 'campaign.big2']]);
    expect(f.diagnostics[0]!.message).toContain('it is over the limit of estimates per plan');
  });

  it('--no-estimate still estimates guarded changes (first), and skips only the unguarded ones', () => {
    const { plan: p } = plan(input({ desired: [campaign('a', { when: 'now' }), guarded('big')] }));
    expect(needsEstimate(p, { noEstimate: true })).toEqual({ addresses: ['campaign.big'], overLimit: [] });
    const f = finalizePlan(p, new Map([['campaign.big', est(60_000)]]), { noEstimate: true });
    expect(f.plan.changes.map((c) => [c.address, c.estimateStatus])).toEqual([
      ['campaign.a', 'skipped'],
      ['campaign.big', 'estimated'],
    ]);
    expect(f.diagnostics.map((d) => d.code)).toEqual(['plan.max-audience']);
  });

  it('--no-estimate with a guarded change left without an estimate refuses it', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    const f = finalizePlan(p, new Map(), { noEstimate: true });
    expect(f.diagnostics.map((d) => `${d.severity} ${d.code} ${d.address}`)).toEqual(['error plan.guard-unchecked campaign.big']);
    expect(f.plan.warnings.filter((w) => w.code === 'plan.guard-unchecked')).toEqual([]);
  });

  it('--allow-large-audience is the one override: an unchecked guard becomes a warning', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    const f = finalizePlan(p, new Map([['campaign.big', null]]), { allowLargeAudience: true });
    expect(f.diagnostics).toEqual([]);
    expect(f.plan.warnings.map((w) => `${w.severity} ${w.code}`)).toEqual(['warning plan.guard-unchecked']);
    expect(f.plan.warnings[0]!.message).toContain('allowed by --allow-large-audience');
  });

  it('a plan whose estimates were withheld (it has errors) adds no guard refusal of its own', () => {
    const { plan: p } = plan(input({ desired: [guarded()] }));
    const f = finalizePlan(p, new Map(), { estimatesWithheld: true });
    expect(f.diagnostics).toEqual([]);
    expect(f.plan.changes[0]!.estimateStatus).toBe('withheld');
  });

  it('more unchecked guards than UNCHECKED_LISTED give one refusal that counts them', () => {
    const many = Array.from({ length: UNCHECKED_LISTED + 1 }, (_, i) => guarded(`big${String(i).padStart(2, '0')}`));
    const failed = (list: typeof many) => new Map(list.map((d) => [d.resource.address, null] as [string, null]));
    const few = finalizePlan(plan(input({ desired: many.slice(0, UNCHECKED_LISTED) })).plan, failed(many.slice(0, UNCHECKED_LISTED)));
    expect(few.diagnostics.filter((w) => w.code === 'plan.guard-unchecked')).toHaveLength(UNCHECKED_LISTED);
    const f = finalizePlan(plan(input({ desired: many })).plan, failed(many));
    const unchecked = f.diagnostics.filter((w) => w.code === 'plan.guard-unchecked');
    expect(unchecked).toHaveLength(1);
    expect(unchecked[0]!.severity).toBe('error');
    expect(unchecked[0]!.message).toBe(
      `guard.maxAudience of ${UNCHECKED_LISTED + 1} campaigns was not checked: the estimate failed (campaign.big00, campaign.big01, campaign.big02 and ${UNCHECKED_LISTED - 2} more); they are refused`,
    );
  });
});

describe('estimate reasons', () => {
  it('each change not estimated says its own reason, not "over the per-plan limit"', () => {
    const { plan: p } = plan(
      input({ desired: [campaign('a'), campaign('b'), campaign('c'), campaign('d', { when: 'now' }), campaign('e')], options: { estimateLimit: 3 } }),
    );
    expect(needsEstimate(p, { estimateLimit: 3 }).overLimit).toEqual(['campaign.c', 'campaign.e']);
    const f = finalizePlan(p, new Map([['campaign.d', est(7)], ['campaign.a', null], ['campaign.b', est(3)]]), {
      estimateLimit: 3,
      estimateErrors: new Map([['campaign.a', 'no answer within 30000 ms']]),
    });
    expect(Object.fromEntries(f.plan.changes.map((c) => [c.address, estimateText(c)]))).toEqual({
      'campaign.a': 'audience estimate failed: no answer within 30000 ms',
      'campaign.b': 'about 3 users (android 1, ios 2)',
      'campaign.c': 'audience not estimated (over the per-plan limit)',
      'campaign.d': 'about 7 users (android 3, ios 4)',
      'campaign.e': 'audience not estimated (over the per-plan limit)',
    });
  });

  it('a plan with errors labels its changes "the plan has errors"; --no-estimate ones keep their own reason', () => {
    const guarded = campaign('big', { guard: { maxAudience: 10 } });
    const { plan: p } = plan(input({ desired: [campaign('a'), campaign('b'), guarded] }));
    const withheld = finalizePlan(p, new Map(), { estimatesWithheld: true });
    expect(withheld.plan.changes.map(estimateText)).toEqual(Array(3).fill('audience not estimated (the plan has errors)'));
    const skipped = finalizePlan(p, new Map(), { estimatesWithheld: true, noEstimate: true });
    expect(skipped.plan.changes.map(estimateText)).toEqual([
      'audience not estimated (--no-estimate)',
      'audience not estimated (--no-estimate)',
      'audience not estimated (the plan has errors)',
    ]);
  });
});

describe('mass stop', () => {
  const live = (n: number) => Array.from({ length: n }, (_, i) => applied(campaign(`c${i}`)));

  it('stopping more than half of the live managed campaigns is refused', () => {
    const rows = live(4);
    const { plan: p } = plan(input({ desired: [campaign('c0')], applied: rows }));
    expect(p.changes.filter((c) => c.action === 'stop')).toHaveLength(3);
    const f = finalizePlan(p, new Map());
    expect(f.diagnostics.map((d) => d.code)).toEqual(['plan.mass-stop']);
    expect(f.diagnostics[0]!.message).toContain('3 of 4');
  });

  it('exactly half is allowed', () => {
    const rows = live(4);
    const { plan: p } = plan(input({ desired: [campaign('c0'), campaign('c1')], applied: rows }));
    expect(finalizePlan(p, new Map()).diagnostics).toEqual([]);
  });

  it('--allow-mass-stop turns the refusal into a warning', () => {
    const { plan: p } = plan(input({ applied: live(3) }));
    const f = finalizePlan(p, new Map(), { allowMassStop: true });
    expect(f.diagnostics).toEqual([]);
    expect(f.plan.warnings.map((w) => w.code)).toContain('plan.mass-stop');
  });

  it('counts against the whole state even when the plan is scoped', () => {
    const rows = live(6);
    // scoped to two removed campaigns: 2 of 6 live is not a mass stop
    const { plan: p } = plan(input({ desired: [], applied: rows, options: { scope: { addresses: ['campaign.c0', 'campaign.c1'] } } }));
    expect(p.changes).toHaveLength(2);
    expect(p.liveManagedCampaigns).toBe(6);
    expect(finalizePlan(p, new Map()).diagnostics).toEqual([]);
  });

  it('finished campaigns are not live: forgetting them is not a stop', () => {
    const rows = [...live(1), applied(campaign('old'), { status: 'completed', scheduledFor: inMinutes(-999) })];
    const { plan: p } = plan(input({ desired: [campaign('c0')], applied: rows }));
    expect(p.changes.map((c) => c.action)).toEqual(['forget']);
    expect(finalizePlan(p, new Map()).diagnostics).toEqual([]);
  });
});
