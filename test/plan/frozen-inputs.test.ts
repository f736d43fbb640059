/**
 * The planner keeps its index of a frozen applied or remote array across plans (the daemon plans
 * every edit on the same frozen rows): a plan on a kept index is the plan on a fresh copy, and
 * another frozen array, one row changed, is indexed anew.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import { agreeingRemote, applied, campaign, input, remoteOf } from './builders.js';

describe('plan on frozen inputs', () => {
  it('plans a frozen array as a copy of it, again and again, and a changed frozen array anew', () => {
    const desired = [campaign('a'), campaign('b'), campaign('c')];
    const rows = Object.freeze(desired.map((d) => applied(d)));
    const remote = Object.freeze(agreeingRemote(rows)) as ReturnType<typeof agreeingRemote>;
    const edited = [campaign('a', { title: 'Title a, edited' }), desired[1]!, desired[2]!];
    const onCopies = plan(input({ desired: edited, applied: [...rows], remote: [...remote] }));
    expect(onCopies.plan.changes.map((c) => [c.address, c.action])).toEqual([['campaign.a', 'replace']]);
    for (let k = 0; k < 2; k++) expect(plan(input({ desired: edited, applied: rows, remote }))).toEqual(onCopies);

    // b stopped in CleverTap's dashboard, a new frozen list: drift on b, whatever the last index held.
    const b = rows[1]!;
    const stopped = Object.freeze(remote.map((r) => (r.id === b.remoteId ? remoteOf(b, 'stopped') : r))) as ReturnType<typeof agreeingRemote>;
    const after = plan(input({ desired: edited, applied: rows, remote: stopped }));
    expect(after).toEqual(plan(input({ desired: edited, applied: [...rows], remote: [...stopped] })));
    expect(after.plan.drift.map((d) => d.address)).toContain('campaign.b');

    // c forgotten from state: a new frozen rows array without it plans c's create.
    const withoutC = Object.freeze(rows.slice(0, 2));
    const created = plan(input({ desired: edited, applied: withoutC, remote }));
    expect(created.plan.changes.map((c) => [c.address, c.action])).toContainEqual(['campaign.c', 'create']);
  });
});
