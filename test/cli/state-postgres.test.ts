/**
 * PostgreSQL state end to end: the built CLI as child processes, with CAMPAIGNCTL_STATE naming a
 * schema of the test database, against a stand-alone emulator that holds the first apply's create
 * unanswered (so it is deterministically still running). A second apply, from another process, is
 * refused and told who holds the lock. `state migrate` moves the state to a file and prints no
 * credentials; a password written in campaignctl.yaml's `state` is refused at its line.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { control } from '../sandbox/helpers.js';
import { campaignDoc, E2eProject, prodProjectWithEmulator, runCli, startCli, type RunResult, type Served } from '../e2e/crash-helpers.js';
import { dropSchema, freshSchemaName, pgLocation, pgSuite } from '../state/pg-fixture.js';

const ACCOUNT = 'PG-LOCK-ACCT';
const PASSCODE = 'pg-lock-passcode-7e21';

pgSuite('apply on a PostgreSQL state', () => {
  let served: Served;
  let project: E2eProject;
  let env: Record<string, string>;
  const schema = freshSchemaName();
  // Made in beforeAll: a skipped suite (no CAMPAIGNCTL_TEST_PG_URL) still collects this body.
  let state: string;
  const transcript: RunResult[] = [];

  beforeAll(async () => {
    state = pgLocation(schema);
    ({ served, project, env } = await prodProjectWithEmulator({ account: ACCOUNT, passcode: PASSCODE }, () => ['--latency', '20..60']));
    env = { ...env, CAMPAIGNCTL_STATE: state };
    for (const name of ['c0', 'c1']) project.write(`campaigns/${name}.yaml`, campaignDoc(name, 'one'));
  });

  afterAll(async () => {
    await served?.stop();
    project?.dispose();
    await dropSchema(schema);
  });

  async function cli(...args: string[]): Promise<RunResult> {
    const result = await runCli(args, { cwd: project.root, env });
    transcript.push(result);
    return result;
  }

  it('refuses a second apply from another process and names the holder; the first finishes', { timeout: 180_000 }, async () => {
    await control(served, 'POST', '/faults', { next: [{ fault: 'timeout', family: 'create', count: 1 }] });
    const first = startCli(['--json', 'apply', '--yes', '--no-estimate'], { cwd: project.root, env });
    await first.event('start');
    while (((await control(served, 'GET', '/faults')).body as unknown[]).length > 0) await sleep(50);

    const second = await cli('apply', '--yes', '--no-estimate');
    expect(second.code).toBe(1);
    for (const line of [
      'state.locked  apply refused: the state is locked by another campaignctl run',
      'command:  apply',
      `host:     ${hostname()}`,
      `pid:      ${first.pid}`,
      'heartbeat: ',
    ]) {
      expect(second.stderr).toContain(line);
    }
    expect(second.stderr).toMatch(/lock id: {2}[0-9a-z]{10}\n/);
    expect(second.stderr).not.toContain('probably stale');
    const json = await cli('--json', 'apply', '--yes', '--no-estimate');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, locked: { holder: { pid: first.pid, command: 'apply', epoch: 1 }, probably_stale: false } });

    const done = await first.exited;
    transcript.push(done);
    expect(done.code, done.stderr).toBe(0);
    const list = await cli('--json', 'state', 'list');
    expect(JSON.parse(list.stdout)).toMatchObject({ lock: null });
    expect((JSON.parse(list.stdout) as { resources: unknown[] }).resources).toHaveLength(2);
  });

  it('state migrate copies the PostgreSQL state to a file; plan there has nothing to do', { timeout: 120_000 }, async () => {
    const file = project.path('.campaignctl/moved.db');
    const moved = await cli('state', 'migrate', '--from', state, '--to', file);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/resources +2\n/);
    expect(moved.stdout).toContain('postgres://***@');
    const plan = await runCli(['plan', '--no-estimate'], { cwd: project.root, env: { ...env, CAMPAIGNCTL_STATE: file } });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/no changes/i);
    const again = await cli('state', 'migrate', '--from', state, '--to', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('state-migrate.target-not-empty');
  });

  it('refuses a password in campaignctl.yaml state, at its line, and never prints it', async () => {
    const p = new E2eProject(`defaultEnvironment: prod
environments:
  prod:
    provider: clevertap
    state: postgres://ada:hunter2-pw@127.0.0.1:5432/test
`);
    try {
      const r = await runCli(['plan', '--no-estimate'], { cwd: p.root, env: { CLEVERTAP_API_URL: served.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('config.state-password');
      expect(r.stderr).toMatch(/campaignctl\.yaml:5/);
      expect(r.stderr + r.stdout).not.toContain('hunter2-pw');
    } finally {
      p.dispose();
    }
  });

  it('never printed the passcode', () => {
    for (const r of transcript) expect(r.stdout + r.stderr).not.toContain(PASSCODE);
  });
});
