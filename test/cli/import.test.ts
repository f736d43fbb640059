/**
 * `import`, in process: a campaign made "on the dashboard" (created straight through the client,
 * without a marker) is adopted for a YAML resource after read-back through targets/list.json; the
 * next plan then shows no change for it. Real temp project, real SQLite, the emulator at the edge.
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import { importCampaign, parseYmd, type ImportRequest } from '../../src/apply/import.js';
import { NO_GIT, type Provenance } from '../../src/state/record.js';
import { ymdOf, shiftYmd } from '../../src/apply/dates.js';
import { applyOnce, load, planOnly, TempProject, useApplyFixture } from '../apply/helpers.js';

const OPERATOR = 'Ines Import <ines@example.com>';
const IMPORT: Provenance = { command: 'import', git: { ...NO_GIT, author: OPERATOR } };
const WHEN = '2031-06-01T09:00:00Z';

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f));

/** A campaign made on the dashboard: a plain name, no campaignctl marker. `when` as CleverTap takes it (UTC account). */
async function dashboardCampaign(name: string, when: string): Promise<number> {
  const created = await client.createCampaign({
    name,
    target_mode: 'push',
    where: { event_name: 'App Launched', from: 20250601, to: 20250630 },
    content: { title: 'Hello', body: 'From the dashboard' },
    devices: ['ios'],
    when,
  } as never);
  return created.id;
}

async function runImport(address: string, remoteId: number, extra: Partial<ImportRequest> = {}) {
  const project = await load(tp);
  return importCampaign({ address, remoteId, project, store, client, provenance: IMPORT, now: new Date(), ...extra });
}

const listCalls = () => emu.state.requests({ path: '/1/targets/list.json' }).length;

