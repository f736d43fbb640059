/**
 * `campaignctl run-due` end to end: the built CLI in a child process against the emulator running
 * in this test, a real project and SQLite state in a temp folder, and the clock set with
 * CAMPAIGNCTL_NOW (it runs on from there, so each test keeps well clear of a minute's edge).
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/open.js';
import type { StateStore } from '../../src/state/store.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { ACCOUNT, PASSCODE, closeEmulators, emulator } from '../sandbox/helpers.js';
import { CONFIG, EVENT, TRIGGER_ID, removeTemps, writeProject } from '../runtime/fixture.js';
import { CLI, CliRunner, cleanEnvironment, type CliResult } from '../cli/cli-run.js';

afterEach(async () => {
  await closeEmulators();
  removeTemps();
});

/** A Schedule sending order-shipped (the fixture's Message) to two identities at 09:00 Berlin time each day. */
function scheduleYaml(extra = ''): string {
  return `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: daily-digest
spec:
  cron: "0 9 * * *"
  timezone: Europe/Berlin${extra}
  message:
    name: order-shipped
    to: { Identity: [u-1, u-2] }
    data:
      orderId: "SN-{{schedule.year}}{{schedule.month}}{{schedule.day}}"
      carrier: DHL
`;
}

const FILE = 'campaigns/schedules/daily-digest.yaml';
const ADDRESS = 'schedule.daily-digest';
/** 09:00 in Berlin (CEST) on 2026-06-01. */
const TICK = '2026-06-01T07:00:00Z';

interface Setup {
  dir: string;
  h: SandboxHandle;
  runner: CliRunner;
  cli(args: string[], now: string): Promise<CliResult>;
}

