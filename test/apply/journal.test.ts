/**
 * The journal: every create is recognisable by its marker, an ambiguous answer is settled by
 * reading back, a proven absence (and only that) allows a second attempt, and rows left open by a
 * crash are settled before the next plan. The emulator's scripted faults play the network.
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import { markerOf, remoteCampaignName } from '../../src/apply/marker.js';
import { windowAround } from '../../src/apply/dates.js';
import { computePlan } from '../../src/apply/planning.js';
import { settleOpenJournal } from '../../src/apply/settle.js';
import { applyOnce, load, planOnly, PROVENANCE, TempProject, ACCOUNT, PASSCODE, useApplyFixture } from './helpers.js';

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f));

const WHEN = '2031-06-01T09:00:00Z';

/** Creates a campaign on the emulator directly, as an earlier process would have before dying. */
async function createDirectly(name: string): Promise<number> {
  const res = await fetch(`${emu.url}/1/targets/create.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE },
    body: JSON.stringify({ name, target_mode: 'push', where: {}, content: { title: 't', body: 'b' }, devices: ['ios'], when: '20310601 09:00' }),
  });
  return ((await res.json()) as { id: number }).id;
}

describe('ambiguous creates', () => {
  it('an answer lost after the campaign was created is adopted by read-back, not created again', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    emu.state.injectFaults([{ fault: 'drop-after-commit', family: 'create' }]);
    const { result } = await applyOnce(tp, store, client);
    expect(result!.ok).toBe(true);
    expect(result!.outcomes[0]!.message).toMatch(/found again by its marker/);
    expect(emu.state.campaigns()).toHaveLength(1);
    const journal = await store.journal.list({ address: 'campaign.promo' });
    expect(journal.map((j) => j.status)).toEqual(['adopted']);
    expect((await store.resources.get('campaign.promo'))!.remoteId).toBe(emu.state.campaigns()[0]!.id);
    expect((await planOnly(tp, store, client)).plan.changes).toEqual([]);
  });

  it('a 5xx that created nothing is proven absent, then tried again under a new marker', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    emu.state.injectFaults([{ fault: '500', family: 'create' }]);
    const { result } = await applyOnce(tp, store, client);
    expect(result!.ok).toBe(true);
    const campaigns = emu.state.campaigns();
    expect(campaigns).toHaveLength(1);
    const journal = await store.journal.list({ address: 'campaign.promo' });
    expect(journal.map((j) => j.status)).toEqual(['succeeded', 'not-created']);
    expect(markerOf(campaigns[0]!.name)).toBe(journal[0]!.id);
    expect(journal[0]!.id).not.toBe(journal[1]!.id);
    const audits = await store.audit.list({ address: 'campaign.promo' });
    expect(audits.map((a) => a.outcome)).toEqual(['succeeded', 'not-created']);
  });

  it('when reading back fails too, the row stays open and nothing is created again', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    emu.state.injectFaults([
      { fault: 'drop-after-commit', family: 'create' },
      { fault: '500', family: 'list', count: 6 },
    ]);
    const { result } = await applyOnce(tp, store, client);
    expect(result!.ok).toBe(false);
    expect(result!.outcomes[0]!.message).toMatch(/outcome is unknown and reading it back failed/);
    expect((await store.journal.listOpen()).map((j) => j.address)).toEqual(['campaign.promo']);

    // Still failing: the next plan refuses instead of proposing a second create.
    emu.state.injectFaults([{ fault: '500', family: 'list', count: 6 }]);
    const refused = await planOnly(tp, store, client);
    expect(refused.diagnostics.map((d) => d.code)).toContain('apply.journal-unsettled');

    // CleverTap answers again: settled by adoption, no change left.
    emu.state.injectFaults([]);
    const settled = await planOnly(tp, store, client);
    expect(settled.settlement!.settled.map((s) => s.outcome)).toEqual(['adopted']);
    expect(settled.plan.changes).toEqual([]);
    expect(emu.state.campaigns()).toHaveLength(1);
  });
});

describe('rows left open by a crash', () => {
  async function openCreateRow(address: string, specHash: string) {
    return store.journal.open({
      address,
      operation: 'create',
      request: { remoteName: 'Campaign promo', specHash, scheduledFor: '2031-06-01T09:00:00.000Z' },
      window: windowAround(new Date(WHEN), 'UTC'),
    });
  }

  it('found on CleverTap: adopted with the YAML spec, the plan has nothing to create', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    const before = await planOnly(tp, store, client);
    const hash = before.plan.changes[0]!.specHash!;
    const row = await openCreateRow('campaign.promo', hash);
    const id = await createDirectly(remoteCampaignName('Campaign promo', row.id));
    const after = await planOnly(tp, store, client);
    expect(after.settlement!.settled).toMatchObject([{ id: row.id, outcome: 'adopted', remoteId: id }]);
    expect(after.plan.changes).toEqual([]);
    expect(await store.resources.get('campaign.promo')).toMatchObject({ remoteId: id, specHash: hash, status: 'scheduled' });
  });

  it('absent from CleverTap: recorded not-created, and the plan creates it', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    const hash = (await planOnly(tp, store, client)).plan.changes[0]!.specHash!;
    await createDirectly('Campaign promo [cc:0000000000]'); // another marker: not ours
    const row = await openCreateRow('campaign.promo', hash);
    const after = await planOnly(tp, store, client);
    expect(after.settlement!.settled).toMatchObject([{ id: row.id, outcome: 'not-created' }]);
    expect(after.plan.changes.map((c) => c.action)).toEqual(['create']);
  });

  it('a miss on a row younger than the grace period is not yet proof: it stays open until later', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    const row = await openCreateRow('campaign.promo', 'sha256:x');
    const deps = { store, client, provenance: PROVENANCE, notCreatedGraceMs: 60_000 };
    const early = await settleOpenJournal({ ...deps, now: () => new Date(Date.parse(row.openedAt) + 5_000) });
    expect(early.settled).toEqual([]);
    expect(early.unsettled[0]!.reason).toMatch(/only 5 s old and may still be landing; try again in 55 s/);
    const later = await settleOpenJournal({ ...deps, now: () => new Date(Date.parse(row.openedAt) + 61_000) });
    expect(later.settled.map((s) => s.outcome)).toEqual(['not-created']);
  });

  it('plan without the lock does not settle; it warns that writes are open', async () => {
    tp.campaign({ name: 'promo', when: WHEN });
    await openCreateRow('campaign.promo', 'sha256:x');
    const project = await load(tp);
    const p = await computePlan({ project, store, client, now: new Date(), options: { noEstimate: true }, provenance: PROVENANCE, settle: false, lockHolder: { holder: { id: 'l0ck', command: 'apply', pid: 1, host: 'ci', since: '2026-01-01T00:00:00.000Z' }, probablyStale: false, forceUnlock: 'campaignctl force-unlock l0ck' } });
    expect(p.settlement).toBeNull();
    expect(p.plan.warnings.map((w) => w.code)).toContain('apply.journal-open');
    expect((await store.journal.listOpen())).toHaveLength(1);
  });
});

describe('replace whose stop fails', () => {
  it('a refused stop keeps both in state; the next plan stops the superseded one', async () => {
    tp.campaign({ name: 'promo', when: WHEN, body: 'one' });
    await applyOnce(tp, store, client);
    const oldId = (await store.resources.get('campaign.promo'))!.remoteId!;
    tp.campaign({ name: 'promo', when: WHEN, body: 'two' });
    emu.state.injectFaults([{ fault: '429', family: 'stop', count: 6 }]);
    const { result } = await applyOnce(tp, store, client);
    expect(result!.ok).toBe(false);
    expect(result!.outcomes[0]!.message).toMatch(/state keeps both and the next plan stops it/);
    expect((await store.resources.list()).map((r) => r.address)).toEqual(['campaign.promo', `campaign.promo@${oldId}`]);

    const next = await applyOnce(tp, store, client);
    expect(next.planned.plan.changes.map((c) => [c.address, c.action, c.reason])).toEqual([[`campaign.promo@${oldId}`, 'stop', 'superseded']]);
    expect(next.result!.ok).toBe(true);
    expect(emu.state.campaign(oldId)!.status).toBe('stopped');
    expect((await store.resources.list()).map((r) => r.address)).toEqual(['campaign.promo']);
  });

  it('a stop that may have landed stays open and is sent again first thing next run', async () => {
    tp.campaign({ name: 'promo', when: WHEN, body: 'one' });
    await applyOnce(tp, store, client);
    const oldId = (await store.resources.get('campaign.promo'))!.remoteId!;
    tp.campaign({ name: 'promo', when: WHEN, body: 'two' });
    emu.state.injectFaults([{ fault: 'drop-after-commit', family: 'stop', count: 6 }]);
    const { result } = await applyOnce(tp, store, client);
    expect(result!.ok).toBe(false);
    expect((await store.journal.listOpen()).map((j) => [j.operation, j.request.remoteId])).toEqual([['stop', oldId]]);
    const next = await planOnly(tp, store, client);
    expect(next.settlement!.settled.map((s) => [s.operation, s.outcome])).toEqual([['stop', 'succeeded']]);
    expect(next.plan.changes).toEqual([]);
    expect((await store.resources.list()).map((r) => r.address)).toEqual(['campaign.promo']);
  });
});
