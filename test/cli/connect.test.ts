/**
 * connect(): the sandbox provider runs the emulator in process (its account persisted under
 * .campaignctl/) behind the same HTTP client; the clevertap provider reads credentials from the
 * variables the environment names and says which one is missing. openState() honours `state`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';
import { connect, openState, sandboxDataFile } from '../../src/operations/connect.js';
import { redactSecrets } from '../../src/diagnostics/redact.js';
import { parseDuration } from '../../src/time/duration.js';
import { TempProject } from '../apply/helpers.js';

const temps: TempProject[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.dispose();
});

function project(opts: ConstructorParameters<typeof TempProject>[0] = {}): TempProject {
  const t = new TempProject(opts);
  temps.push(t);
  return t;
}

describe('connect', () => {
  it('sandbox: an emulator on loopback with the environment settings, persisted per environment', async () => {
    const tp = project({ provider: 'sandbox', extraEnv: '\n    sandbox:\n      everyoneAudience: 1234\n      businessEvents: [Album Released]\n      completeAfter: 2m' });
    const p = await loadProject({ dir: tp.root, environ: {} });
    const c = await connect(p);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    try {
      expect(c.connection.isSandbox).toBe(true);
      expect(c.connection.describe).toMatch(/^the embedded sandbox \(CleverTap emulator on 127\.0\.0\.1:\d+, data in \.campaignctl\/sandbox-test\.json\)$/);
      expect(c.connection.sandbox!.state.registered().businessEvents).toEqual(['Album Released']);
      const { estimates } = await c.connection.client.estimateCampaign({ name: 'x', target_mode: 'push', where: {}, content: { title: 't', body: 'b' }, devices: ['ios'], when: 'now' });
      expect(Object.values(estimates).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1234);
      expect(existsSync(sandboxDataFile(p))).toBe(true);
      expect(sandboxDataFile(p)).toBe(path.join(tp.root, '.campaignctl', 'sandbox-test.json'));
    } finally {
      await c.connection.close();
    }
  });

  it('clevertap: each missing variable is named; the passcode is registered as a secret', async () => {
    const tp = project({ extraEnv: '\n    credentials: { accountIdEnv: ACME_CT_ID, passcodeEnv: ACME_CT_PASS }' });
    const p = await loadProject({ dir: tp.root, environ: {} });
    const missing = await connect(p, { environ: {} });
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.diagnostics.map((d) => d.code)).toEqual(['connect.missing-credential', 'connect.missing-credential']);
    expect(missing.diagnostics[0]!.message).toContain('ACME_CT_ID');
    expect(missing.diagnostics[1]!.message).toContain('ACME_CT_PASS');

    const c = await connect(p, { environ: { ACME_CT_ID: 'ACC-1', ACME_CT_PASS: 'very-secret-pass-42' } });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.connection.isSandbox).toBe(false);
    expect(c.connection.describe).toBe('CleverTap at api.clevertap.com');
    expect(inspect(c.connection)).not.toContain('very-secret-pass-42');
    expect(redactSecrets('oops very-secret-pass-42')).toBe('oops ***');
    await c.connection.close();
  });

  it('clevertap: a region picks its host; an API URL with credentials is refused', async () => {
    const tp = project({ extraEnv: '\n    region: in1' });
    const p = await loadProject({ dir: tp.root, environ: {} });
    const c = await connect(p, { environ: { CLEVERTAP_ACCOUNT_ID: 'a', CLEVERTAP_PASSCODE: 'pass-1234' } });
    expect(c.ok && c.connection.describe).toBe('CleverTap at in1.api.clevertap.com');
    if (c.ok) await c.connection.close();
    const bad = await loadProject({ dir: tp.root, environ: { CLEVERTAP_API_URL: 'https://u:p@proxy.example' } });
    const refused = await connect(bad, { environ: { CLEVERTAP_ACCOUNT_ID: 'a', CLEVERTAP_PASSCODE: 'pass-1234' } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.diagnostics[0]!.code).toBe('connect.api-url');
  });

  it('openState uses the environment state path and reports an unusable one as a diagnostic', async () => {
    const tp = project({ extraEnv: '\n    state: custom/where.db' });
    const p = await loadProject({ dir: tp.root, environ: {} });
    const s = await openState(p);
    expect(s.ok).toBe(true);
    if (s.ok) {
      expect(s.location).toBe(path.join(tp.root, 'custom', 'where.db'));
      await s.store.close();
    }
    const pg = await loadProject({ dir: tp.root, environ: { CAMPAIGNCTL_STATE: 'postgres://user:pw@db/x' } });
    const refused = await openState(pg);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.diagnostics[0]!.message).not.toContain('pw@');
  });
});

describe('parseDuration', () => {
  it('reads compact and ISO forms; refuses anything else', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('PT2H')).toBe(7_200_000);
    expect(parseDuration('P1DT1S')).toBe(86_401_000);
    expect(parseDuration('10 minutes')).toBeUndefined();
    expect(parseDuration('P')).toBeUndefined();
  });
});
