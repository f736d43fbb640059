/**
 * A persisted index decodes its resources' specs only when one is read (../../src/config/cache-blob.ts):
 * the first plan after an apply, whose hashes all stand, reads none of them. Its desired state and
 * plan are the full path's (a load with the index off, every spec decoded and every hash computed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDesired, type DesiredState } from '../../src/apply/desired.js';
import type { AppliedResource } from '../../src/model/applied.js';
import { loadProject, openDesiredMemo } from '../../src/project-index/load.js';
import { plan } from '../../src/plan/plan.js';
import { TempProject } from './helpers.js';

const temps: TempProject[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.dispose();
});

const NOW = new Date('2031-05-01T00:00:00Z');
const load = (tp: TempProject, cache: boolean) => loadProject({ dir: tp.root, environ: {}, cache });
const specDecoded = (r: object) => Object.getOwnPropertyDescriptor(r, 'spec')!.get === undefined;

function project(): TempProject {
  const tp = new TempProject({ vars: { appName: 'Streamly' } });
  temps.push(tp);
  tp.campaign({ name: 'alpha', when: '2031-06-01 09:00', labels: { team: 'growth' } });
  tp.campaign({ name: 'beta' });
  tp.campaign({ name: 'gamma', protect: true, when: '2031-07-01T10:00:00+02:00' });
  return tp;
}

function summary(s: DesiredState) {
  return s.desired.map((d) => ({ resource: d.resource, hash: d.specHash, startsAt: d.startsAt, spec: d.canonicalSpec }));
}

/** State as applied from `full`, with beta's applied spec older (so the plan shows one change). */
function applied(full: DesiredState): AppliedResource[] {
  return full.desired.map((d, i) => ({
    address: d.resource.address,
    kind: d.resource.kind,
    specHash: d.resource.name === 'beta' ? 'sha256:older' : d.specHash,
    spec: d.resource.name === 'beta' ? { title: 'Older' } : d.canonicalSpec,
    labels: d.resource.labels,
    protect: d.resource.protect,
    remoteId: i + 1,
    remoteName: d.resource.name,
    status: 'scheduled',
    scheduledFor: null,
    appliedAt: NOW.toISOString(),
    file: d.resource.source.file,
    commit: null,
    author: null,
  }));
}

describe('specs decoded when read', () => {
  it('desired state with every hash standing reads no spec, and equals the full path; so does the plan', async () => {
    const tp = project();
    // First run: hashes derived and saved in the index.
    const first = await load(tp, true);
    prepareDesired(first, { memo: openDesiredMemo(first) });
    expect(openDesiredMemo(first)!.save()).toBe(true);

    const p = await load(tp, true);
    const memo = openDesiredMemo(p)!;
    const deferred = prepareDesired(p, { memo });
    expect(deferred.desired).toHaveLength(3);
    expect(deferred.desired.some((d) => specDecoded(d.resource))).toBe(false);

    const full = prepareDesired(await load(tp, false));
    const rows = applied(full);
    const remote = rows.map((r) => ({ id: r.remoteId!, name: r.remoteName!, status: 'pending', scheduledOn: null }));
    const input = (s: DesiredState) => ({ desired: s.desired, desiredByAddress: s.byAddress, applied: rows, remote, now: NOW, accountTimezone: 'UTC' });
    const planned = plan(input(deferred));
    expect(planned).toEqual(plan(input(full)));
    expect(planned.plan.changes.map((c) => c.address)).toEqual(['campaign.beta']);
    // Only the changed resource's spec was read (to show its diff), and each file's specs at most.
    expect(deferred.desired.filter((d) => specDecoded(d.resource)).map((d) => d.resource.name)).toEqual(['beta']);

    expect(summary(deferred)).toEqual(summary(full));
    // The canonical specs to the byte (the resources' own keys differ in order only: see cache-blob.ts).
    const canonical = (s: DesiredState) => JSON.stringify(s.desired.map((d) => [d.specHash, d.startsAt, d.canonicalSpec]));
    expect(canonical(deferred)).toBe(canonical(full));
  });
});
