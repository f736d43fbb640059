/**
 * `npm run bench -- schedules [--idle N] [--due N] [--latency MS] [--runs N]`: the cron runner,
 * `campaignctl run-due`, as system cron runs it: one whole process per pass, the built CLI.
 *
 *   (a) idle pass   N Schedules (default 1,000) applied, none due: one `run-due` process, start to
 *                   exit (median of --runs, default 5, after one uncounted first pass). Goal <= 0.5 s.
 *                   Baseline: the same pass on the same project without its Schedules (what a pass
 *                   costs before any Schedule), measured in the same run.
 *   (b) due pass    N message Schedules (default 100) due at once, each one send call: the fire rate
 *                   against the ceiling of 3 calls in flight, 3 / L calls a second with the emulator
 *                   answering each call after L ms (--latency, default 100). The rate is taken over
 *                   the fire window, from the first send's arrival at the emulator to the last one's
 *                   answer (median of 3 passes, one a day). Goal >= 0.9 of the ceiling. Baseline:
 *                   plain fetch, 3 lanes, the same calls to the same emulator. The whole process
 *                   (start-up and project load included) is shown next to it.
 *
 * State is set up as a user would: `campaignctl apply --yes` with CAMPAIGNCTL_NOW set (each
 * Schedule's cursor starts there), then `run-due` with CAMPAIGNCTL_NOW moved forward. CleverTap is
 * a strict emulator in this bench process with a fixed latency and 3 calls in flight per family,
 * reached through CLEVERTAP_API_URL. A miss does not fail the bench (exit 0); an error does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type SandboxHandle } from '../src/sandbox/server.js';
import { loadAfter, loadLine, measureCli, median, numberFlag, s2, tail, verdict, type Measured } from './measure.js';
import { TRIGGER_ID, writeDueSchedules, writeIdleSchedules } from './schedules-project.js';

export const GOALS = { idleSeconds: 0.5, ceilingRatio: 0.9 };
const ACCOUNT = 'BENCH-ACCOUNT';
const PASSCODE = 'bench-passcode';
const CONCURRENCY = 3;
/** A Tuesday in January: 03:00 UTC is outside every idle Schedule's hours. */
const IDLE_APPLY = Date.parse('2027-01-05T03:00:00Z');
const DUE_APPLY = Date.parse('2027-01-05T09:50:00Z');
/** Five seconds after the due ticks' 10:00 UTC, within the 60 s a tick may still fire. */
const DUE_PASS = Date.parse('2027-01-05T10:00:05Z');
const DAY_MS = 86_400_000;

const say = (line: string) => process.stdout.write(line + '\n');

