/**
 * The emergency stop, in process: real temp project, real SQLite state, the emulator at the HTTP
 * edge. Campaigns are applied with the real executor first, then stopped without a plan.
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { AppliedResource } from '../../src/model/applied.js';
import type { StateStore } from '../../src/state/store.js';
import { selectStopTargets, stopNow } from '../../src/apply/stop-now.js';
import { settleOpenJournal } from '../../src/apply/settle.js';
import { NO_GIT, type Provenance } from '../../src/state/record.js';
import { supersededAddress } from '../../src/plan/addresses.js';
import { badSelector } from '../../src/cli/stop.js';
import { parseSelector } from '../../src/cli/shared/option-values.js';
import { applyOnce, clientFor, planOnly, TempProject, useApplyFixture } from '../apply/helpers.js';

const OPERATOR = 'Dana Ops <dana@example.com>';
const STOP: Provenance = { command: 'stop', git: { ...NO_GIT, author: OPERATOR } };

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f));

async function applied() {
  return store.resources.list();
}

/** An emergency stop of `row` that lands on CleverTap while its answer is lost; a client without retries can not know which. */
async function stopWithLostAnswer(row: AppliedResource) {
  emu.state.injectFaults([{ fault: 'drop-after-commit', family: 'stop', count: 1 }]);
  const once = clientFor(emu, { retry: { maxAttempts: 1 } });
  try {
    return await stopNow({ store, client: once, provenance: STOP }, { targets: [row], reason: 'outage', by: OPERATOR });
  } finally {
    once.close();
  }
}

describe('selectStopTargets', () => {
  it('picks addresses and label selections from state, with their superseded leftovers', async () => {
    tp.campaign({ name: 'alpha', labels: { team: 'growth' } });
    tp.campaign({ name: 'beta', labels: { team: 'retention' } });
    await applyOnce(tp, store, client);
    const alpha = (await store.resources.get('campaign.alpha'))!;
    await store.resources.put({ ...alpha, address: supersededAddress(alpha.address, 4242), remoteId: 4242 });

    const byAddress = selectStopTargets(await applied(), { addresses: ['campaign.alpha'] });
    expect(byAddress.diagnostics).toEqual([]);
    expect(byAddress.targets.map((t) => t.address)).toEqual(['campaign.alpha', 'campaign.alpha@4242']);

    const bySelector = selectStopTargets(await applied(), { selector: { team: 'retention' } });
    expect(bySelector.targets.map((t) => t.address)).toEqual(['campaign.beta']);
  });

  it('refuses unknown addresses (with a suggestion), non-campaigns and empty selections', async () => {
    tp.campaign({ name: 'alpha' });
    await applyOnce(tp, store, client);
    await store.resources.put({ ...(await store.resources.get('campaign.alpha'))!, address: 'message.welcome', kind: 'Message', remoteId: null });
    const sel = selectStopTargets(await applied(), { addresses: ['campaign.alpah', 'message.welcome'], selector: { team: 'nobody' } });
    expect(sel.diagnostics.map((d) => d.code)).toEqual(['stop.not-managed', 'stop.not-campaign', 'stop.none-selected']);
    expect(sel.diagnostics[0]!.hint).toContain('campaign.alpha');
    expect(sel.targets).toEqual([]);
  });

  it('parses repeated and comma-separated selectors, refusing pairs without =', () => {
    expect(parseSelector(['team=growth,tier=1', 'app = streamly'])).toEqual({ selector: { team: 'growth', tier: '1', app: 'streamly' }, invalid: [] });
    expect(parseSelector(['team']).invalid.map(badSelector).map((d) => d.code)).toEqual(['stop.bad-selector']);
    expect(parseSelector([])).toEqual({ invalid: [] });
  });
});