async function setup(extra = '', yaml = scheduleYaml(extra)): Promise<Setup> {
  const dir = writeProject({ [FILE]: yaml });
  const h = await emulator({ externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
  const runner = new CliRunner(dir, { CLEVERTAP_API_URL: h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE });
  return { dir, h, runner, cli: (args, now) => runner.run(['--dir', dir, ...args], { env: { CAMPAIGNCTL_NOW: now } }) };
}

/** Applies the project at `now` (the schedule's cursor starts there). */
async function applyAt(s: Setup, now: string): Promise<void> {
  const r = await s.cli(['apply', '--yes', '--target', ADDRESS], now);
  expect(r.stderr).not.toContain('error');
  expect(r.code).toBe(0);
}

async function withState<T>(dir: string, fn: (store: StateStore) => Promise<T>): Promise<T> {
  const opened = await openStateStore(path.join(dir, '.campaignctl', 'live.db'));
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    return await fn(opened.store);
  } finally {
    await opened.store.close();
  }
}

const sends = (h: SandboxHandle) => h.state.requests().filter((r) => r.path.includes('/send/'));

describe('campaignctl run-due', () => {
  it('fires a message schedule once at its tick (data rendered for the fire time); a second pass finds nothing', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    const first = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc).toMatchObject({ format_version: '1', fired: [{ address: ADDRESS, fire_time: TICK, status: 'done' }], skipped: [] });
    expect(doc.now.startsWith('2026-06-01T07:00:1')).toBe(true);
    expect(doc.clock).toContain('CAMPAIGNCTL_NOW is set');
    expect(sends(s.h)).toHaveLength(1);
    expect(sends(s.h)[0]!.body).toMatchObject({ to: { Identity: ['u-1', 'u-2'] }, content: { title: 'Order SN-20260601 is on its way' } });

    const second = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:30Z');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(sends(s.h)).toHaveLength(1);
    const run = await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }));
    expect(run).toMatchObject({ status: 'done', detail: { sent: 2 } });
  });

  it('a new schedule never fires for the past: applied after the tick, nothing fires', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T07:00:05Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:20Z');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(sends(s.h)).toHaveLength(0);
  });

  it('catch-up skip: a tick more than 60 s old is recorded missed and not sent, older ones are never replayed', async () => {
    const s = await setup();
    await applyAt(s, '2026-05-29T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:02:00Z');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.fired).toEqual([]);
    expect(doc.skipped.map((x: { fire_time: string; reason: string }) => [x.fire_time, x.reason])).toEqual([
      [TICK, 'missed'],
      ['2026-05-31T07:00:00Z', 'missed'],
      ['2026-05-30T07:00:00Z', 'missed'],
      ['2026-05-29T07:00:00Z', 'missed'],
    ]);
    expect(sends(s.h)).toHaveLength(0);
    const again = await s.cli(['--json', 'run-due'], '2026-06-01T07:03:00Z');
    expect(JSON.parse(again.stdout)).toMatchObject({ fired: [], skipped: [] });
  });

  it('catch-up latest within its window fires the most recent missed tick once and records the older ones missed', async () => {
    const s = await setup('\n  catchUp: { policy: latest, window: 2h }');
    await applyAt(s, '2026-05-30T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T08:30:00Z');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.fired).toMatchObject([{ address: ADDRESS, fire_time: TICK, status: 'done' }]);
    expect(doc.skipped.map((x: { fire_time: string; reason: string }) => [x.fire_time, x.reason])).toEqual([
      ['2026-05-31T07:00:00Z', 'missed'],
      ['2026-05-30T07:00:00Z', 'missed'],
    ]);
    expect(sends(s.h)).toHaveLength(1);
    const counts = await withState(s.dir, async (st) => (await st.runs.list({ subject: ADDRESS })).map((x) => x.status).sort());
    expect(counts).toEqual(['done', 'missed', 'missed']);
  });

  it('catch-up latest: a tick older than the window is missed, not sent', async () => {
    const s = await setup('\n  catchUp: { policy: latest, window: 2h }');
    await applyAt(s, '2026-06-01T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T09:30:00Z');
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [], skipped: [{ fire_time: TICK, reason: 'missed' }] });
    expect(sends(s.h)).toHaveLength(0);
  });

  it('enabled: false fires nothing, records the tick skipped (disabled) and moves the cursor on', async () => {
    const s = await setup('\n  enabled: false');
    await applyAt(s, '2026-06-01T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [], skipped: [{ fire_time: TICK, reason: 'disabled' }] });
    expect(sends(s.h)).toHaveLength(0);
    const cursor = await withState(s.dir, (st) => st.cursors.get(ADDRESS));
    expect(cursor! >= '2026-06-01T07:00:10').toBe(true);
  });

  it('a re-enabled schedule never fires the ticks it had while disabled, even with a wide catch-up window', async () => {
    const s = await setup('\n  enabled: false\n  catchUp: { policy: latest, window: 72h }');
    await applyAt(s, '2026-05-30T06:00:00Z');
    writeFileSync(path.join(s.dir, FILE), scheduleYaml('\n  enabled: true\n  catchUp: { policy: latest, window: 72h }'));
    await applyAt(s, '2026-06-01T06:00:00Z');
    const before = await s.cli(['--json', 'run-due'], '2026-06-01T06:30:00Z');
    expect(JSON.parse(before.stdout)).toMatchObject({ fired: [], skipped: [] });
    const at = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(JSON.parse(at.stdout)).toMatchObject({ fired: [{ fire_time: TICK, status: 'done' }], skipped: [] });
    expect(sends(s.h)).toHaveLength(1);
  });

  it('--dry-run says what would fire and claims, records and sends nothing', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    const dry = await s.cli(['--json', 'run-due', '--dry-run'], '2026-06-01T07:00:10Z');
    expect(JSON.parse(dry.stdout)).toMatchObject({ fired: [{ address: ADDRESS, fire_time: TICK, status: 'dry-run' }] });
    expect(sends(s.h)).toHaveLength(0);
    expect(await withState(s.dir, (st) => st.runs.list({ subject: ADDRESS }))).toEqual([]);
    const real = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:20Z');
    expect(JSON.parse(real.stdout)).toMatchObject({ fired: [{ fire_time: TICK, status: 'done' }] });
  });

  it('a claim left by a crashed pass shows unknown (exit 1) and is never resent', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    // A pass that claimed the tick and died before its call returned: its process is gone.
    const deadPid = await exitedPid();
    await withState(s.dir, (st) => st.runs.claim({ kind: 'schedule', subject: ADDRESS, key: TICK }, { host: hostname(), pid: deadPid }));
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [{ address: ADDRESS, fire_time: TICK, status: 'unknown' }] });
    expect(sends(s.h)).toHaveLength(0);
    // Checked on the dashboard: it went out. state resolve records it done.
    const resolved = await s.cli(['state', 'resolve', `${ADDRESS}#${TICK}`, '--raised'], '2026-06-01T07:05:00Z');
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain(`${ADDRESS}#${TICK}: unknown -> done`);
    expect(await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }))).toMatchObject({ status: 'done', detail: { resolved: 'raised' } });
    const later = await s.cli(['--json', 'run-due'], '2026-06-01T07:06:00Z');
    expect(JSON.parse(later.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(sends(s.h)).toHaveLength(0);
  });

  it('kill -9 between claim and answer: the tick is unknown, never resent, listed by schedules and settled by state resolve', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    // CleverTap takes the send, then holds the answer: the process dies while it waits.
    s.h.state.injectFaults([{ fault: 'timeout', family: 'send' }]);
    const env = cleanEnvironment({ CLEVERTAP_API_URL: s.h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, CAMPAIGNCTL_NOW: '2026-06-01T07:00:10Z' });
    const child = spawn(process.execPath, [CLI, '--dir', s.dir, '--json', 'run-due'], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await until(() => s.h.state.requests({ family: 'send' }).some((r) => r.fault === 'timeout' && r.committed));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(sends(s.h)).toHaveLength(1);
    const key = { kind: 'schedule' as const, subject: ADDRESS, key: TICK };
    expect(await withState(s.dir, (st) => st.runs.get(key))).toMatchObject({ status: 'claimed', detail: { pid: child.pid } });

    const next = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:30Z');
    expect(next.code).toBe(1);
    expect(JSON.parse(next.stdout)).toMatchObject({ fired: [{ address: ADDRESS, fire_time: TICK, status: 'unknown' }], skipped: [] });
    expect(sends(s.h)).toHaveLength(1);
    expect(await withState(s.dir, (st) => st.runs.get(key))).toMatchObject({ status: 'unknown', detail: { pid: child.pid } });
    // Reported once: the pass after that has nothing to say about it.
    const quiet = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:40Z');
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout)).toMatchObject({ fired: [], skipped: [] });

    const listed = JSON.parse((await s.cli(['--json', 'schedules'], '2026-06-01T07:01:00Z')).stdout).schedules[0];
    expect(listed.last_run).toMatchObject({ fire_time: TICK, status: 'unknown' });
    expect(listed.counts).toMatchObject({ done: 0, unknown: 1 });
    expect(listed.unknown_fire_times).toEqual([TICK]);
    const listedText = await s.cli(['schedules'], '2026-06-01T07:01:00Z');
    expect(listedText.stdout).toContain(`unknown  ${TICK}: may have been sent, never resent`);
    expect(listedText.stdout).toContain(`state resolve ${ADDRESS}#${TICK} --raised or --not-raised`);

    const resolved = await s.cli(['state', 'resolve', `${ADDRESS}#${TICK}`, '--raised'], '2026-06-01T07:02:00Z');
    expect(resolved.code).toBe(0);
    expect(await withState(s.dir, (st) => st.runs.get(key))).toMatchObject({ status: 'done', detail: { resolved: 'raised' } });
    const after = JSON.parse((await s.cli(['--json', 'schedules'], '2026-06-01T07:03:00Z')).stdout).schedules[0];
    expect(after.counts).toMatchObject({ done: 1, unknown: 0 });
    expect(after.unknown_fire_times).toEqual([]);
    const later = await s.cli(['--json', 'run-due'], '2026-06-01T07:04:00Z');
    expect(later.code).toBe(0);
    expect(JSON.parse(later.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(sends(s.h)).toHaveLength(1);
  });

  it('a tick whose data breaks the contract is recorded failed before any claim or call (exit 1)', async () => {
    const s = await setup('', scheduleYaml().replace('carrier: DHL', 'carrier: FedEx'));
    const { dir, h } = s;
    await s.cli(['apply', '--yes', '--target', ADDRESS], '2026-06-01T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).fired).toMatchObject([{ fire_time: TICK, status: 'failed' }]);
    expect(sends(h)).toHaveLength(0);
    expect(await withState(dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }))).toMatchObject({ status: 'failed', attempts: 0 });
  });

  it('two run-due processes at once on one SQLite state fire the tick once', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    const env = cleanEnvironment({ CLEVERTAP_API_URL: s.h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, CAMPAIGNCTL_NOW: '2026-06-01T07:00:10Z' });
    const results = await Promise.all([0, 1, 2].map(() => spawnCli(['--dir', s.dir, '--json', 'run-due'], env)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const fired = results.flatMap((r) => JSON.parse(r.stdout).fired);
    expect(fired).toMatchObject([{ fire_time: TICK, status: 'done' }]);
    expect(sends(s.h)).toHaveLength(1);
  });

  it('overlap skip: a tick while the previous fire is still in flight (from the ledger) is recorded skipped, not sent', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    // Yesterday's fire is still claimed by a live process on this host (this test's own).
    await withState(s.dir, (st) => st.runs.claim({ kind: 'schedule', subject: ADDRESS, key: TICK }, { host: hostname(), pid: process.pid }));
    const r = await s.cli(['--json', 'run-due'], '2026-06-02T07:00:10Z');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [], skipped: [{ fire_time: '2026-06-02T07:00:00Z', reason: 'overlap' }] });
    expect(sends(s.h)).toHaveLength(0);
    expect(await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: '2026-06-02T07:00:00Z' }))).toMatchObject({ status: 'skipped' });
  });

  it('changing the cron and zone to name the same instant does not fire the claimed tick again', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    expect((await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z')).code).toBe(0);
    writeFileSync(path.join(s.dir, FILE), scheduleYaml().replace('cron: "0 9 * * *"', 'cron: "0 8 * * *"').replace('Europe/Berlin', 'Europe/London'));
    await applyAt(s, '2026-06-01T07:00:20Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:30Z');
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(sends(s.h)).toHaveLength(1);
  });

  it('schedules lists the next fires (UTC and local), the last run and the counts per status from the ledger', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    await s.cli(['run-due'], '2026-06-01T07:00:10Z');
    await s.cli(['run-due'], '2026-06-02T08:00:00Z');
    const r = await s.cli(['--json', 'schedules'], '2026-06-02T08:00:30Z');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format_version: '1',
      schedules: [
        {
          address: ADDRESS,
          cron: '0 9 * * *',
          timezone: 'Europe/Berlin',
          enabled: true,
          next_fire_times: ['2026-06-03T07:00:00Z', '2026-06-04T07:00:00Z', '2026-06-05T07:00:00Z'],
          last_run: { fire_time: '2026-06-02T07:00:00Z', status: 'missed', campaign_id: null },
          counts: { done: 1, failed: 0, unknown: 0, refused: 0, missed: 1, skipped: 0 },
        },
      ],
    });
    const text = await s.cli(['schedules'], '2026-06-02T08:00:30Z');
    expect(text.stdout).toContain('next  2026-06-03T07:00:00Z  Wed 2026-06-03 09:00 +02:00');
    expect(text.stdout).toContain('runs  done 1, failed 0, unknown 0, refused 0, missed 1, skipped 0');
  });

  it('raises a bulletin occurrence that came due since apply, claimed as apply claims it, once', async () => {
    const s = await setup();
    const applied = await s.cli(['apply', '--yes', '--target', 'bulletin.album-released'], '2029-12-31T12:00:00Z');
    expect(applied.code).toBe(0);
    const raises = () => s.h.state.requests({ path: '/1/targets/trigger.json' });
    const atApply = raises().length; // the occurrence already due at apply (2025) was raised by apply
    const r = await s.cli(['--json', 'run-due'], '2030-01-01T08:00:30Z');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [{ address: 'bulletin.album-released#later', fire_time: '2030-01-01T08:00:00Z', status: 'done' }] });
    expect(raises()).toHaveLength(atApply + 1);
    const again = await s.cli(['--json', 'run-due'], '2030-01-01T08:01:30Z');
    expect(JSON.parse(again.stdout)).toMatchObject({ fired: [] });
    expect(raises()).toHaveLength(atApply + 1);
    expect(await withState(s.dir, (st) => st.runs.get({ kind: 'occurrence', subject: 'bulletin.album-released', key: 'later' }))).toMatchObject({ status: 'done' });
  });

  it('the clock: plan and validate read CAMPAIGNCTL_NOW and say it is set', async () => {
    const s = await setup();
    const plan = await s.cli(['plan', '--format', 'json', '--no-estimate'], '2026-06-01T06:00:00Z');
    expect(plan.stderr).toContain('CAMPAIGNCTL_NOW is set: the clock started at 2026-06-01T06:00:00.000Z');
    const change = JSON.parse(plan.stdout).changes.find((c: { address: string }) => c.address === ADDRESS);
    expect(change.next_fire_times[0]).toBe('2026-06-01T07:00:00.000Z');
    const validate = await s.cli(['validate'], '2026-06-01T06:00:00Z');
    expect(validate.stderr).toContain('CAMPAIGNCTL_NOW is set');
  });

  it('the embedded sandbox runs on the same clock: its send is stamped at CAMPAIGNCTL_NOW', async () => {
    const config = 'defaultEnvironment: sandbox\nenvironments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n    vars:\n      shopName: ShopNest\n';
    const dir = writeProject({ 'campaignctl.yaml': config, [FILE]: scheduleYaml() });
    const runner = new CliRunner(dir, {});
    const at = (args: string[], now: string) => runner.run(['--dir', dir, ...args], { env: { CAMPAIGNCTL_NOW: now } });
    expect((await at(['apply', '--yes', '--target', ADDRESS], '2026-06-01T06:00:00Z')).code).toBe(0);
    const r = await at(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [{ fire_time: TICK, status: 'done' }] });
    const data = JSON.parse(readFileSync(path.join(dir, '.campaignctl', 'sandbox-sandbox.json'), 'utf8')) as { sends: { at: string }[] };
    expect(data.sends).toHaveLength(1);
    expect(data.sends[0]!.at.startsWith('2026-06-01T07:00:1')).toBe(true);
  });

  it('an invalid CAMPAIGNCTL_NOW is refused before anything runs', async () => {
    const s = await setup();
    const r = await s.cli(['run-due'], 'next tuesday');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CAMPAIGNCTL_NOW=next tuesday is not an ISO instant');
  });

  it('CAMPAIGNCTL_NOW_RATE without CAMPAIGNCTL_NOW, or not a positive number, is refused before anything runs', async () => {
    const s = await setup();
    const alone = await s.runner.run(['--dir', s.dir, 'run-due'], { env: { CAMPAIGNCTL_NOW_RATE: '60' } });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('clock.invalid-rate');
    expect(alone.stderr).toContain('CAMPAIGNCTL_NOW_RATE=60 is set without CAMPAIGNCTL_NOW');
    const zero = await s.runner.run(['--dir', s.dir, 'run-due'], { env: { CAMPAIGNCTL_NOW: '2026-06-01T07:00:10Z', CAMPAIGNCTL_NOW_RATE: '0' } });
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('CAMPAIGNCTL_NOW_RATE=0 is not a positive number');
    expect(s.h.state.sends()).toHaveLength(0);
  });
});