export async function run(args: string[]): Promise<number> {
  const idle = numberFlag(args, '--idle', 1000);
  const due = numberFlag(args, '--due', 100);
  const latencyMs = numberFlag(args, '--latency', 100);
  const runs = numberFlag(args, '--runs', 5);

  const windows: { start: number; end: number }[] = [];
  const sandbox = await startSandbox({
    port: 0,
    accountId: ACCOUNT,
    passcode: PASSCODE,
    latencyMs,
    concurrency: CONCURRENCY,
    strict: true,
    externalTriggers: [TRIGGER_ID],
    onRequest: (e) => {
      if (e.path.startsWith('/1/send/')) {
        const end = performance.now();
        windows.push({ start: end - e.durationMs, end });
      }
    },
  });
  const dirs: string[] = [];
  const project = (name: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), `campaignctl-bench-schedules-${name}-`));
    dirs.push(dir);
    return dir;
  };
  const env = { CLEVERTAP_API_URL: sandbox.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, NO_COLOR: '1' };
  const at = (dir: string, ms: number, cliArgs: string[]) => measureCli(cliArgs, dir, { ...env, CAMPAIGNCTL_NOW: new Date(ms).toISOString() });
  try {
    say(`schedules benchmark: run-due as one whole process per pass; emulator latency ${latencyMs} ms, ${CONCURRENCY} calls in flight; ${availableParallelism()} cores`);
    say(`  load average before: ${loadLine()}`);

    // (a) Nothing due, against the same pass on the same project without its Schedules.
    const idleDir = project('idle');
    writeIdleSchedules(idleDir, idle);
    const emptyDir = project('empty');
    writeIdleSchedules(emptyDir, 0);
    const calls = () => sandbox.state.requests().length;
    const idlePasses = await idlePassesOf(idleDir, idle, runs, at, calls);
    const emptyPasses = await idlePassesOf(emptyDir, 0, runs, at, calls);
    const idleMedian = median(idlePasses.counted, (m) => m.seconds);
    const emptyMedian = median(emptyPasses.counted, (m) => m.seconds);
    say(
      `  (a) ${idle.toLocaleString('en-US')} Schedules, nothing due: run-due ${s2(idleMedian.seconds)}, median of ${idlePasses.counted.length}   goal <= ${GOALS.idleSeconds} s   baseline (no Schedules) ${s2(emptyMedian.seconds)}   ${verdict(idleMedian.seconds <= GOALS.idleSeconds)}`,
    );
    say(
      `      [runs ${idlePasses.counted.map((m) => m.seconds.toFixed(2)).join(', ')} s; ${idleMedian.cpuSeconds.toFixed(2)} s CPU, ${idleMedian.rssMb} MB; first pass after apply ${s2(idlePasses.first.seconds)} (not counted); apply ${s2(idlePasses.apply.seconds)}; CleverTap calls in these passes: ${idlePasses.calls}]`,
    );

    // (b) Due message Schedules against the 3-in-flight ceiling.
    const dueDir = project('due');
    writeDueSchedules(dueDir, due);
    const applied = await at(dueDir, DUE_APPLY, ['apply', '--yes']);
    if (applied.code !== 0) throw new Error(`apply of the due Schedules failed: ${tail(applied)}`);
    const passes: { process: Measured; window: number; peak: number }[] = [];
    for (let day = 0; day < 3; day++) {
      windows.length = 0;
      const m = await at(dueDir, DUE_PASS + day * DAY_MS, ['--json', 'run-due']);
      const fired = firedOf(m);
      if (m.code !== 0 || fired.length !== due || fired.some((f) => f.status !== 'done')) throw new Error(`the due pass did not fire ${due} Schedules (exit ${m.code}): ${tail(m)}`);
      if (windows.length !== due) throw new Error(`expected ${due} send calls, the emulator saw ${windows.length}`);
      passes.push({ process: m, window: (Math.max(...windows.map((w) => w.end)) - Math.min(...windows.map((w) => w.start))) / 1000, peak: peakInFlight(windows) });
    }
    const ceiling = CONCURRENCY / (latencyMs / 1000);
    const mid = median(passes, (p) => p.window);
    const ratio = due / mid.window / ceiling;
    const refused = sandbox.state.requests({ family: 'send' }).filter((e) => e.response?.status === 429).length;
    const plain = await plainFetchRate(sandbox, due);
    say(
      `  (b) ${due} due message Schedules: ${(due / mid.window).toFixed(1)} fires/s = ${ratio.toFixed(2)} of the ceiling ${ceiling.toFixed(1)}/s, median of ${passes.length}   goal >= ${GOALS.ceilingRatio}   baseline plain fetch ${(plain / ceiling).toFixed(2)}   ${verdict(ratio >= GOALS.ceilingRatio)}`,
    );
    say(
      `      [fire windows ${passes.map((p) => p.window.toFixed(2)).join(', ')} s (ideal ${((due * latencyMs) / CONCURRENCY / 1000).toFixed(2)} s); whole process ${passes.map((p) => p.process.seconds.toFixed(2)).join(', ')} s = ${(due / mid.process.seconds / ceiling).toFixed(2)} of the ceiling; the runner's sends in flight at most ${passes.map((p) => p.peak).join(', ')}; 429 answers: ${refused}]`,
    );
    say(`  ${loadAfter()}`);
    return 0;
  } finally {
    await sandbox.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

type At = (dir: string, ms: number, cliArgs: string[]) => Promise<Measured>;

/** Applies the project, then runs `runs` + 1 passes a minute apart with nothing due; the first is not counted. */
async function idlePassesOf(dir: string, schedules: number, runs: number, at: At, calls: () => number) {
  const apply = await at(dir, IDLE_APPLY, ['apply', '--yes']);
  if (apply.code !== 0 || !(apply.stdout + apply.stderr).includes(`${schedules + 2} applied`)) throw new Error(`apply of ${schedules} Schedules failed (exit ${apply.code}): ${tail(apply)}`);
  const callsBefore = calls();
  const passes: Measured[] = [];
  for (let i = 1; i <= runs + 1; i++) {
    const m = await at(dir, IDLE_APPLY + i * 60_000, ['--json', 'run-due']);
    const doc = m.code === 0 ? (JSON.parse(m.stdout) as { fired: unknown[]; skipped: unknown[] }) : null;
    if (!doc || doc.fired.length > 0 || doc.skipped.length > 0) throw new Error(`an idle pass was not idle (exit ${m.code}): ${tail(m)}`);
    passes.push(m);
  }
  return { apply, first: passes[0]!, counted: passes.slice(1), calls: calls() - callsBefore };
}

/** The most calls that were in flight at one time, from their arrival and answer times. */
function peakInFlight(calls: readonly { start: number; end: number }[]): number {
  const edges = calls.flatMap((c) => [
    { t: c.start, d: 1 },
    { t: c.end, d: -1 },
  ]);
  // An answer and an arrival at the same instant: the answer first (the call had left).
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (now += e.d));
  return peak;
}

function firedOf(m: Measured): { status: string }[] {
  try {
    return (JSON.parse(m.stdout) as { fired: { status: string }[] }).fired;
  } catch {
    return [];
  }
}

/** The same number of identity sends by plain fetch, 3 lanes: what this machine and the emulator allow at all. */
async function plainFetchRate(sandbox: SandboxHandle, count: number): Promise<number> {
  const headers = { 'content-type': 'application/json', 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE };
  const one = (i: number) =>
    fetch(`${sandbox.url}/1/send/push.json`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to: { Identity: [`plain-${i}`] }, content: { title: 'Plain', body: 'fetch' }, wzrk_cid: 'digest' }),
    }).then(async (r) => {
      if (r.status !== 200) throw new Error(`plain fetch send refused: ${r.status} ${await r.text()}`);
    });
  let next = 0;
  const lane = async () => {
    while (next < count) await one(next++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return count / ((performance.now() - started) / 1000);
}