describe('stopNow', () => {
  it('stops on CleverTap, keeps the row as stopped and records who and why', async () => {
    tp.campaign({ name: 'alpha' });
    tp.campaign({ name: 'beta' });
    await applyOnce(tp, store, client);
    const alpha = (await store.resources.get('campaign.alpha'))!;

    const result = await stopNow({ store, client, provenance: STOP }, { targets: [alpha], reason: 'wrong price in the copy', by: OPERATOR });
    expect(result).toMatchObject({ ok: true, stopped: 1, skipped: 0, failed: 0 });
    expect(emu.state.campaign(alpha.remoteId!)!.status).toBe('stopped');
    const beta = (await store.resources.get('campaign.beta'))!;
    expect(emu.state.campaign(beta.remoteId!)!.status).toBe('pending');

    expect((await store.resources.get('campaign.alpha'))!.status).toBe('stopped');
    const [entry] = await store.audit.list({ address: 'campaign.alpha', command: 'stop' });
    expect(entry).toMatchObject({ action: 'stop', author: OPERATOR, outcome: 'succeeded' });
    expect(entry!.detail).toMatchObject({ reason: 'wrong price in the copy', by: OPERATOR, remoteId: alpha.remoteId, emergency: true });
    expect((await store.journal.listOpen())).toEqual([]);

    // The YAML still has it: the next plan keeps it stopped instead of creating it again.
    const next = await planOnly(tp, store, client);
    expect(next.plan.changes).toEqual([]);
    expect(next.plan.drift).toEqual([]);
  });

  it('stops a protected campaign when named, and says it was protected', async () => {
    tp.campaign({ name: 'keeper', protect: true });
    await applyOnce(tp, store, client);
    const row = (await store.resources.get('campaign.keeper'))!;
    const result = await stopNow({ store, client, provenance: STOP }, { targets: [row], reason: 'legal asked', by: OPERATOR });
    expect(result.outcomes[0]).toMatchObject({ status: 'stopped', protect: true });
    expect(result.outcomes[0]!.message).toContain('protected');
    expect(emu.state.campaign(row.remoteId!)!.status).toBe('stopped');
  });

  it('skips what is already stopped or finished, without calling CleverTap', async () => {
    tp.campaign({ name: 'alpha' });
    await applyOnce(tp, store, client);
    const row = (await store.resources.get('campaign.alpha'))!;
    await stopNow({ store, client, provenance: STOP }, { targets: [row], reason: 'first', by: OPERATOR });
    const before = emu.state.requests({ path: '/1/targets/stop.json' }).length;
    const again = await stopNow({ store, client, provenance: STOP }, { targets: [{ ...row, status: 'stopped' }, { ...row, address: 'campaign.done', status: 'completed' }], reason: 'again', by: OPERATOR });
    expect(again.outcomes.map((o) => [o.status, o.message])).toEqual([
      ['skipped', 'already stopped'],
      ['skipped', 'already completed; nothing to stop'],
    ]);
    expect(emu.state.requests({ path: '/1/targets/stop.json' })).toHaveLength(before);
  });

  it('an ambiguous stop leaves its journal row open, and the next settlement sends it again', async () => {
    tp.campaign({ name: 'alpha' });
    await applyOnce(tp, store, client);
    const row = (await store.resources.get('campaign.alpha'))!;
    const result = await stopWithLostAnswer(row);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', ambiguous: true });
    expect(result.ok).toBe(false);
    const open = await store.journal.listOpen();
    expect(open.map((j) => [j.operation, j.address, j.request.remoteId])).toEqual([['stop', 'campaign.alpha', row.remoteId]]);
    expect((await store.resources.get('campaign.alpha'))!.status).toBe('scheduled');

    const stopsBefore = emu.state.requests({ path: '/1/targets/stop.json' }).length;
    const report = await settleOpenJournal({ store, client, provenance: STOP, now: () => new Date() });
    expect(report.settled.map((s) => [s.operation, s.outcome])).toEqual([['stop', 'succeeded']]);
    expect(emu.state.requests({ path: '/1/targets/stop.json' })).toHaveLength(stopsBefore + 1);
    expect(emu.state.campaign(row.remoteId!)!.status).toBe('stopped');
    expect((await store.resources.get('campaign.alpha'))!.status).toBe('stopped');
  });

  it('an interrupted stop of a removed campaign that is back in the YAML converges to one live campaign', async () => {
    tp.campaign({ name: 'alpha' });
    await applyOnce(tp, store, client);
    const old = (await store.resources.get('campaign.alpha'))!;
    // What an apply killed between opening its stop row and calling CleverTap leaves behind (the
    // campaign had been removed from the YAML); meanwhile the YAML has it again.
    await store.journal.open({ address: 'campaign.alpha', operation: 'stop', request: { remoteId: old.remoteId! }, window: null });
    const next = await applyOnce(tp, store, client);
    expect(next.planned.settlement!.settled.map((s) => [s.operation, s.outcome])).toEqual([['stop', 'succeeded']]);
    expect(next.planned.plan.changes.map((c) => [c.address, c.action])).toEqual([['campaign.alpha', 'create']]);
    const row = (await store.resources.get('campaign.alpha'))!;
    const live = emu.state.campaigns().filter((c) => c.status === 'pending');
    expect(live.map((c) => c.id)).toEqual([row.remoteId]);
    expect(emu.state.campaign(old.remoteId!)!.status).toBe('stopped');
  });

  it('an interrupted emergency stop stays stopped after the next apply', async () => {
    tp.campaign({ name: 'alpha' });
    await applyOnce(tp, store, client);
    const row = (await store.resources.get('campaign.alpha'))!;
    await stopWithLostAnswer(row);
    const next = await applyOnce(tp, store, client);
    expect(next.planned.settlement!.settled.map((s) => [s.operation, s.outcome])).toEqual([['stop', 'succeeded']]);
    expect(next.planned.plan.changes).toEqual([]);
    expect((await store.resources.get('campaign.alpha'))!.status).toBe('stopped');
    expect(emu.state.campaigns().filter((c) => c.status === 'pending')).toEqual([]);
  });

  it('a refused stop is recorded as failed and leaves state as it was', async () => {
    tp.campaign({ name: 'alpha' });
    await applyOnce(tp, store, client);
    const row = (await store.resources.get('campaign.alpha'))!;
    // CleverTap does not know this id: a definite failure, nothing ambiguous.
    const result = await stopNow({ store, client, provenance: STOP }, { targets: [{ ...row, remoteId: 12345 }], reason: 'typo', by: OPERATOR });
    expect(result.outcomes[0]).toMatchObject({ status: 'failed' });
    expect(result.outcomes[0]!.ambiguous).toBeUndefined();
    expect((await store.resources.get('campaign.alpha'))!.status).toBe('scheduled');
    expect(await store.journal.listOpen()).toEqual([]);
    const [entry] = await store.audit.list({ address: 'campaign.alpha', command: 'stop' });
    expect(entry).toMatchObject({ outcome: 'failed' });
  });
});
