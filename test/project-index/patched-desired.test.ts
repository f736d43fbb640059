/**
 * The daemon's plan after an edit: desired state is the last plan's with the edited resources'
 * entries replaced (array copied, index by address shared, ../../src/apply/address-index.ts), and
 * the planner keeps its union of addresses. After each kind of change, that desired state and the
 * plan made on it (as the daemon makes it: the index by address and the sorted addresses handed
 * over, state's rows frozen) equal a fresh index's desired state and a plan that indexes it itself.
 * Real temp projects, the daemon's ProjectSource, in-process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDesired, type DesiredState } from '../../src/apply/desired.js';
import { ProjectSource } from '../../src/daemon/project-source.js';
import { plan } from '../../src/plan/plan.js';
import type { AppliedResource } from '../../src/model/applied.js';
import { ProjectIndex } from '../../src/project-index/project-index.js';
import { applied } from '../plan/builders.js';
import { smallProject, smsCampaign as sms } from './small-project.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-patched-desired-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NOW = new Date('2026-06-15T12:00:00Z');

function project(): string {
  const root = smallProject(scratch);
  // campaign.c2 defined twice: the first definition (c2.yaml) is the one planned.
  writeFileSync(path.join(root, 'campaigns', 'later-c2.yaml'), sms('c2', 'Second definition'));
  return root;
}

const write = (root: string, rel: string, text: string) => writeFileSync(path.join(root, rel), text);

/** What a desired state holds, as plain data: every resource in order, the index by address in order, the sorted addresses. */
function shown(s: DesiredState) {
  return {
    desired: s.desired.map((d) => [d.resource.address, d.resource.source.file, d.specHash, d.startsAt ?? null, d.canonicalSpec]),
    byAddress: [...s.byAddress].map(([a, e]) => [a, e.resource.source.file, e.desired.specHash, e.desired === s.desired.find((d) => d.resource === e.resource)]),
    sorted: s.byAddress.sortedAddresses(),
    size: s.byAddress.size,
    readsFiles: s.readsFiles,
  };
}

async function freshDesired(root: string): Promise<DesiredState> {
  const index = new ProjectIndex({ root, resolve: { root, cwd: root, environ: {} }, threads: 1 });
  await index.refresh(NOW);
  return prepareDesired(index.project());
}

/** The plan as the daemon makes it (index and sorted addresses given) against a plan that indexes the desired resources itself. */
function plans(state: DesiredState, fresh: DesiredState, rows: readonly AppliedResource[]) {
  const common = { applied: rows, remote: null, now: NOW, accountTimezone: 'Europe/Berlin' };
  const daemon = plan({ ...common, desired: state.desired, desiredByAddress: state.byAddress, desiredAddresses: state.byAddress.sortedAddresses(), desiredAlong: (a) => state.byAddress.along(a) });
  const reference = plan({ ...common, desired: fresh.desired, applied: [...rows] });
  return { daemon, reference };
}

describe('desired state patched after an edit, and the plan on it', () => {
  it('equals a fresh index and plan after each kind of edit; a small edit shares the index and the sorted addresses', async () => {
    const root = project();
    const source = new ProjectSource({ root, cwd: root, environ: {} });
    const load = async (paths: string[]) => {
      source.markDirty(paths);
      return prepareDesired(await source.load(NOW), { memo: source.memo() });
    };
    const first = await load([]);
    // State: everything applied as first desired, but c5 never applied and one campaign gone from the project.
    const gone = applied({ ...first.desired[0]!, resource: { ...first.desired[0]!.resource, address: 'campaign.gone', name: 'gone' } });
    const rows = Object.freeze([...first.desired.filter((d) => d.resource.address !== 'campaign.c5').map((d) => applied(d)), gone].sort((a, b) => (a.address < b.address ? -1 : 1)));

    // Another state's rows (campaign.gone forgotten): the kept union of addresses is per rows too.
    const fewer = Object.freeze(rows.filter((r) => r.address !== 'campaign.gone'));

    const check = async (state: DesiredState, on: readonly AppliedResource[] = rows) => {
      const fresh = await freshDesired(root);
      expect(shown(state)).toEqual(shown(fresh));
      const { daemon, reference } = plans(state, fresh, on);
      expect(daemon).toEqual(reference);
      return daemon;
    };
    const firstPlan = await check(first);
    expect(firstPlan.plan.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual(['create campaign.c5', 'stop campaign.gone']);

    // A body edit: patched. The same sorted addresses, the other resources the very objects.
    write(root, 'campaigns/c3.yaml', sms('c3', 'Hello again'));
    const body = await load(['campaigns/c3.yaml']);
    expect(body.byAddress).not.toBe(first.byAddress);
    expect(body.byAddress.sortedAddresses()).toBe(first.byAddress.sortedAddresses());
    expect(body.desired.filter((d, i) => d !== first.desired[i]).map((d) => d.resource.address)).toEqual(['campaign.c3']);
    expect((await check(body)).plan.changes.map((c) => `${c.action} ${c.address}`)).toContain('replace campaign.c3');

    // The later definition of a duplicate address: its entry is not the index's; the first's stays.
    write(root, 'campaigns/later-c2.yaml', sms('c2', 'Second definition, edited'));
    const later = await load(['campaigns/later-c2.yaml']);
    expect(later.byAddress.get('campaign.c2')!.resource.source.file).toBe('campaigns/c2.yaml');
    await check(later);

    // The first definition edited: its entry is replaced.
    write(root, 'campaigns/c2.yaml', sms('c2', 'First definition, edited'));
    const firstDef = await load(['campaigns/c2.yaml']);
    expect(firstDef.byAddress.get('campaign.c2')!.desired.specHash).not.toBe(later.byAddress.get('campaign.c2')!.desired.specHash);
    await check(firstDef);

    // The duplicate gone: the planner takes the index and the sorted addresses from here on.
    rmSync(path.join(root, 'campaigns', 'later-c2.yaml'));
    const single = await load(['campaigns/later-c2.yaml']);
    expect(single.byAddress.size).toBe(single.desired.length);
    await check(single);

    // A rename: a new address, a new index and new sorted addresses.
    write(root, 'campaigns/c4.yaml', sms('c4-renamed', 'Hello 4'));
    const renamed = await load(['campaigns/c4.yaml']);
    expect(renamed.byAddress.sortedAddresses()).not.toBe(first.byAddress.sortedAddresses());
    await check(renamed);

    // A file gone, a file new, a partial moved: each equals the fresh index.
    rmSync(path.join(root, 'campaigns', 'c6.yaml'));
    await check(await load(['campaigns/c6.yaml']));
    write(root, 'campaigns/new.yaml', sms('new', 'Brand new'));
    await check(await load(['campaigns/new.yaml']));
    write(root, 'campaigns/_partials/footer.hbs', 'Goodbye\n');
    await check(await load(['campaigns/_partials/footer.hbs']));

    // Many edits in a row, each patched over the last: still what a fresh index gives.
    let last = await load([]);
    for (let k = 0; k < 12; k++) {
      write(root, `campaigns/c${k % 4}.yaml`, sms(`c${k % 4}`, `Edit ${k}`));
      const next = await load([`campaigns/c${k % 4}.yaml`]);
      expect(next.byAddress.sortedAddresses()).toBe(last.byAddress.sortedAddresses());
      const planned = await check(next, k % 2 === 0 ? rows : fewer);
      expect(planned.plan.changes.some((c) => c.address === 'campaign.gone')).toBe(k % 2 === 0);
      last = next;
    }
  });
});
