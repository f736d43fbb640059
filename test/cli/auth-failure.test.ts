/**
 * A wrong passcode is fatal in every command that talks to CleverTap: exit 1, one error naming the
 * environment and the variables to check, never a plan or "No changes." after it, the passcode
 * never printed, and nothing sent after the refusal. The built CLI against the emulator on a
 * loopback port, on a real project and SQLite state that an apply with the right passcode filled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { ACCOUNT, PASSCODE, campaignYaml, emulator } from '../apply/helpers.js';
import { CONFIG, EVENT, TRIGGER_ID, removeTemps, writeProject } from '../runtime/fixture.js';
import { CliRunner } from './cli-run.js';

const WRONG = 'wrong-passcode-Xq93-distinctive';

let emu: SandboxHandle;
let dir: string;
let cli: CliRunner;

beforeAll(async () => {
  emu = await emulator({ externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
  dir = writeProject({
    'campaignctl.yaml': CONFIG.replace('shopName: ShopNest', 'shopName: ShopNest\n      appName: Streamly'),
    'campaigns/alpha.yaml': campaignYaml({ name: 'alpha' }),
    'campaigns/beta.yaml': campaignYaml({ name: 'beta' }),
    'campaigns/gamma.yaml': campaignYaml({ name: 'gamma' }),
  });
  cli = new CliRunner(dir, { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE });
  const applied = await cli.run(['apply', '--yes', '--target', 'campaign.alpha', '--target', 'campaign.beta']);
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await emu.close();
  removeTemps();
});

/** Creates, stops, sends and raises that took effect on the emulator (estimates and lists excluded). */
function landedWrites(): number {
  return emu.state.requests().filter((q) => q.committed && q.family !== 'list' && !(q.body as { estimate_only?: boolean }).estimate_only).length;
}

const COMMANDS: [string, string[]][] = [
  ['plan', ['plan']],
  ['plan --detailed-exitcode', ['plan', '--detailed-exitcode', '--target', 'campaign.gamma']],
  ['plan --no-estimate (reads statuses)', ['plan', '--no-estimate']],
  ['apply', ['apply', '--yes', '--target', 'campaign.gamma']],
  ['drift', ['drift']],
  ['stop', ['stop', 'campaign.alpha', '--reason', 'test']],
  ['import', ['import', 'campaign.gamma', '1234567']],
  ['send', ['send', 'order-shipped', '--to', 'Identity:u-1', '--set', 'orderId=SN-104233', '--set', 'carrier=DHL']],
  ['trigger', ['trigger', 'subscription-upgraded', '--to', 'identity:u-7', '--set', 'plan=Premium']],
  ['raise', ['raise', 'album-released', '--name', 'Live', '--set', 'artist=Nova Lane', '--set', 'album=Live']],
];

describe('a wrong passcode', () => {
  it.each(COMMANDS)('%s: exit 1, one error naming the environment and the variables, no plan after it', async (_name, args) => {
    const writes = landedWrites();
    const r = await cli.run(args, { env: { CLEVERTAP_PASSCODE: WRONG } });
    expect(r.code).toBe(1);
    expect(r.stderr.match(/clevertap\.auth-failed/g)).toHaveLength(1);
    expect(r.stderr).toContain('CleverTap refused the credentials of environment `live`');
    for (const variable of ['CLEVERTAP_ACCOUNT_ID', 'CLEVERTAP_PASSCODE', 'CLEVERTAP_REGION', 'CLEVERTAP_API_URL']) expect(r.stderr).toContain(variable);
    expect(r.stdout).not.toMatch(/Plan: |No changes\./);
    expect(r.stdout + r.stderr).not.toContain(WRONG);
    expect(landedWrites()).toBe(writes);
  });

  it('--json plan: one document saying why, no plan', async () => {
    const r = await cli.run(['--json', 'plan'], { env: { CLEVERTAP_PASSCODE: WRONG } });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { code: string }[]; changes?: unknown };
    expect(doc).toMatchObject({ ok: false, diagnostics: [{ code: 'clevertap.auth-failed' }] });
    expect(doc.changes).toBeUndefined();
  });

  it('apply --json: ends with one result event refused for credentials, no plan event', async () => {
    const r = await cli.run(['apply', '--yes', '--json', '--target', 'campaign.gamma'], { env: { CLEVERTAP_PASSCODE: WRONG } });
    expect(r.code).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.some((e) => e.event === 'plan')).toBe(false);
    expect(events.at(-1)).toMatchObject({ event: 'result', ok: false, refused: 'credentials', diagnostics: [{ code: 'clevertap.auth-failed' }] });
    expect(r.stdout + r.stderr).not.toContain(WRONG);
  });

  it('after the first refusal nothing more is sent: the status read refused, no estimate follows', async () => {
    const before = emu.state.requests().length;
    const r = await cli.run(['plan', '--target', 'campaign.gamma', '--target', 'campaign.alpha'], { env: { CLEVERTAP_PASSCODE: WRONG } });
    expect(r.code).toBe(1);
    expect(emu.state.requests().length - before).toBe(1);
  });
});

describe('a wrong passcode on empty state (only estimates ask CleverTap)', () => {
  it('plan --detailed-exitcode: exit 1 with the refusal, not exit 2 with "Plan: 3 to create"', async () => {
    const fresh = writeProject({
      'campaignctl.yaml': CONFIG.replace('shopName: ShopNest', 'shopName: ShopNest\n      appName: Streamly'),
      'campaigns/alpha.yaml': campaignYaml({ name: 'alpha' }),
      'campaigns/beta.yaml': campaignYaml({ name: 'beta' }),
      'campaigns/gamma.yaml': campaignYaml({ name: 'gamma' }),
    });
    const runner = new CliRunner(fresh, { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: WRONG });
    const r = await runner.run(['plan', '--detailed-exitcode', '--target', 'campaign.alpha', '--target', 'campaign.beta', '--target', 'campaign.gamma']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('/1/targets/create.json answered HTTP 401');
    expect(r.stderr.match(/clevertap\.auth-failed/g)).toHaveLength(1);
    expect(r.stderr).not.toContain('estimate');
  });
});