describe('import', () => {
  it('adopts a dashboard campaign found on its `when` date, and the next plan shows no change', async () => {
    tp.campaign({ name: 'summer-sale', title: 'Summer sale', when: WHEN, labels: { team: 'growth' } });
    const id = await dashboardCampaign('Summer sale (dashboard)', '20310601 09:00');
    await dashboardCampaign('Someone else', '20310601 10:00');

    const result = await runImport('campaign.summer-sale', id);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The `when` date's window answered: one list call, no wide search.
    expect(listCalls()).toBe(1);
    expect(result.record).toMatchObject({
      address: 'campaign.summer-sale',
      kind: 'Campaign',
      remoteId: id,
      remoteName: 'Summer sale (dashboard)',
      status: 'scheduled',
      scheduledFor: '2031-06-01T09:00:00.000Z',
      labels: { team: 'growth' },
      author: OPERATOR,
    });
    expect(await store.resources.get('campaign.summer-sale')).toEqual(result.record);
    const [entry] = await store.audit.list({ address: 'campaign.summer-sale' });
    expect(entry).toMatchObject({ command: 'import', action: 'adopt', author: OPERATOR });
    expect(entry!.detail).toMatchObject({ remoteId: id, remoteName: 'Summer sale (dashboard)' });

    const next = await planOnly(tp, store, client);
    expect(next.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(next.plan.changes).toEqual([]);
    expect(next.plan.drift).toEqual([]);
    // Nothing was created or stopped by import or the plan.
    expect(emu.state.campaigns().filter((c) => c.status === 'pending')).toHaveLength(2);
  });

  it('an edit after import is a replace of the adopted campaign', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN, body: 'Version one' });
    const id = await dashboardCampaign('Summer sale', '20310601 09:00');
    expect((await runImport('campaign.summer-sale', id)).ok).toBe(true);
    tp.campaign({ name: 'summer-sale', when: WHEN, body: 'Version two' });
    const next = await applyOnce(tp, store, client);
    expect(next.planned.plan.changes.map((c) => [c.action, c.remoteId])).toEqual([['replace', id]]);
    expect(next.result!.ok).toBe(true);
    expect(emu.state.campaign(id)!.status).toBe('stopped');
  });

  it('searches the last 90 and next 365 days when the `when` date does not hold the id', async () => {
    tp.campaign({ name: 'moved', when: WHEN });
    const soon = new Date(Date.now() + 10 * 86_400_000);
    const ymd = ymdOf(soon, 'UTC');
    const id = await dashboardCampaign('Moved on the dashboard', `${ymd} 08:30`);
    const result = await runImport('campaign.moved', id);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(listCalls()).toBeGreaterThan(1);
    expect(result.record.scheduledFor).toBe(`${String(ymd).slice(0, 4)}-${String(ymd).slice(4, 6)}-${String(ymd).slice(6, 8)}T08:30:00.000Z`);
    // Refresh looks where the campaign really starts: no drift, no change.
    const next = await planOnly(tp, store, client);
    expect(next.plan.drift).toEqual([]);
    expect(next.plan.changes).toEqual([]);
  });

  it('with --from/--to searches only those dates', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const id = await dashboardCampaign('Summer sale', '20310601 09:00');
    const miss = await runImport('campaign.summer-sale', id, { window: { from: 20310701, to: 20310731 } });
    expect(miss.ok).toBe(false);
    if (!miss.ok) {
      expect(miss.diagnostics.map((d) => d.code)).toEqual(['import.not-found']);
      expect(miss.diagnostics[0]!.message).toContain('20310701-20310731');
      expect(miss.diagnostics[0]!.hint).toContain('--from/--to');
    }
    expect(listCalls()).toBe(1);
    const hit = await runImport('campaign.summer-sale', id, { window: { from: 20310501, to: 20310615 } });
    expect(hit.ok).toBe(true);
    expect(await store.resources.get('campaign.summer-sale')).not.toBeNull();
  });

  it('refuses an id CleverTap does not list, and records nothing', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const result = await runImport('campaign.summer-sale', 987654);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.diagnostics.map((d) => d.code)).toEqual(['import.not-found']);
      const from = shiftYmd(ymdOf(new Date(), 'UTC'), -90);
      expect(result.diagnostics[0]!.message).toContain(String(from));
    }
    expect(await store.resources.list()).toEqual([]);
    expect(await store.audit.list()).toEqual([]);
  });

  it('refuses an address not in the YAML (with a suggestion) and a resource that is not a Campaign', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    tp.write(
      'campaigns/welcome.yaml',
      `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: welcome
spec:
  target_mode: push
  content:
    title: Welcome
    body: Glad you are here
    platform_specific: { android: { wzrk_cid: onboarding } }
  data:
    type: object
`,
    );
    const id = await dashboardCampaign('Summer sale', '20310601 09:00');
    const typo = await runImport('campaign.sumer-sale', id);
    expect(typo.ok).toBe(false);
    if (!typo.ok) {
      expect(typo.diagnostics.map((d) => d.code)).toEqual(['import.not-in-yaml']);
      expect(typo.diagnostics[0]!.hint).toContain('campaign.summer-sale');
    }
    const message = await runImport('message.welcome', id);
    expect(message.ok ? [] : message.diagnostics.map((d) => d.code)).toEqual(['import.not-campaign']);
    expect(listCalls()).toBe(0);
  });

  it('refuses a resource already managed, and an id another resource manages', async () => {
    tp.campaign({ name: 'applied-one', when: WHEN });
    await applyOnce(tp, store, client);
    const managedId = (await store.resources.get('campaign.applied-one'))!.remoteId!;
    tp.campaign({ name: 'second', when: WHEN });

    const again = await runImport('campaign.applied-one', managedId);
    expect(again.ok ? [] : again.diagnostics.map((d) => d.code)).toEqual(['import.already-managed']);
    const stolen = await runImport('campaign.second', managedId);
    expect(stolen.ok ? [] : stolen.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['import.id-managed', `CleverTap campaign ${managedId} is already managed as campaign.applied-one`],
    ]);
    expect(await store.resources.get('campaign.second')).toBeNull();
  });

  it('warns when the adopted campaign is no longer live', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const id = await dashboardCampaign('Summer sale', '20310601 09:00');
    await client.stopCampaign(id);
    const result = await runImport('campaign.summer-sale', id);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.status).toBe('stopped');
    expect(result.warnings.map((d) => d.code)).toEqual(['import.not-live']);
  });
});

describe('parseYmd', () => {
  it('accepts real dates only', () => {
    expect(parseYmd('20240229')).toBe(20240229);
    expect(parseYmd('20230229')).toBeNull();
    expect(parseYmd('2024-02-01')).toBeNull();
    expect(parseYmd('20241301')).toBeNull();
  });
});
