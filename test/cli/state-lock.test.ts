/**
 * The apply lock and the state commands end to end: the built CLI as child processes against a
 * stand-alone emulator (`sandbox serve --inspect`) that holds one create of the first apply
 * unanswered, so that apply is deterministically still running when the second starts. The second
 * is refused with the holder's id, host, pid, command and since, and the exact force-unlock
 * command. Killed, the first leaves its lock: force-unlock with a wrong id is refused, with the
 * exact id it works, and the next apply settles the create it left open. A later apply held at its
 * create by a gate in front of the emulator refuses another one, then finishes undisturbed. Then
 * `state list/show/rm`, `import` and `stop` as a user runs them, with --json documents.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from '../sandbox/helpers.js';
import {
  campaignDoc,
  createGate,
  E2eProject,
  emulatorCampaigns,
  isLive,
  prodProjectWithEmulator,
  runCli,
  startCli,
  type RunResult,
  type Served,
} from '../e2e/crash-helpers.js';

const ACCOUNT = 'LOCK-ACCT';
const PASSCODE = 'lock-passcode-51d0';

let served: Served;
let project: E2eProject;
let env: Record<string, string>;

beforeAll(async () => {
  ({ served, project, env } = await prodProjectWithEmulator({ account: ACCOUNT, passcode: PASSCODE }, () => ['--latency', '20..60']));
  for (const name of ['c0', 'c1', 'c2']) project.write(`campaigns/${name}.yaml`, campaignDoc(name, 'one', { labels: { team: name === 'c2' ? 'ops' : 'growth' } }));
});

afterAll(async () => {
  await served?.stop();
  project?.dispose();
});

/** Everything the runs of the lock test printed, searched for the passcode at its end. */
const transcript: RunResult[] = [];
async function cli(...args: string[]): Promise<RunResult> {
  const result = await runCli(args, { cwd: project.root, env });
  transcript.push(result);
  return result;
}

/** Scripted faults the emulator still has to hand out. */
async function pendingFaults(): Promise<unknown[]> {
  return (await control(served, 'GET', '/faults')).body as unknown[];
}

interface StateListDoc {
  lock: { id: string; pid: number; host: string; command: string; since: string } | null;
  resources: { address: string; remote_id: number | null; status: string }[];
}

async function stateList(): Promise<StateListDoc> {
  const r = await cli('--json', 'state', 'list');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as StateListDoc;
}

