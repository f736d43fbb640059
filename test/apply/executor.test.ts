/**
 * The executor against the emulator, in process: create, no-op, replace, stop, forget, drift, and
 * the journal rules (marker in the name, read-back on ambiguous answers, never two creates).
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import { markerOf } from '../../src/apply/marker.js';
import { applyOnce, planOnly, TempProject, useApplyFixture } from './helpers.js';

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f));

const live = () => emu.state.campaigns().filter((c) => c.status === 'pending' || c.status === 'running');

describe('apply lifecycle', () => {
  it('creates with the marker in the name, then plans no changes', async () => {
    tp.campaign({ name: 'spring', title: 'Spring push' });
    tp.campaign({ name: 'summer' });
    const first = await applyOnce(tp, store, client);
    expect(first.planned.plan.changes.map((c) => [c.address, c.action])).toEqual([
      ['campaign.spring', 'create'],
      ['campaign.summer', 'create'],
    ]);
    expect(first.result!.ok).toBe(true);
    const campaigns = emu.state.campaigns();
    expect(campaigns).toHaveLength(2);
    const spring = campaigns.find((c) => c.name.startsWith('Spring push [cc:'))!;
    const marker = markerOf(spring.name);
    expect(marker).toMatch(/^[0-9a-z]{10}$/);
    const row = await store.resources.get('campaign.spring');
    expect(row).toMatchObject({ remoteId: spring.id, remoteName: spring.name, status: 'scheduled', scheduledFor: '2031-06-01T09:00:00.000Z' });
    const journal = await store.journal.list({ address: 'campaign.spring' });
    expect(journal.map((j) => [j.id, j.status, j.remoteId])).toEqual([[marker, 'succeeded', spring.id]]);

    const again = await planOnly(tp, store, client);
    expect(again.plan.summary.text).toBe('No changes.');
    expect(again.diagnostics).toEqual([]);
  });

  it('replace creates the new campaign, then stops the old one', async () => {
    tp.campaign({ name: 'promo', body: 'Version one' });
    await applyOnce(tp, store, client);
    const oldId = (await store.resources.get('campaign.promo'))!.remoteId!;
    tp.campaign({ name: 'promo', body: 'Version two' });
    const second = await applyOnce(tp, store, client);
    expect(second.planned.plan.changes.map((c) => c.action)).toEqual(['replace']);
    expect(second.planned.plan.changes[0]!.diff.map((d) => d.path)).toContain('content.body');
    expect(second.result!.ok).toBe(true);
    const row = (await store.resources.get('campaign.promo'))!;
    expect(row.remoteId).not.toBe(oldId);
    expect(emu.state.campaign(oldId)!.status).toBe('stopped');
    expect(emu.state.campaign(row.remoteId!)!.status).toBe('pending');
    expect((emu.state.campaign(row.remoteId!)!.body as { content: { body: string } }).content.body).toBe('Version two');
    expect(await store.resources.list()).toHaveLength(1);
    expect((await planOnly(tp, store, client)).plan.summary.text).toBe('No changes.');
  });

  it('a vars change used by a campaign is a change; relative dates are not', async () => {
    tp.campaign({ name: 'promo' });
    await applyOnce(tp, store, client);
    // A day later the daysAgo dates resolve differently; the hash must not move.
    const tomorrow = await planOnly(tp, store, client, {}, new Date(Date.now() + 86_400_000));
    expect(tomorrow.plan.changes).toEqual([]);
    expect((tomorrow.payloads as Record<string, unknown>)['campaign.promo']).toBeUndefined();
    const edited = new TempProject({ vars: { appName: 'Streamly+' } });
    try {
      edited.campaign({ name: 'promo' });
      const p = await planOnly(edited, store, client);
      expect(p.plan.changes.map((c) => c.action)).toEqual(['replace']);
      expect(p.plan.changes[0]!.diff).toEqual([{ path: '$inputs.vars.appName', before: 'Streamly', after: 'Streamly+' }]);
    } finally {
      edited.dispose();
    }
  });

  it('removing stops; a finished one is forgotten; a dashboard stop is drift', async () => {
    tp.campaign({ name: 'a' });
    tp.campaign({ name: 'b' });
    tp.campaign({ name: 'c' });
    tp.campaign({ name: 'd' });
    await applyOnce(tp, store, client);
    const id = async (n: string) => (await store.resources.get(`campaign.${n}`))!.remoteId!;
    const [a, b, c] = [await id('a'), await id('b'), await id('c')];

    tp.remove('campaigns/a.yaml');
    const removed = await applyOnce(tp, store, client);
    expect(removed.planned.plan.changes.map((x) => [x.address, x.action])).toEqual([['campaign.a', 'stop']]);
    expect(emu.state.campaign(a)!.status).toBe('stopped');
    expect(await store.resources.get('campaign.a')).toBeNull();

    emu.state.markCompleted(b);
    tp.remove('campaigns/b.yaml');
    const finished = await applyOnce(tp, store, client);
    expect(finished.planned.plan.changes.map((x) => [x.address, x.action, x.reason])).toEqual([['campaign.b', 'forget', 'finished']]);
    expect(await store.resources.get('campaign.b')).toBeNull();
    const stopCalls = emu.state.requests({ family: 'stop' }).length;
    expect(stopCalls).toBe(1);

    emu.state.dashboardStop(c);
    const drift = await planOnly(tp, store, client);
    expect(drift.plan.drift.map((x) => [x.address, x.actual])).toEqual([['campaign.c', 'stopped']]);
    expect(drift.plan.changes).toEqual([]);
    expect(live().map((x) => x.id)).toEqual([await id('d')]);
  });
});
