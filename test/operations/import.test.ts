/**
 * operations.importCampaign in process: a campaign made "on the dashboard" of the embedded sandbox
 * is adopted for a YAML resource; refusals (bad input, not in the YAML, a held lock) are data and
 * change nothing; a held lock refuses before the emulator is opened. Nothing is printed.
 */
import { describe, expect, it } from 'vitest';
import { importCampaign } from '../../src/operations/import.js';
import { isRefusal } from '../../src/operations/under-lock.js';
import type { OperationContext } from '../../src/operations/context.js';
import type { OperationEvent } from '../../src/operations/events.js';
import type { TempProject } from '../apply/helpers.js';
import { accountFile, lockHeldElsewhere, OPERATOR, sandboxOf, useOperationFixture } from './helpers.js';

const WHEN = '2031-06-01T09:00:00Z';

// The fixture's context was opened before each test wrote its YAML: each test reopens one that reads it.
let tp: TempProject;
let events: OperationEvent[];
let reopen: () => Promise<OperationContext>;
useOperationFixture((f) => ({ tp, events, reopen } = f));

/** A campaign made on the dashboard: a plain name, no campaignctl marker. */
async function dashboardCampaign(on: OperationContext, name: string): Promise<number> {
  const { client } = await sandboxOf(on);
  const created = await client.createCampaign({
    name,
    target_mode: 'push',
    where: { event_name: 'App Launched', from: 20250601, to: 20250630 },
    content: { title: 'Hello', body: 'From the dashboard' },
    devices: ['ios'],
    when: '20310601 09:00',
  } as never);
  return created.id;
}

describe('importCampaign', () => {
  it('adopts the campaign, records the operator, and tells each date window it searched', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const fresh = await reopen();
    const id = await dashboardCampaign(fresh, 'Summer sale (dashboard)');

    const result = await importCampaign(fresh, { address: 'campaign.summer-sale', remoteId: id });
    if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ ok: true, sandbox: true, record: { address: 'campaign.summer-sale', remoteId: id, author: OPERATOR }, remote: { id, name: 'Summer sale (dashboard)' } });
    expect(result.searched.length).toBeGreaterThan(0);
    const told = events.filter((e) => e.kind === 'import.searched');
    expect(told.map((e) => e.kind === 'import.searched' && e.window)).toEqual(result.searched);
    expect(told.some((e) => e.kind === 'import.searched' && e.campaigns === 1)).toBe(true);
    expect(await fresh.store.resources.get('campaign.summer-sale')).toEqual(result.record);
    const [entry] = await fresh.store.audit.list({ address: 'campaign.summer-sale' });
    expect(entry).toMatchObject({ command: 'import', action: 'adopt', author: OPERATOR });
    expect(await fresh.store.lock.current()).toBeNull();
  });

  it('refuses a bad id or an inverted window before opening anything', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const fresh = await reopen();
    const result = await importCampaign(fresh, { address: 'campaign.summer-sale', remoteId: 0, window: { from: 20310610, to: 20310601 } });
    expect(result).toMatchObject({ ok: false, refused: 'problems' });
    expect(isRefusal(result) && result.refused === 'problems' && result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['import.bad-id', 'REMOTE_ID must be a CleverTap campaign id (a positive integer), got "0"'],
      ['import.bad-date', '--from 20310610 is after --to 20310601'],
    ]);
    expect(accountFile(tp)).toBeNull();
  });

  it('refuses an address that is not in the YAML, with what it searched (nothing)', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const fresh = await reopen();
    const id = await dashboardCampaign(fresh, 'Summer sale (dashboard)');
    const result = await importCampaign(fresh, { address: 'campaign.sumer-sale', remoteId: id });
    expect(result).toMatchObject({ ok: false, refused: 'problems', searched: [] });
    if (!isRefusal(result) || result.refused !== 'problems') throw new Error('expected problems');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['import.not-in-yaml']);
    expect(await fresh.store.resources.list()).toEqual([]);
    expect(await fresh.store.lock.current()).toBeNull();
  });

  it('held lock: refused with the holder before the emulator is opened (no account file is made)', async () => {
    tp.campaign({ name: 'summer-sale', when: WHEN });
    const fresh = await reopen();
    const held = await lockHeldElsewhere(tp, 'stop campaign.other');
    try {
      const result = await importCampaign(fresh, { address: 'campaign.summer-sale', remoteId: 1234567890 });
      expect(result).toMatchObject({ ok: false, refused: 'locked', what: 'import', lock: { holder: { id: held.holder.id, command: 'stop campaign.other' } } });
      expect(accountFile(tp)).toBeNull();
      expect(await fresh.store.resources.list()).toEqual([]);
    } finally {
      await held.release();
    }
  });
});
