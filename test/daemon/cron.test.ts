/**
 * The cron runner inside `watch`: the built CLI with --auto-apply on a project with a
 * Schedule every minute, its clock set (CAMPAIGNCTL_NOW) 30 s before a minute. The Schedule is applied
 * at start, the runner's timer fires the tick at its time (not at the 30 s safety pass), and the
 * status and metrics show the fire. Likewise a Bulletin occurrence due 15 s after the start, between
 * two safety passes, is raised at its time.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { TempProject } from '../apply/helpers.js';
import { EVENT, TRIGGER_ID, removeTemps, writeProject } from '../runtime/fixture.js';
import { WatchProcess } from './watch-process.js';

let tp: TempProject;
let w: WatchProcess | undefined;
let emu: SandboxHandle | undefined;

afterAll(async () => {
  await w?.kill();
  tp?.dispose();
  await emu?.close();
  removeTemps();
});

describe('watch, the cron runner', () => {
  it('fires a Schedule tick at its time', { timeout: 150_000 }, async () => {
    tp = new TempProject({ provider: 'sandbox' });
    tp.write(
      'campaigns/messages/morning-note.yaml',
      `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: morning-note
spec:
  target_mode: push
  content:
    title: "Good morning from {{vars.appName}}"
    body: "Your daily note."
    platform_specific:
      android:
        wzrk_cid: daily
`,
    );
    tp.write(
      'campaigns/schedules/morning.yaml',
      `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: morning
spec:
  cron: "* * * * *"
  timezone: UTC
  message:
    name: morning-note
    to: { Identity: [u-1] }
`,
    );
    execFileSync('git', ['init', '-q'], { cwd: tp.root });
    w = new WatchProcess(tp.root, ['--auto-apply'], { CAMPAIGNCTL_NOW: '2026-06-01T06:59:30Z' });
    const fired = await w.waitFor((l) => /^fired schedule\.morning at 2026-06-01T07:0\d:00/.test(l.msg), 100_000);
    expect(fired.msg).toMatch(/: done$/);
    // Fired by the timer at its time, not by the 30 s safety pass: the daemon's own lag figure.
    const metrics = (await w.get('/metrics')).body as string;
    const lagSum = Number(/campaignctl_schedule_fire_lag_seconds_sum (\S+)/.exec(metrics)?.[1]);
    expect(lagSum).toBeLessThan(5);
    const s = await w.statusWhere((x) => x.schedules.schedules[0]?.last_run !== null);
    expect(s.schedules.schedules[0]).toMatchObject({ address: 'schedule.morning', last_run: { status: 'done' } });
    expect((await w.get('/metrics')).body).toMatch(/campaignctl_schedule_fires_total\{result="done"\} 1/);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });

  it('raises a Bulletin occurrence at its time, between two safety passes', { timeout: 90_000 }, async () => {
    emu = await startSandbox({ accountId: 'CRON-ACCOUNT', passcode: 'cron-passcode-0001', externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
    // Due 15 s after the start: after the start's apply (which raises only what is due already),
    // before the first 30 s safety pass.
    const dir = writeProject({
      'campaigns/bulletins/album-released.yaml': `apiVersion: campaignctl/v1
kind: Bulletin
metadata:
  name: album-released
spec:
  business_event: ${EVENT}
  c-by: editor@example.com
  properties:
    type: object
  occurrences:
    - key: daybreak
      at: "2026-06-01T07:00:15Z"
      name: "Nova Lane: Daybreak is out"
      properties:
        artist: Nova Lane
        album: Daybreak
`,
    });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    w = new WatchProcess(dir, ['--auto-apply'], {
      CAMPAIGNCTL_NOW: '2026-06-01T07:00:00Z',
      CLEVERTAP_API_URL: emu.url,
      CLEVERTAP_ACCOUNT_ID: 'CRON-ACCOUNT',
      CLEVERTAP_PASSCODE: 'cron-passcode-0001',
    });
    const started = Date.now();
    const fired = await w.waitFor((l) => l.msg.startsWith('fired bulletin.album-released#daybreak at 2026-06-01T07:00:15'), 60_000);
    const afterMs = Date.now() - started;
    expect(fired.msg).toMatch(/: done$/);
    expect(emu.state.sends().filter((x) => x.kind === 'raise')).toHaveLength(1);
    // Woken for it, not found by the safety pass 30 s after the start: the daemon's own lag figure.
    const metrics = (await w.get('/metrics')).body as string;
    const lagSum = Number(/campaignctl_schedule_fire_lag_seconds_sum (\S+)/.exec(metrics)?.[1]);
    expect(lagSum).toBeLessThan(5);
    expect(afterMs).toBeLessThan(28_000);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});