describe('lock, concurrent applies and force-unlock', () => {
  it('refuses a second apply while one runs, showing the holder; force-unlock needs the exact id', { timeout: 180_000 }, async () => {
    // The emulator holds one create unanswered: the first apply keeps the lock (between state
    // writes, as a slow CleverTap would) until the test kills it.
    await control(served, 'POST', '/faults', { next: [{ fault: 'timeout', family: 'create', count: 1 }] });
    const first = startCli(['--json', 'apply', '--yes', '--no-estimate'], { cwd: project.root, env });
    await first.event('start');
    while ((await pendingFaults()).length > 0) await sleep(50);
    // The first apply is creating (it holds the lock from before planning to the end).
    expect((await control(served, 'GET', '/requests?family=create')).body.length).toBeGreaterThan(0);

    const [second, listed, rm, livePlan] = await Promise.all([
      cli('apply', '--yes', '--no-estimate'),
      stateList(),
      cli('--json', 'state', 'rm', 'campaign.c0'),
      cli('plan', '--no-estimate'),
    ]);
    const holder = listed.lock!;
    expect(holder).toMatchObject({ pid: first.pid, host: hostname(), command: 'apply' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/command: +apply\n/);
    for (const line of [
      'state.locked  apply refused: the state is locked by another campaignctl run',
      `lock id:  ${holder.id}`,
      'command:  apply',
      `host:     ${hostname()}`,
      `pid:      ${first.pid}`,
      `since:    ${holder.since}`,
      `campaignctl --env prod force-unlock ${holder.id}`,
    ]) {
      expect(second.stderr).toContain(line);
    }
    // The holder is alive: not called stale, by apply nor by plan (which sees its open write).
    expect(second.stderr).not.toContain('probably stale');
    expect(livePlan.stdout).toContain(`the apply lock is held by apply (pid ${first.pid} on ${hostname()}, since ${holder.since}), lock id ${holder.id}; it may still be running`);
    expect(livePlan.stdout).not.toContain('probably stale');
    // state rm takes the lock too, and says the same in JSON.
    expect(rm.code).toBe(1);
    expect(JSON.parse(rm.stdout)).toMatchObject({ ok: false, locked: { holder: { id: holder.id, pid: first.pid }, probably_stale: false } });

    // The run dies (kill -9): its lock stays behind.
    first.child.kill('SIGKILL');
    transcript.push(await first.exited);
    expect((await stateList()).lock).toMatchObject({ id: holder.id, pid: first.pid });
    const refused = await cli('apply', '--yes', '--no-estimate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`probably stale: process ${first.pid} no longer exists on this host`);
    // plan judges the dead holder as apply does, in the same words, and says how to remove the lock.
    const stalePlan = await cli('plan', '--no-estimate');
    expect(stalePlan.stdout).toContain(`lock id ${holder.id}; probably stale: process ${first.pid} no longer exists on this host`);
    expect(stalePlan.stdout).toContain(`campaignctl --env prod force-unlock ${holder.id}`);
    expect(stalePlan.stdout).not.toContain('an apply is running');

    const wrong = await cli('force-unlock', 'zzzzzzzzzz');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('lock.id-mismatch');
    expect(wrong.stderr).toContain(`it is ${holder.id}`);
    expect((await stateList()).lock?.id).toBe(holder.id);

    const exact = await cli('force-unlock', holder.id);
    expect(exact.code, exact.stderr).toBe(0);
    expect(exact.stdout).toContain(`Removed lock ${holder.id}`);
    expect(exact.stdout).toContain(`pid:      ${first.pid}`);
    expect((await stateList()).lock).toBeNull();

    const again = await cli('force-unlock', holder.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('lock.not-held');

    // The next apply settles the create the dead run left open (it landed: adopted, not repeated).
    const converge = await cli('apply', '--yes', '--no-estimate');
    expect(converge.code, converge.stderr).toBe(0);
    expect(converge.stdout).toContain('Settled an interrupted create');
    const live = (await emulatorCampaigns(served.url)).filter(isLive);
    expect(live).toHaveLength(3);
    const plan = await cli('plan', '--no-estimate', '--detailed-exitcode');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    // A later edit replaces c1, so its history shows apply's create and replace. That apply, held
    // at its create by the gate, refuses another one and then finishes undisturbed.
    project.write('campaigns/c1.yaml', campaignDoc('c1', 'two', { labels: { team: 'growth' } }));
    const gate = await createGate(served.url);
    const running = startCli(['apply', '--yes', '--no-estimate'], { cwd: project.root, env: { ...env, CLEVERTAP_API_URL: gate.url } });
    try {
      await Promise.race([gate.held(), running.exited.then((r) => Promise.reject(new Error(`apply ended before its create: ${r.stdout}${r.stderr}`)))]);
      const meanwhile = await cli('apply', '--yes', '--no-estimate');
      expect(meanwhile.code).toBe(1);
      expect(meanwhile.stderr).toContain('state.locked  apply refused');
      expect(meanwhile.stderr).toContain(`pid:      ${running.pid}`);
      expect(meanwhile.stderr).not.toContain('probably stale');
      gate.release();
      const done = await running.exited;
      transcript.push(done);
      expect(done.code, done.stderr).toBe(0);
      const c1 = (await emulatorCampaigns(served.url)).filter((c) => c.name.startsWith('E2E c1 [cc:'));
      expect(c1.map((c) => c.status).sort()).toEqual(['pending', 'stopped']);
      expect((await emulatorCampaigns(served.url)).filter(isLive)).toHaveLength(3);
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
      await gate.close();
    }
    for (const r of transcript) expect(r.stdout + r.stderr).not.toContain(PASSCODE);
  });
});

describe('state, import and stop from the command line', () => {
  it('lists, shows, imports, stops and forgets with --json and text', { timeout: 180_000 }, async () => {
    const list = await stateList();
    expect(list.resources.map((r) => r.address)).toEqual(['campaign.c0', 'campaign.c1', 'campaign.c2']);

    const shown = await cli('state', 'show', 'campaign.c1');
    expect(shown.code).toBe(0);
    const c1 = list.resources.find((r) => r.address === 'campaign.c1')!;
    expect(shown.stdout).toContain(`clevertap id:   ${c1.remote_id}`);
    expect(shown.stdout).toMatch(/apply\s+replace/);

    const missing = await cli('state', 'show', 'campaign.c9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('state.not-found');

    // A campaign made on the dashboard, adopted for a new YAML resource.
    const created = await fetch(`${served.url}/1/targets/create.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE },
      body: JSON.stringify({
        name: 'Made on the dashboard',
        target_mode: 'push',
        where: { event_name: 'App Launched', from: 20250601, to: 20250630 },
        content: { title: 'Hello', body: 'dashboard' },
        devices: ['ios'],
        when: '20310601 09:00',
      }),
    });
    const { id } = (await created.json()) as { id: number };
    project.write('campaigns/dash.yaml', campaignDoc('dash', 'dashboard'));
    const imported = await cli('--json', 'import', 'campaign.dash', String(id));
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, imported: { address: 'campaign.dash', remote_id: id, status: 'scheduled' } });
    const twice = await cli('--json', 'import', 'campaign.dash', String(id));
    expect(twice.code).toBe(1);
    expect(JSON.parse(twice.stdout).diagnostics.map((d: { code: string }) => d.code)).toEqual(['import.already-managed']);
    const badDates = await cli('import', 'campaign.dash', String(id), '--from', '20310632', '--to', '20310701');
    expect(badDates.code).toBe(1);
    expect(badDates.stderr).toContain('import.bad-date');
    const noChange = await cli('plan', '--no-estimate', '--detailed-exitcode');
    expect(noChange.code, noChange.stdout + noChange.stderr).toBe(0);

    // Emergency stop by label, with who and why.
    const noReason = await cli('stop', '--selector', 'team=ops');
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('stop.reason-required');
    const stopped = await cli('--json', 'stop', '--selector', 'team=ops', '--reason', 'wrong audience');
    expect(stopped.code, stopped.stderr).toBe(0);
    const stopDoc = JSON.parse(stopped.stdout) as { ok: boolean; stopped: number; outcomes: { address: string; status: string }[] };
    expect(stopDoc).toMatchObject({ ok: true, stopped: 1, outcomes: [{ address: 'campaign.c2', status: 'stopped' }] });
    const c2 = list.resources.find((r) => r.address === 'campaign.c2')!;
    expect((await emulatorCampaigns(served.url)).find((c) => c.id === c2.remote_id)!.status).toBe('stopped');
    const c2Shown = JSON.parse((await cli('--json', 'state', 'show', 'campaign.c2')).stdout) as { resource: { status: string }; history: { command: string; detail: { reason?: string } }[] };
    expect(c2Shown.resource.status).toBe('stopped');
    expect(c2Shown.history[0]).toMatchObject({ command: 'stop', detail: { reason: 'wrong audience' } });

    // Forget without touching CleverTap.
    const forgot = await cli('state', 'rm', 'campaign.dash');
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toContain(`CleverTap campaign ${id} is untouched`);
    expect(forgot.stdout).toContain('still in the YAML');
    expect((await emulatorCampaigns(served.url)).find((c) => c.id === id)).toMatchObject({ status: 'pending' });
    expect((await stateList()).resources.map((r) => r.address)).toEqual(['campaign.c0', 'campaign.c1', 'campaign.c2']);
    expect((await emulatorCampaigns(served.url)).filter(isLive).length).toBeGreaterThanOrEqual(3);
  });
});
