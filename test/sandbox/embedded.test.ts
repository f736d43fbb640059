/**
 * The embedded sandbox as the `sandbox` provider uses it: in-process, a free port, the ordinary
 * client, and a data file that carries campaigns from one "command" to the next, also while two
 * of them run at once on the same file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/clevertap/client.js';
import { startEmbeddedSandbox } from '../../src/sandbox/embedded.js';
import { pushCampaign } from './helpers.js';
import type { CampaignCreateBody } from '../../src/clevertap/wire.js';

const clock = () => new Date('2025-07-01T12:00:00Z');

describe('embedded sandbox', () => {
  it('keeps campaigns between runs and sees what a concurrent run wrote', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'embedded-')), '.campaignctl', 'sandbox.json');

    const first = await startEmbeddedSandbox({ dataFile, clock });
    expect(first.connection.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(first.connection)).toEqual(['baseUrl', 'accountId']);
    expect(inspect(first.connection)).not.toContain(first.connection.passcode);
    const c1 = createClient({ ...first.connection, passcode: first.connection.passcode });
    const { id } = await c1.createCampaign(pushCampaign() as CampaignCreateBody);

    // a second command starts while the first still runs
    const second = await startEmbeddedSandbox({ dataFile, clock });
    expect(second.connection.passcode).not.toBe(first.connection.passcode);
    const c2 = createClient({ ...second.connection, passcode: second.connection.passcode });
    expect((await c2.listCampaigns(20250701, 20250701)).map((c) => c.id)).toEqual([id]);
    const other = await c2.createCampaign(pushCampaign({ name: 'other' }) as CampaignCreateBody);
    expect((await c1.listCampaigns(20250701, 20250701)).map((c) => c.id)).toEqual([id, other.id]);
    c1.close();
    c2.close();
    await first.close();
    await second.close();

    const third = await startEmbeddedSandbox({ dataFile, clock });
    const c3 = createClient({ ...third.connection, passcode: third.connection.passcode });
    expect((await c3.listCampaigns(20250701, 20250701)).map((c) => c.name)).toEqual(['cac:test:v1', 'other']);
    c3.close();
    await third.close();
  });
});