describe('run-due in quiet hours', () => {
  /** 08:30-09:30 Berlin time: the daily 09:00 tick and the bulletin's 09:00 occurrence fall in it. */
  const withQuietHours = (s: Setup) =>
    writeFileSync(path.join(s.dir, 'campaignctl.yaml'), `${CONFIG}    quietHours: { start: "08:30", end: "09:30", timezone: Europe/Berlin }\n`);

  it('a schedule tick inside quiet hours is recorded skipped (quiet-hours), nothing is sent, and the cursor moves on', async () => {
    const s = await setup();
    await applyAt(s, '2026-06-01T06:00:00Z');
    // Set after apply (validate would have refused the schedule): the runner still refuses.
    withQuietHours(s);
    const dry = await s.cli(['--json', 'run-due', '--dry-run'], '2026-06-01T07:00:10Z');
    expect(JSON.parse(dry.stdout)).toMatchObject({ fired: [], skipped: [{ address: ADDRESS, fire_time: TICK, reason: 'quiet-hours' }] });
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ fired: [], skipped: [{ address: ADDRESS, fire_time: TICK, reason: 'quiet-hours' }] });
    expect(doc.skipped[0].detail).toContain('08:30-09:30 Europe/Berlin');
    expect(sends(s.h)).toHaveLength(0);
    const run = await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }));
    expect(run).toMatchObject({ status: 'skipped', detail: { reason: 'quiet-hours' } });
    const again = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:40Z');
    expect(JSON.parse(again.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(sends(s.h)).toHaveLength(0);
  });

  it('allowQuietHours: true on the schedule fires it inside quiet hours', async () => {
    const s = await setup('\n  allowQuietHours: true');
    await applyAt(s, '2026-06-01T06:00:00Z');
    withQuietHours(s);
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(JSON.parse(r.stdout)).toMatchObject({ fired: [{ address: ADDRESS, fire_time: TICK, status: 'done' }], skipped: [] });
    expect(sends(s.h)).toHaveLength(1);
  });

  it('a bulletin occurrence due inside quiet hours waits, and the first pass after them raises it', async () => {
    const s = await setup();
    expect((await s.cli(['apply', '--yes', '--target', 'bulletin.album-released'], '2029-12-31T12:00:00Z')).code).toBe(0);
    withQuietHours(s);
    const raises = () => s.h.state.requests({ path: '/1/targets/trigger.json' });
    const atApply = raises().length;
    const held = await s.cli(['--json', 'run-due'], '2030-01-01T08:00:30Z'); // 09:00 Berlin
    expect(held.code).toBe(0);
    expect(JSON.parse(held.stdout)).toMatchObject({ fired: [], skipped: [{ address: 'bulletin.album-released#later', reason: 'quiet-hours' }] });
    expect(raises()).toHaveLength(atApply);
    expect(await withState(s.dir, (st) => st.runs.get({ kind: 'occurrence', subject: 'bulletin.album-released', key: 'later' }))).toBeNull();
    const after = await s.cli(['--json', 'run-due'], '2030-01-01T08:30:30Z'); // 09:30 Berlin
    expect(JSON.parse(after.stdout)).toMatchObject({ fired: [{ address: 'bulletin.album-released#later', fire_time: '2030-01-01T08:00:00Z', status: 'done' }], skipped: [] });
    expect(raises()).toHaveLength(atApply + 1);
  });
});

