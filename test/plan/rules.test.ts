/**
 * One table row of DESIGN.md section 4 per test group, through the pure planner.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import { supersededAddress } from '../../src/plan/addresses.js';
import type { PlanChange } from '../../src/plan/types.js';
import { applied, campaign, desired, inMinutes, input, message, NOW, remoteOf } from './builders.js';

const actions = (changes: PlanChange[]) => changes.map((c) => `${c.action} ${c.address}`);

describe('Campaign in YAML, not in state', () => {
  it('is a create carrying the desired spec, its hash and its start', () => {
    const d = campaign('winter-sale');
    const { plan: p, diagnostics } = plan(input({ desired: [d] }));
    expect(diagnostics).toEqual([]);
    expect(p.changes).toHaveLength(1);
    const c = p.changes[0]!;
    expect(c).toMatchObject({ address: 'campaign.winter-sale', action: 'create', reason: 'new', irreversible: false });
    expect(c.after).toEqual(d.canonicalSpec);
    expect(c.specHash).toBe(d.specHash);
    expect(c.before).toBeNull();
    expect(c.startsAt).toEqual({ kind: 'at', instant: inMinutes(24 * 60) });
    expect(c.estimateStatus).toBe('pending');
    expect(p.summary.text).toBe('Plan: 1 to create');
  });

  it('uses the startsAt the caller resolved over the raw `when`', () => {
    const d = campaign('flash', { when: inMinutes(600) }, { startsAt: { kind: 'now' } });
    const c = plan(input({ desired: [d] })).plan.changes[0]!;
    expect(c.startsAt).toEqual({ kind: 'now' });
    expect(c.irreversible).toBe(true);
  });

  it('reads a local `when` in the account time zone', () => {
    // 13:30 in Paris (UTC+1 in March before DST) is 12:30Z: 30 minutes after NOW, not immediate
    const d = campaign('paris', { when: '2025-03-01T13:30' });
    const c = plan(input({ desired: [d], accountTimezone: 'Europe/Paris' })).plan.changes[0]!;
    expect(c.startsAt).toEqual({ kind: 'at', instant: '2025-03-01T12:30:00.000Z' });
    expect(c.irreversible).toBe(false);
    // the same text in UTC is 90 minutes away; in New York (UTC-5) it is 18:30Z
    const ny = plan(input({ desired: [d], accountTimezone: 'America/New_York' })).plan.changes[0]!;
    expect(ny.startsAt).toEqual({ kind: 'at', instant: '2025-03-01T18:30:00.000Z' });
  });

  it('`when` in the past is an error located at the resource (or the exact node when locatable)', () => {
    const d = campaign('late', { when: inMinutes(-5) }, { file: 'campaigns/promo/late.yaml' });
    const { diagnostics } = plan(input({ desired: [d] }));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'plan.when-past',
      address: 'campaign.late',
      file: 'campaigns/promo/late.yaml',
      line: 1,
      column: 1,
    });
    expect(diagnostics[0]!.hint).toBeTruthy();

    const located = plan(
      input({
        desired: [d],
        locate: (address, path) =>
          address === 'campaign.late' && path.join('.') === 'spec.when'
            ? { file: 'campaigns/promo/late.yaml', line: 7, column: 9, endLine: 7, endColumn: 30 }
            : undefined,
      }),
    ).diagnostics[0]!;
    expect(located).toMatchObject({ line: 7, column: 9, endColumn: 30 });
  });

  it('an unreadable `when` is treated as immediate, with a warning', () => {
    const d = campaign('odd', { when: 'next tuesday' });
    const { plan: p, diagnostics } = plan(input({ desired: [d] }));
    expect(diagnostics).toEqual([]);
    expect(p.changes[0]!.irreversible).toBe(true);
    expect(p.warnings.map((w) => w.code)).toContain('plan.start-unknown');
  });
});

describe('the 15-minute irreversible boundary', () => {
  const cases: [string, unknown, boolean][] = [
    ['now', 'now', true],
    ['exactly now', NOW.toISOString(), true],
    ['in 14 minutes 59 seconds', new Date(NOW.getTime() + 899_000).toISOString(), true],
    ['in exactly 15 minutes', inMinutes(15), true],
    ['in 15 minutes and 1 second', new Date(NOW.getTime() + 901_000).toISOString(), false],
    ['tomorrow', inMinutes(24 * 60), false],
  ];
  for (const [label, when, irreversible] of cases) {
    it(`a create starting ${label} is ${irreversible ? '' : 'not '}irreversible`, () => {
      const { plan: p, diagnostics } = plan(input({ desired: [campaign('c', { when })] }));
      expect(diagnostics).toEqual([]);
      expect(p.changes[0]!.irreversible).toBe(irreversible);
    });
  }

  it('a replace whose new start is within 15 minutes is irreversible too', () => {
    const old = campaign('c');
    const a = applied(old);
    const { plan: p } = plan(input({ desired: [campaign('c', { when: inMinutes(10) })], applied: [a] }));
    expect(p.changes[0]).toMatchObject({ action: 'replace', irreversible: true });
  });
});

describe('applied Campaign, still scheduled, spec changed', () => {
  it('is a replace keeping the old remote id for the stop, with a field diff', () => {
    const old = campaign('spring');
    const a = applied(old, { remoteId: 4242 });
    const edited = campaign('spring', { content: { title: 'Spring sale', body: 'Up to 50% off' } });
    const { plan: p, diagnostics } = plan(input({ desired: [edited], applied: [a] }));
    expect(diagnostics).toEqual([]);
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ action: 'replace', reason: 'spec-changed', remoteId: 4242, specHash: edited.specHash });
    expect(p.changes[0]!.diff).toEqual([{ path: 'content.title', before: 'Winter sale', after: 'Spring sale' }]);
    expect(p.changes[0]!.before).toEqual(old.canonicalSpec);
  });

  it('an unchanged campaign is no change at all', () => {
    const d = campaign('same');
    const { plan: p } = plan(input({ desired: [d], applied: [applied(d)] }));
    expect(p.changes).toEqual([]);
    expect(p.summary.text).toBe('No changes.');
  });

  it('labels and protect alone never cause a change (they are not in the spec hash)', () => {
    const d = campaign('same', {}, { labels: { team: 'growth' }, protect: true });
    const { plan: p } = plan(input({ desired: [d], applied: [applied(d, { labels: {}, protect: false })] }));
    expect(p.changes).toEqual([]);
  });
});

describe('applied Campaign already running/sent/completed, spec changed: immutable', () => {
  for (const status of ['running', 'sent', 'completed'] as const) {
    it(`state ${status}: no action, a warning telling to give it a new name`, () => {
      const a = applied(campaign('gone-out'), { status, scheduledFor: inMinutes(-60) });
      const { plan: p, diagnostics } = plan(input({ desired: [campaign('gone-out', { content: { title: 'x' } })], applied: [a] }));
      expect(diagnostics).toEqual([]);
      expect(p.changes).toEqual([]);
      const w = p.warnings.find((x) => x.code === 'plan.immutable');
      expect(w).toBeDefined();
      expect(w!.hint).toMatch(/new name/);
      expect(w!.address).toBe('campaign.gone-out');
      expect(w!.file).toBe('campaigns/gone-out.yaml');
    });
  }

  it('CleverTap reporting it running overrides a state that still says scheduled', () => {
    const a = applied(campaign('c'));
    const { plan: p } = plan(input({ desired: [campaign('c', { content: { title: 'x' } })], applied: [a], remote: [remoteOf(a, 'running')] }));
    expect(p.changes).toEqual([]);
    expect(p.warnings.map((w) => w.code)).toContain('plan.immutable');
  });

  it('a start time already passed counts as started even if CleverTap still says pending', () => {
    const a = applied(campaign('c'), { scheduledFor: inMinutes(-1) });
    const { plan: p } = plan(input({ desired: [campaign('c', { content: { title: 'x' } })], applied: [a], remote: [remoteOf(a, 'pending')] }));
    expect(p.changes).toEqual([]);
    expect(p.warnings.map((w) => w.code)).toContain('plan.immutable');
  });

  it('an unknown CleverTap status is treated as live: no replace, and a warning naming it', () => {
    const a = applied(campaign('c'));
    const { plan: p } = plan(input({ desired: [campaign('c', { content: { title: 'x' } })], applied: [a], remote: [remoteOf(a, 'throttled')] }));
    expect(p.changes).toEqual([]);
    const codes = p.warnings.map((w) => w.code);
    expect(codes).toContain('plan.immutable');
    expect(p.warnings.find((w) => w.code === 'plan.remote-status-unknown')!.message).toContain('throttled');
  });

  it('a campaign stopped by campaignctl is not re-sent by an edit', () => {
    const a = applied(campaign('c'), { status: 'stopped' });
    const { plan: p } = plan(input({ desired: [campaign('c', { content: { title: 'x' } })], applied: [a] }));
    expect(p.changes).toEqual([]);
    expect(p.warnings.map((w) => w.code)).toEqual(['plan.immutable-stopped']);
    expect(p.drift).toEqual([]);
  });
});

describe('Campaign gone from YAML', () => {
  for (const remote of ['pending', 'running']) {
    it(`remote ${remote}, not protected: stop with the remote id`, () => {
      const a = applied(campaign('old'), { remoteId: 77, status: remote === 'running' ? 'running' : 'scheduled' });
      const { plan: p } = plan(input({ applied: [a], remote: [remoteOf(a, remote)], options: {} }));
      expect(p.changes).toHaveLength(1);
      expect(p.changes[0]).toMatchObject({ action: 'stop', reason: 'removed', remoteId: 77, after: null });
      expect(p.changes[0]!.before).toEqual(a.spec);
    });
  }

  it('protected: never stopped, a note says so', () => {
    const a = applied(campaign('vip'), { protect: true });
    const { plan: p } = plan(input({ applied: [a] }));
    expect(p.changes).toEqual([]);
    expect(p.notes).toHaveLength(1);
    expect(p.notes[0]).toMatchObject({ address: 'campaign.vip', code: 'protected' });
    expect(p.notes[0]!.message).toMatch(/protect/);
  });

  it('protected and finished: not forgotten either', () => {
    const a = applied(campaign('vip'), { protect: true, status: 'completed', scheduledFor: inMinutes(-600) });
    const { plan: p } = plan(input({ applied: [a] }));
    expect(p.changes).toEqual([]);
    expect(p.notes.map((n) => n.code)).toEqual(['protected']);
  });

  for (const [state, remote] of [
    ['completed', 'completed'],
    ['sent', 'completed'],
    ['stopped', 'stopped'],
  ] as const) {
    it(`already finished (state ${state}, remote ${remote}): forget, no remote effect`, () => {
      const a = applied(campaign('done'), { status: state, scheduledFor: inMinutes(-600) });
      const { plan: p } = plan(input({ applied: [a], remote: [remoteOf(a, remote)] }));
      expect(actions(p.changes)).toEqual(['forget campaign.done']);
      expect(p.changes[0]!.reason).toBe('finished');
      expect(p.drift).toEqual([]);
    });
  }

  it('the old campaign of a replace whose stop failed (superseded row) is stopped again', () => {
    const d = campaign('c');
    const old = applied(d, { address: supersededAddress('campaign.c', 555), remoteId: 555 });
    const current = applied(d, { remoteId: 556 });
    const { plan: p } = plan(input({ desired: [d], applied: [current, old] }));
    expect(actions(p.changes)).toEqual(['stop campaign.c@555']);
    expect(p.changes[0]).toMatchObject({ reason: 'superseded', remoteId: 555 });
    expect(p.liveManagedCampaigns).toBe(1);
  });

  it('protect does not keep the leftover of a replace alive', () => {
    const d = campaign('c', {}, { protect: true });
    const old = applied(d, { address: supersededAddress('campaign.c', 555), remoteId: 555 });
    const { plan: p } = plan(input({ desired: [d], applied: [applied(d), old] }));
    expect(actions(p.changes)).toEqual(['stop campaign.c@555']);
    expect(p.notes).toEqual([]);
  });
});

describe('drift: managed campaign stopped/completed/missing on CleverTap outside campaignctl', () => {
  it('stopped on the dashboard: listed in drift, no action', () => {
    const d = campaign('c');
    const a = applied(d, { remoteId: 9 });
    const { plan: p } = plan(input({ desired: [d], applied: [a], remote: [remoteOf(a, 'stopped')] }));
    expect(p.changes).toEqual([]);
    expect(p.drift).toEqual([
      { address: 'campaign.c', remoteId: 9, expected: 'scheduled', actual: 'stopped', message: expect.stringContaining('stopped'), healed: false },
    ]);
    expect(p.summary.drift).toBe(1);
  });

  it('missing from the list: drift', () => {
    const d = campaign('c');
    const a = applied(d);
    const { plan: p } = plan(input({ desired: [d], applied: [a], remote: [] }));
    expect(p.drift.map((x) => x.actual)).toEqual(['missing']);
    expect(p.changes).toEqual([]);
  });

  it('completed before its start: drift; completed after its start: not drift', () => {
    const d = campaign('c');
    const early = applied(d);
    expect(plan(input({ desired: [d], applied: [early], remote: [remoteOf(early, 'completed')] })).plan.drift).toHaveLength(1);
    const late = applied(d, { scheduledFor: inMinutes(-120) });
    expect(plan(input({ desired: [d], applied: [late], remote: [remoteOf(late, 'completed')] })).plan.drift).toEqual([]);
  });

  it('with heal: a create with reason heal, the drift marked healed', () => {
    const d = campaign('c');
    const a = applied(d);
    const { plan: p } = plan(input({ desired: [d], applied: [a], remote: [remoteOf(a, 'stopped')], options: { heal: true } }));
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ action: 'create', reason: 'heal', specHash: d.specHash });
    expect(p.drift[0]!.healed).toBe(true);
  });

  it('heal never re-creates a campaign CleverTap still runs (stopped by campaignctl, restarted outside)', () => {
    const d = campaign('c');
    const a = applied(d, { status: 'stopped' });
    const { plan: p } = plan(input({ desired: [d], applied: [a], remote: [remoteOf(a, 'running')], options: { heal: true } }));
    expect(p.changes).toEqual([]);
    expect(p.drift).toHaveLength(1);
    expect(p.drift[0]).toMatchObject({ expected: 'stopped', actual: 'running', healed: false });
  });

  it('gone from YAML and stopped outside: drift shown and forgotten', () => {
    const a = applied(campaign('c'));
    const { plan: p } = plan(input({ applied: [a], remote: [remoteOf(a, 'stopped')] }));
    expect(actions(p.changes)).toEqual(['forget campaign.c']);
    expect(p.drift).toHaveLength(1);
  });

  it('not refreshed (remote null): no drift, decisions from state alone, and a warning saying so', () => {
    const d = campaign('c');
    const a = applied(d);
    const gone = applied(campaign('gone'));
    const { plan: p, diagnostics } = plan(input({ desired: [campaign('c', { content: { title: 'New' } })], applied: [a, gone], remote: null }));
    expect(diagnostics).toEqual([]);
    expect(p.refreshed).toBe(false);
    expect(p.drift).toEqual([]);
    expect(actions(p.changes)).toEqual(['stop campaign.gone', 'replace campaign.c']);
    expect(p.warnings[0]!.code).toBe('plan.not-refreshed');
  });
});

describe('contracts: Message / ExternalTrigger / Bulletin / Schedule', () => {
  const kinds = [
    ['Message', 'message.m', { channel: 'push', content: { title: 'a' } }, { channel: 'push', content: { title: 'b' } }],
    ['ExternalTrigger', 'trigger.t', { campaign_id: 1, identity: 'Identity' }, { campaign_id: 2, identity: 'Identity' }],
    ['Bulletin', 'bulletin.b', { event: 'E', 'c-by': 'x' }, { event: 'E2', 'c-by': 'x' }],
    ['Schedule', 'schedule.s', { cron: '0 9 * * 1', timezone: 'UTC' }, { cron: '0 10 * * 1', timezone: 'UTC' }],
  ] as const;
  for (const [kind, address, v1, v2] of kinds) {
    const name = address.split('.')[1]!;
    it(`${kind}: create, update with diff, delete; none touches CleverTap`, () => {
      const d1 = desired(kind, name, { ...v1 });
      const d2 = desired(kind, name, { ...v2 });
      const created = plan(input({ desired: [d1] })).plan.changes;
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ address, action: 'create', kind, irreversible: false, estimateStatus: 'not-applicable' });

      const updated = plan(input({ desired: [d2], applied: [applied(d1)] })).plan.changes;
      expect(updated).toHaveLength(1);
      expect(updated[0]!.action).toBe('update');
      expect(updated[0]!.diff.length).toBeGreaterThan(0);
      expect(updated[0]!.specHash).toBe(d2.specHash);

      expect(plan(input({ desired: [d1], applied: [applied(d1)] })).plan.changes).toEqual([]);

      const deleted = plan(input({ applied: [applied(d1)] })).plan.changes;
      expect(actions(deleted)).toEqual([`delete ${address}`]);
    });
  }

  it('a Schedule create lists its next 5 fires after the plan\'s now, in UTC, read in its zone', () => {
    // NOW is Saturday 2025-03-01 12:00Z; Paris moves to summer time on 2025-03-30
    const d = desired('Schedule', 'weekly', { cron: '0 9 * * 1', timezone: 'Europe/Paris' });
    expect(plan(input({ desired: [d] })).plan.changes[0]!.nextFireTimes).toEqual([
      '2025-03-03T08:00:00.000Z', '2025-03-10T08:00:00.000Z', '2025-03-17T08:00:00.000Z', '2025-03-24T08:00:00.000Z', '2025-03-31T07:00:00.000Z',
    ]);
    const later = plan(input({ desired: [d], now: new Date('2025-03-03T08:00:00.000Z') })).plan.changes[0]!.nextFireTimes;
    expect(later?.[0]).toBe('2025-03-10T08:00:00.000Z');
  });

  it('a Schedule update lists its fires before and after the change', () => {
    const d1 = desired('Schedule', 'weekly', { cron: '0 9 * * 1', timezone: 'UTC' });
    const d2 = desired('Schedule', 'weekly', { cron: '30 7 * * 2', timezone: 'Asia/Kolkata' });
    const [change] = plan(input({ desired: [d2], applied: [applied(d1)] })).plan.changes;
    expect(change!.nextFireTimesBefore?.slice(0, 2)).toEqual(['2025-03-03T09:00:00.000Z', '2025-03-10T09:00:00.000Z']);
    expect(change!.nextFireTimes?.slice(0, 2)).toEqual(['2025-03-04T02:00:00.000Z', '2025-03-11T02:00:00.000Z']);
  });

  it('a disabled Schedule fires nothing; one the evaluator can not read gets no list', () => {
    const off = desired('Schedule', 'off', { cron: '0 9 * * 1', timezone: 'UTC', enabled: false });
    expect(plan(input({ desired: [off] })).plan.changes[0]!.nextFireTimes).toEqual([]);
    const unreadable = desired('Schedule', 'bad', { cron: '0 0 L-3 * *', timezone: 'UTC' });
    expect(plan(input({ desired: [unreadable] })).plan.changes[0]!.nextFireTimes).toBeUndefined();
  });

  it('a protected contract gone from YAML is kept, with a note', () => {
    const a = applied(message('m'), { protect: true });
    const { plan: p } = plan(input({ applied: [a] }));
    expect(p.changes).toEqual([]);
    expect(p.notes.map((n) => `${n.code} ${n.address}`)).toEqual(['protected message.m']);
  });
});

describe('ordering', () => {
  it('contracts, then stops/forgets, then creates/replaces, then sends; by address within', () => {
    const bull = desired('Bulletin', 'b', { event: 'E', 'c-by': 'x', occurrences: [{ key: 'k', at: inMinutes(-1) }] });
    const a1 = applied(campaign('z-old'));
    const a2 = applied(campaign('a-old'));
    const a3 = applied(campaign('done'), { status: 'completed', scheduledFor: inMinutes(-300) });
    const r = applied(campaign('rep'));
    const { plan: p } = plan(
      input({
        desired: [campaign('new-b'), campaign('rep', { content: { title: 'x' } }), campaign('new-a'), message('m'), bull],
        applied: [a1, a2, a3, r],
      }),
    );
    expect(actions(p.changes)).toEqual([
      'create bulletin.b',
      'create message.m',
      'stop campaign.a-old',
      'forget campaign.done',
      'stop campaign.z-old',
      'create campaign.new-a',
      'create campaign.new-b',
      'replace campaign.rep',
      'send bulletin.b#k',
    ]);
    expect(p.summary.text).toBe('Plan: 4 to create, 1 to replace, 2 to stop, 1 to forget; 1 send (audience not estimated)');
  });
});
