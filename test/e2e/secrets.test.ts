/**
 * Secrets, end to end: a whole working session against a stand-alone emulator whose passcode is
 * distinctive, with the built CLI as a user runs it: plan (text, JSON, markdown, saved), apply of
 * the saved plan, state list/show, drift (with a dashboard stop), an emergency stop, --verbose
 * runs, and failures: a wrong passcode, and a passcode smuggled into CLEVERTAP_API_URL. Then every
 * byte the session produced is searched: stdout and stderr of every command, every file of the
 * project (state database, its -wal/-shm, saved plan, markdown), and the emulator's data file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignDoc, E2eProject, emulatorCampaigns, prodProjectWithEmulator, runCli, type RunResult, type Served } from './crash-helpers.js';

const PASSCODE = 'Zx9-Secret-Passcode-Quokka-4471';
const WRONG = 'Wrong-Passcode-Narwhal-0932';
const ACCOUNT = 'SECRETS-ACCT';
const SECRETS = [PASSCODE, WRONG];

let served: Served;
let project: E2eProject;
let env: Record<string, string>;
const outputs: { args: string[]; result: RunResult }[] = [];

beforeAll(async () => {
  // The passcode reaches the emulator through its environment, as a real operator would pass it.
  ({ served, project, env } = await prodProjectWithEmulator({ account: ACCOUNT, passcode: PASSCODE }, (p) => ['--data-file', p.path('emulator/account.json')]));
  project.write('campaigns/spring.yaml', campaignDoc('spring', 'Spring is here', { labels: { team: 'growth' } }));
  project.write('campaigns/summer.yaml', campaignDoc('summer', 'Summer is here', { labels: { team: 'growth' } }));
  project.write('campaigns/autumn.yaml', campaignDoc('autumn', 'Autumn is here', { labels: { team: 'ops' } }));
});

afterAll(async () => {
  await served?.stop();
  project?.dispose();
});

async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  const result = await runCli(args, { cwd: project.root, env: { ...env, ...extraEnv } });
  outputs.push({ args, result });
  return result;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

describe('the passcode never leaves the process', () => {
  it('appears in no output, state file, plan file or emulator data after a full session', { timeout: 240_000 }, async () => {
    const plan = await run(['plan', '--out', 'plan.json', '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
    expect((await run(['plan', '--format', 'json'])).code).toBe(0);
    const markdown = await run(['plan', '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    project.write('plan.md', markdown.stdout);

    const applied = await run(['--verbose', 'apply', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await emulatorCampaigns(served.url)).filter((c) => c.status === 'pending')).toHaveLength(3);
    expect((await run(['--json', 'apply', '--yes'])).code).toBe(0);

    expect((await run(['state', 'list'])).code).toBe(0);
    expect((await run(['--json', 'state', 'show', 'campaign.spring'])).code).toBe(0);

    // Someone stops one on the dashboard: drift.
    const spring = (await emulatorCampaigns(served.url)).find((c) => c.name.startsWith('E2E spring'))!;
    await fetch(`${served.url}/__sandbox/campaigns/${spring.id}/stop`, { method: 'POST' });
    const drift = await run(['--verbose', 'drift', '--detailed-exitcode']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect((await run(['--json', 'drift'])).code).toBe(0);

    const stopped = await run(['stop', '--selector', 'team=ops', '--reason', 'wrong audience']);
    expect(stopped.code, stopped.stderr).toBe(0);

    // Failures: a wrong passcode (CleverTap answers 401), and the passcode inside a URL.
    const wrong = await run(['--verbose', 'plan'], { CLEVERTAP_PASSCODE: WRONG });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout + wrong.stderr).toMatch(/401|passcode|auth/i);
    const wrongApply = await run(['--json', 'apply', '--yes'], { CLEVERTAP_PASSCODE: WRONG });
    expect(wrongApply.code).toBe(1);
    const wrongStop = await run(['stop', 'campaign.summer', '--reason', 'test'], { CLEVERTAP_PASSCODE: WRONG });
    expect(wrongStop.code).toBe(1);
    const inUrl = await run(['plan'], { CLEVERTAP_API_URL: served.url.replace('http://', `http://${ACCOUNT}:${PASSCODE}@`) });
    expect(inUrl.code).toBe(1);

    // Every command's output.
    expect(outputs.length).toBeGreaterThanOrEqual(14);
    for (const { args, result } of outputs) {
      for (const secret of SECRETS) {
        expect(result.stdout.includes(secret), `stdout of ${args.join(' ')}`).toBe(false);
        expect(result.stderr.includes(secret), `stderr of ${args.join(' ')}`).toBe(false);
      }
    }

    // Every file the session wrote: state (db, -wal, -shm), saved plan, markdown, emulator data.
    const files = filesUnder(project.root);
    const names = files.map((f) => path.relative(project.root, f));
    expect(names).toEqual(expect.arrayContaining(['plan.json', 'plan.md', '.campaignctl/prod.db', 'emulator/account.json']));
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of SECRETS) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), path.relative(project.root, file)).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${path.relative(project.root, file)} (UTF-16)`).toBe(false);
      }
    }
    // The scan can see: the account id (not a secret) is in the emulator's data file.
    expect(readFileSync(project.path('emulator/account.json'), 'utf8')).toContain('E2E spring');
  });
});