/** A Schedule creating a push campaign each day at 09:00 Berlin time, to last week's launchers. */
function campaignScheduleYaml(maxAudience: number): string {
  return `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: daily-digest
spec:
  cron: "0 9 * * *"
  timezone: Europe/Berlin
  campaign:
    title: Daily digest
    target_mode: push
    where:
      event_name: App Launched
      from: { daysAgo: 7 }
      to: { daysAgo: 0 }
    content:
      title: "Your digest for {{schedule.weekday}}"
      body: Fresh picks at {{vars.shopName}}
      platform_specific:
        android:
          wzrk_cid: digest
    devices: [android]
    guard:
      maxAudience: ${maxAudience}
`;
}

const campaignCreates = (h: SandboxHandle) => h.state.requests({ family: 'create' }).filter((r) => (r.body as { estimate_only?: boolean }).estimate_only !== true);

describe('campaignctl run-due: campaign schedules', () => {
  it('creates the campaign now, named with the local date and time and the marker, dates from the fire day, its id on the run', async () => {
    const s = await setup('', campaignScheduleYaml(1_000_000_000));
    await applyAt(s, '2026-06-01T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const [fired] = JSON.parse(r.stdout).fired;
    expect(fired).toMatchObject({ address: ADDRESS, fire_time: TICK, status: 'done' });
    const [create] = campaignCreates(s.h);
    const body = create!.body as { name: string; when: string; where: { from: number; to: number }; content: { title: string } };
    expect(body.name).toMatch(/^Daily digest 2026-06-01 09:00 \[cc:[0-9a-z]{10}\]$/);
    expect(body).toMatchObject({ when: 'now', where: { from: 20260525, to: 20260601 }, content: { title: 'Your digest for Monday' } });
    expect(typeof fired.campaign_id).toBe('number');
    const run = await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }));
    expect(run).toMatchObject({ status: 'done', detail: { campaignId: fired.campaign_id, name: body.name } });
  });

  it('guard.maxAudience below the estimate: the run is refused and nothing is created', async () => {
    const s = await setup('', campaignScheduleYaml(1));
    await applyAt(s, '2026-06-01T06:00:00Z');
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    const [fired] = JSON.parse(r.stdout).fired;
    expect(fired).toMatchObject({ fire_time: TICK, status: 'refused' });
    expect(fired.detail).toContain('above guard.maxAudience 1');
    expect(campaignCreates(s.h)).toHaveLength(0);
    expect(await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }))).toMatchObject({ status: 'refused' });
  });

  it('fails closed: when the estimate fails the run is refused and nothing is created', async () => {
    const s = await setup('', campaignScheduleYaml(1_000_000_000));
    await applyAt(s, '2026-06-01T06:00:00Z');
    s.h.state.injectFaults([{ fault: '500', family: 'create', count: 6 }]);
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    const [fired] = JSON.parse(r.stdout).fired;
    expect(fired).toMatchObject({ fire_time: TICK, status: 'refused' });
    expect(fired.detail).toContain('could not be checked');
    expect(campaignCreates(s.h)).toHaveLength(0);
  });

  it('an ambiguous create (CleverTap took it, the answer was lost) is found by its marker: done with its id, created once', async () => {
    const s = await setup('', campaignScheduleYaml(1).replace(/\n {4}guard:\n {6}maxAudience: 1/, ''));
    await applyAt(s, '2026-06-01T06:00:00Z');
    // CleverTap's clock at the fire, so the campaign it creates "now" is listed on the fire's day.
    s.h.state.setClock(new Date('2026-06-01T07:00:10Z'));
    s.h.state.injectFaults([{ fault: 'drop-after-commit', family: 'create' }]);
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.code).toBe(0);
    const [fired] = JSON.parse(r.stdout).fired;
    const [created] = s.h.state.campaigns();
    expect(campaignCreates(s.h)).toHaveLength(1);
    expect(fired).toMatchObject({ fire_time: TICK, status: 'done', campaign_id: created!.id });
    expect(await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }))).toMatchObject({ status: 'done', detail: { campaignId: created!.id, foundBy: 'marker' } });
  });

  it('an ambiguous create the read-back does not find stays unknown (exit 1) and is never created again', async () => {
    const s = await setup('', campaignScheduleYaml(1).replace(/\n {4}guard:\n {6}maxAudience: 1/, ''));
    await applyAt(s, '2026-06-01T06:00:00Z');
    s.h.state.setClock(new Date('2026-06-01T07:00:10Z'));
    // A 500: CleverTap made nothing, but the client can not know that.
    s.h.state.injectFaults([{ fault: '500', family: 'create' }]);
    const r = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z');
    expect(r.code).toBe(1);
    const [fired] = JSON.parse(r.stdout).fired;
    expect(fired).toMatchObject({ fire_time: TICK, status: 'unknown' });
    expect(fired.detail).toContain('is listed for');
    expect(s.h.state.campaigns()).toHaveLength(0);
    const again = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:40Z');
    expect(JSON.parse(again.stdout)).toMatchObject({ fired: [], skipped: [] });
    expect(campaignCreates(s.h)).toHaveLength(1);
  });

  it('kill -9 mid-create: the next pass finds the campaign by its marker and records it done, never creating it again', async () => {
    const s = await setup('', campaignScheduleYaml(1).replace(/\n {4}guard:\n {6}maxAudience: 1/, ''));
    await applyAt(s, '2026-06-01T06:00:00Z');
    s.h.state.setClock(new Date('2026-06-01T07:00:10Z'));
    s.h.state.injectFaults([{ fault: 'timeout', family: 'create' }]);
    const env = cleanEnvironment({ CLEVERTAP_API_URL: s.h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, CAMPAIGNCTL_NOW: '2026-06-01T07:00:10Z' });
    const child = spawn(process.execPath, [CLI, '--dir', s.dir, '--json', 'run-due'], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await until(() => s.h.state.requests({ family: 'create' }).some((r) => r.fault === 'timeout' && r.committed));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [created] = s.h.state.campaigns();
    const next = await s.cli(['--json', 'run-due'], '2026-06-01T07:00:30Z');
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ fired: [{ address: ADDRESS, fire_time: TICK, status: 'done', campaign_id: created!.id }] });
    expect(campaignCreates(s.h)).toHaveLength(1);
    const listed = JSON.parse((await s.cli(['--json', 'schedules'], '2026-06-01T07:01:00Z')).stdout).schedules[0];
    expect(listed.last_run).toMatchObject({ status: 'done', campaign_id: created!.id });
  });

  it('schedules shows sent and clicked once CleverTap reports the campaign completed, keeps them, and says when they are not available yet', async () => {
    const s = await setup('', campaignScheduleYaml(1_000_000_000));
    await applyAt(s, '2026-06-01T06:00:00Z');
    const fired = JSON.parse((await s.cli(['--json', 'run-due'], '2026-06-01T07:00:10Z')).stdout).fired[0];
    const id = fired.campaign_id as number;
    const reports = () => s.h.state.requests({ path: '/1/targets/result.json' });

    // Without credentials nothing can be asked: the listing still works and says why.
    const offline = await s.runner.run(['--dir', s.dir, '--json', 'schedules'], { env: { CAMPAIGNCTL_NOW: '2026-06-01T07:05:00Z', CLEVERTAP_PASSCODE: '' } });
    expect(offline.code).toBe(0);
    const [offlineResult] = JSON.parse(offline.stdout).schedules[0].campaign_results;
    expect(offlineResult).toMatchObject({ campaign_id: id, result: 'not-fetched', sent: null, clicked: null });
    expect(offlineResult.detail).toContain('CLEVERTAP_PASSCODE is not set');
    expect(reports()).toHaveLength(0);

    const pending = JSON.parse((await s.cli(['--json', 'schedules'], '2026-06-01T07:05:00Z')).stdout).schedules[0];
    expect(pending.last_run).toEqual({ fire_time: TICK, status: 'done', campaign_id: id, sent: null, clicked: null });
    expect(pending.campaign_results).toMatchObject([{ fire_time: TICK, campaign_id: id, sent: null, clicked: null, result: 'not-completed' }]);
    expect(pending.campaign_results[0].detail).toContain('not completed');
    expect(reports()).toHaveLength(1);

    expect(s.h.state.markCompleted(id, { sent: 1200, clicked: 84 })).toBe(true);
    const final = JSON.parse((await s.cli(['--json', 'schedules'], '2026-06-02T06:00:00Z')).stdout).schedules[0];
    expect(final.last_run).toEqual({ fire_time: TICK, status: 'done', campaign_id: id, sent: 1200, clicked: 84 });
    expect(final.campaign_results).toEqual([{ fire_time: TICK, campaign_id: id, sent: 1200, clicked: 84, result: 'final' }]);
    expect(reports()).toHaveLength(2);
    const run = await withState(s.dir, (st) => st.runs.get({ kind: 'schedule', subject: ADDRESS, key: TICK }));
    expect(run?.report).toMatchObject({ sent: 1200, clicked: 84 });

    // Kept: later listings read state and ask CleverTap no more, even without credentials.
    const text = await s.runner.run(['--dir', s.dir, 'schedules'], { env: { CAMPAIGNCTL_NOW: '2026-06-02T06:01:00Z', CLEVERTAP_PASSCODE: '' } });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`campaign ${id} (${TICK})  sent 1200, clicked 84`);
    expect(reports()).toHaveLength(2);
  });
});

function spawnCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The pid of a process that has already exited. */
function exitedPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.on('exit', () => resolve(child.pid!));
  });
}

/** Resolves once `check` holds (polled); fails the test after 20 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 20 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}
