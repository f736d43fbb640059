/**
 * Executor rules: order (contracts, stops, creates), stop at the first failure keeping what
 * succeeded, interruption, metadata following the YAML, and bulletin occurrence sends (claimed
 * once, an ambiguous raise recorded as unknown and never raised again).
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import type { PlanChange } from '../../src/plan/types.js';
import { syncMetadata } from '../../src/apply/metadata.js';
import { applyOnce, campaignYaml, planOnly, TempProject, useApplyFixture } from './helpers.js';

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f), { businessEvents: ['Album Released'] });

const TRIGGER = `apiVersion: campaignctl/v1
kind: ExternalTrigger
metadata:
  name: upgraded
spec:
  campaign_id: 1695721550
  identity: identity
  payload:
    type: object
    properties:
      plan: { type: string }
`;

function bulletin(at: string): string {
  return `apiVersion: campaignctl/v1
kind: Bulletin
metadata:
  name: albums
spec:
  business_event: Album Released
  c-by: editor@example.com
  properties:
    type: object
    required: [artist]
    properties:
      artist: { type: string }
  occurrences:
    - key: first
      at: "${at}"
      name: "{{properties.artist}} is out"
      properties:
        artist: Nova Lane
`;
}

describe('order and failures', () => {
  it('contracts first, then stops, then creates; one failure stops the run and keeps what succeeded', async () => {
    tp.campaign({ name: 'old' });
    await applyOnce(tp, store, client);
    tp.remove('campaigns/old.yaml');
    tp.write('campaigns/upgraded.yaml', TRIGGER);
    tp.campaign({ name: 'a1' });
    // An unknown custom control group: CleverTap refuses the create (not retryable, not ambiguous).
    tp.write('campaigns/a2.yaml', campaignYaml({ name: 'a2' }).replace('devices: [ios]', 'devices: [ios]\n  control_group: { type: custom, name: Nope }'));
    tp.campaign({ name: 'a3' });
    const started: string[] = [];
    const { planned, result } = await applyOnce(tp, store, client, {
      options: { allowMassStop: true },
      deps: { concurrency: 1, hooks: { onChangeStart: ({ change }) => started.push(`${change.action} ${change.address}`) } },
    });
    expect(planned.plan.changes.map((c: PlanChange) => c.address)).toEqual(['trigger.upgraded', 'campaign.old', 'campaign.a1', 'campaign.a2', 'campaign.a3']);
    expect(started).toEqual(['create trigger.upgraded', 'stop campaign.old', 'create campaign.a1', 'create campaign.a2']);
    expect(result!.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied', 'failed', 'skipped']);
    expect({ applied: result!.applied, failed: result!.failed, skipped: result!.skipped, ok: result!.ok }).toEqual({ applied: 3, failed: 1, skipped: 1, ok: false });
    expect(result!.outcomes[3]!.message).toContain('No custom control group with name Nope');
    expect(result!.outcomes[3]!.error).toMatchObject({ kind: 'fail', ambiguous: false });
    expect((await store.resources.list()).map((r) => r.address)).toEqual(['campaign.a1', 'trigger.upgraded']);
    expect((await store.journal.list({ address: 'campaign.a2' })).map((j) => j.status)).toEqual(['failed']);
    expect((await store.audit.list({ address: 'campaign.a2' }))[0]!.outcome).toBe('failed');
    expect(emu.state.campaigns().filter((c) => c.status === 'pending').map((c) => c.name.split(' [')[0])).toEqual(['Campaign a1']);
  });

  it('an interrupted run starts nothing new and says so', async () => {
    tp.campaign({ name: 'a' });
    tp.campaign({ name: 'b' });
    const abort = new AbortController();
    abort.abort();
    const { result } = await applyOnce(tp, store, client, { deps: { signal: abort.signal } });
    expect(result!.interrupted).toBe(true);
    expect(result!.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped']);
    expect(emu.state.campaigns()).toHaveLength(0);
  });
});

describe('contracts', () => {
  it('are recorded in state only; an edit is an update, a removal a delete', async () => {
    tp.write('campaigns/upgraded.yaml', TRIGGER);
    await applyOnce(tp, store, client);
    expect(await store.resources.get('trigger.upgraded')).toMatchObject({ kind: 'ExternalTrigger', status: 'active', remoteId: null });
    tp.write('campaigns/upgraded.yaml', TRIGGER.replace('1695721550', '1695721551'));
    const updated = await applyOnce(tp, store, client);
    expect(updated.planned.plan.changes.map((c) => c.action)).toEqual(['update']);
    expect((await store.resources.get('trigger.upgraded'))!.specHash).toBe(updated.planned.plan.changes[0]!.specHash);
    tp.remove('campaigns/upgraded.yaml');
    const deleted = await applyOnce(tp, store, client);
    expect(deleted.planned.plan.changes.map((c) => c.action)).toEqual(['delete']);
    expect(await store.resources.list()).toEqual([]);
    // Nothing but reads reached CleverTap.
    expect(emu.state.requests().filter((r) => r.family !== 'list')).toEqual([]);
  });
});

describe('metadata', () => {
  it('labels and protect follow the YAML without a change; a protected campaign is never stopped by removal', async () => {
    tp.campaign({ name: 'keep' });
    await applyOnce(tp, store, client);
    tp.campaign({ name: 'keep', protect: true, labels: { team: 'growth' } });
    const p = await planOnly(tp, store, client);
    expect(p.plan.changes).toEqual([]);
    expect(await syncMetadata(store, p.desired, { command: 'apply', git: { isRepo: false, commit: null, author: null, dirty: false } })).toEqual(['campaign.keep']);
    expect(await store.resources.get('campaign.keep')).toMatchObject({ protect: true, labels: { team: 'growth' } });
    tp.remove('campaigns/keep.yaml');
    const removed = await planOnly(tp, store, client);
    expect(removed.plan.changes).toEqual([]);
    expect(removed.plan.notes.map((n) => n.code)).toEqual(['protected']);
  });
});

describe('bulletin occurrences', () => {
  it('a due occurrence is raised once: claimed, raised, marked done', async () => {
    tp.write('campaigns/albums.yaml', bulletin('2020-01-01T09:00:00Z'));
    const { planned, result } = await applyOnce(tp, store, client);
    expect(planned.plan.changes.map((c) => [c.address, c.action])).toEqual([
      ['bulletin.albums', 'create'],
      ['bulletin.albums#first', 'send'],
    ]);
    expect(result!.ok).toBe(true);
    expect(emu.state.sends().map((s) => (s.body as { name: string }).name)).toEqual(['Nova Lane is out']);
    expect(await store.runs.get({ kind: 'occurrence', subject: 'bulletin.albums', key: 'first' })).toMatchObject({ status: 'done' });
    expect((await planOnly(tp, store, client)).plan.changes).toEqual([]);
  });

  it('a raised occurrence dropped from the YAML is forgotten once, and never raised again if re-added', async () => {
    tp.write('campaigns/albums.yaml', bulletin('2020-01-01T09:00:00Z'));
    await applyOnce(tp, store, client);
    const withoutOccurrence = bulletin('2020-01-01T09:00:00Z').split('  occurrences:')[0]!;
    tp.write('campaigns/albums.yaml', withoutOccurrence);
    const forget = await applyOnce(tp, store, client);
    expect(forget.planned.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['update bulletin.albums', 'forget bulletin.albums#first']);
    expect(forget.result!.ok).toBe(true);
    expect((await planOnly(tp, store, client)).plan.changes).toEqual([]);
    tp.write('campaigns/albums.yaml', bulletin('2020-01-01T09:00:00Z'));
    const readded = await planOnly(tp, store, client);
    expect(readded.plan.changes.map((c) => c.action)).toEqual(['update']);
    expect(emu.state.sends()).toHaveLength(1);
  });

  it('an ambiguous raise is recorded unknown and never raised again automatically', async () => {
    tp.write('campaigns/albums.yaml', bulletin('2020-01-01T09:00:00Z'));
    emu.state.injectFaults([{ fault: 'drop-after-commit', family: 'trigger' }]);
    const { result } = await applyOnce(tp, store, client);
    expect(result!.ok).toBe(false);
    expect(result!.outcomes[1]!.message).toContain('recorded as unknown');
    expect(await store.runs.get({ kind: 'occurrence', subject: 'bulletin.albums', key: 'first' })).toMatchObject({ status: 'unknown' });
    const next = await planOnly(tp, store, client);
    expect(next.plan.changes).toEqual([]);
    expect(next.plan.warnings.map((w) => w.code)).toContain('plan.occurrence-unknown');
    expect(emu.state.sends()).toHaveLength(1);
  });
});
