/**
 * Convergence under faults: the emulator answers 20% of requests with 429, 5% with 500 and drops
 * 5% of the connections after committing the request (seeded, so the run is reproducible).
 * Repeated applies of 200 campaigns must end with exactly one live CleverTap campaign per resource:
 * no duplicate, none missing, and state pointing at it. Then edits and removals under the same
 * faults converge as well (replaced and removed campaigns stopped, nothing orphaned).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import { markerOf } from '../../src/apply/marker.js';
import { applyOnce, clientFor, emulator, openState, TempProject } from './helpers.js';

const COUNT = 200;
const FAULTS = '429:0.2,500:0.05,drop-after-commit:0.05';
const name = (i: number) => `fault-${String(i).padStart(3, '0')}`;

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;

beforeAll(async () => {
  tp = new TempProject();
  for (let i = 0; i < COUNT; i++) tp.campaign({ name: name(i), title: `Fault test ${i}`, when: `2031-0${1 + (i % 9)}-1${i % 10}T09:00:00Z` });
  emu = await emulator({ faults: FAULTS, seed: 20250701 });
  client = clientFor(emu, { fast: true });
  store = await openState(tp.statePath);
});

afterAll(async () => {
  client.close();
  await store.close();
  await emu.close();
  tp.dispose();
});

/** Applies until a plan has nothing left to do; returns how many applies it took. */
async function converge(max = 10): Promise<number> {
  for (let round = 1; round <= max; round++) {
    const { planned, result } = await applyOnce(tp, store, client);
    if (planned.plan.changes.length === 0 && planned.diagnostics.length === 0 && (await store.journal.listOpen()).length === 0) return round;
    if (result === null && planned.diagnostics.some((d) => d.code !== 'apply.journal-unsettled' && d.code !== 'apply.refresh-failed')) {
      throw new Error(planned.diagnostics.map((d) => d.message).join('\n'));
    }
  }
  throw new Error(`no convergence after ${max} applies`);
}

/** Campaigns on the emulator by the resource their title names. */
function byResource(): Map<string, { id: number; status: string; name: string }[]> {
  const out = new Map<string, { id: number; status: string; name: string }[]>();
  for (const c of emu.state.campaigns()) {
    const m = /^Fault test (\d+)( v2)? \[cc:/.exec(c.name);
    expect(m, `unexpected campaign name ${c.name}`).not.toBeNull();
    const key = `campaign.${name(Number(m![1]))}`;
    out.set(key, [...(out.get(key) ?? []), { id: c.id, status: c.status, name: c.name }]);
  }
  return out;
}

describe(`${COUNT} campaigns under ${FAULTS}`, () => {
  it('converge with exactly one live campaign per resource: 0 duplicates, 0 missing', async () => {
    const rounds = await converge();
    const remote = byResource();
    const state = await store.resources.list();
    expect(state).toHaveLength(COUNT);
    let duplicates = 0;
    let missing = 0;
    for (const row of state) {
      const campaigns = remote.get(row.address) ?? [];
      if (campaigns.length === 0) missing++;
      duplicates += Math.max(0, campaigns.length - 1);
      expect(campaigns.map((c) => c.id)).toEqual([row.remoteId]);
      expect(campaigns[0]!.status).toBe('pending');
      expect(markerOf(campaigns[0]!.name)).not.toBeNull();
    }
    expect({ duplicates, missing, campaigns: emu.state.campaigns().length }).toEqual({ duplicates: 0, missing: 0, campaigns: COUNT });
    // The faults did happen, and some answers were lost after the campaign existed.
    const creates = emu.state.requests({ family: 'create' });
    expect(creates.filter((r) => r.fault === 'drop-after-commit' && r.committed).length).toBeGreaterThan(0);
    expect(creates.filter((r) => r.fault === '500').length).toBeGreaterThan(0);
    expect(rounds).toBeGreaterThanOrEqual(1);
  });

  it('edits (replace) and removals (stop) converge too, leaving no orphan live campaign', async () => {
    for (let i = 0; i < 40; i++) tp.campaign({ name: name(i), title: `Fault test ${i} v2`, when: `2031-0${1 + (i % 9)}-1${i % 10}T09:00:00Z` });
    for (let i = 180; i < COUNT; i++) tp.remove(`campaigns/${name(i)}.yaml`);
    await converge();
    const remote = byResource();
    const state = await store.resources.list();
    expect(state.map((r) => r.address)).toEqual(Array.from({ length: 180 }, (_, i) => `campaign.${name(i)}`));
    for (const row of state) {
      const live = (remote.get(row.address) ?? []).filter((c) => c.status === 'pending');
      expect(live.map((c) => c.id)).toEqual([row.remoteId]);
    }
    for (let i = 0; i < 40; i++) {
      const all = remote.get(`campaign.${name(i)}`)!;
      expect(all.map((c) => c.status).sort()).toEqual(['pending', 'stopped']);
      expect(all.find((c) => c.status === 'pending')!.name).toMatch(/ v2 \[cc:/);
    }
    for (let i = 180; i < COUNT; i++) expect(remote.get(`campaign.${name(i)}`)!.map((c) => c.status)).toEqual(['stopped']);
    expect(emu.state.campaigns().length).toBe(COUNT + 40);
  });
});
