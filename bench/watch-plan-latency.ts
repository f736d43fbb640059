/**
 * `npm run bench -- watch`, part 1: from a file event to the new plan on /v1/status, on a project
 * of 10,000 files (corpus `varied`), every resource applied. The daemon is the built CLI
 * (`campaignctl watch --log-level debug`, plan only), CleverTap a strict emulator with zero
 * latency in the bench process. Per run one Campaign's title is edited on disk; timed from the
 * daemon's `file event` log line (chokidar's event, which comes after its write-finish wait of
 * 200 ms stability, polled every 50 ms: that wait is not counted) to the daemon's `reconcile` line
 * that shows the one pending change (/v1/status holds it from just before that line; a GET then
 * checks it). Each edit is put back before the next, so every measured plan holds one replace.
 * The project is a git repository with the corpus committed, as a user's project is: the daemon's
 * reconcile asks git about the folder (commit, dirty), and a folder outside git would hide that cost.
 * `--cpu-prof DIR` writes the daemon's V8 CPU profile there (start included) to see where the time goes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../src/sandbox/server.js';
import { loadLine, MAIN, numberFlag, textFlag } from './measure.js';
import { writeCorpus } from './plan-corpus.js';
import { editCampaign, seedState } from './plan.js';

const GOALS = { p50Ms: 50, p95Ms: 150 };
const PASSCODE = 'bench-passcode';
const ACCOUNT = 'BENCH-ACCOUNT';
const ENVIRONMENT = '    provider: clevertap\n    accountTimezone: Europe/Berlin\n';

interface Line {
  time: number;
  msg: string;
  [k: string]: unknown;
}

export async function runPlanLatency(args: string[], say: (line: string) => void): Promise<boolean> {
  const count = numberFlag(args, '--count', 10_000);
  const runs = numberFlag(args, '--runs', 20);
  const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-bench-watch-'));
  const written = writeCorpus('varied', dir, { count, now: new Date() }, ENVIRONMENT);
  const sandbox = await startSandbox({ port: 0, accountId: ACCOUNT, passcode: PASSCODE, latencyMs: 0, accountTimezone: 'Europe/Berlin', strict: true, ...written.sandbox });
  const env = { CLEVERTAP_API_URL: sandbox.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, NO_COLOR: '1' };
  let daemon: Daemon | undefined;
  try {
    say(`watch benchmark, part 1: file event -> new plan on /v1/status; ${count.toLocaleString('en-US')} files (corpus varied), every resource applied; ${availableParallelism()} cores`);
    const seedStart = performance.now();
    const seeded = await seedState(dir, sandbox.url, env);
    say(`  seeding: ${seeded} changes applied in this process in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (not a figure)`);
    commitProject(dir);
    say(`  load average before: ${loadLine()}`);
    const startAt = performance.now();
    daemon = new Daemon(dir, env, textFlag(args, '--cpu-prof'));
    const url = await daemon.url();
    await daemon.waitFor((l) => l.msg.startsWith('reconcile (start)'));
    const first = await status(url);
    if (first.pending.length !== 0) throw new Error(`the daemon's first plan is not in step: ${first.pending.length} pending, ${first.lastReconcile?.error ?? ''}`);
    say(`  daemon start to its first plan: ${((performance.now() - startAt) / 1000).toFixed(2)} s (not a figure; the first reconcile ${first.lastReconcile?.durationMs} ms)`);

    const latencies: number[] = [];
    const reconciles: number[] = [];
    const pendingOf = (l: Line) => (l.reconcile as { pending?: number } | undefined)?.pending;
    for (let k = 0; k < runs; k++) {
      const seen = daemon.lines.length;
      const restore = editCampaign(dir, written, k);
      const event = await daemon.waitFor((l) => l.msg === 'file event', seen);
      const planned = await daemon.waitFor((l) => l.msg.startsWith('reconcile (') && pendingOf(l) === 1, daemon.lines.indexOf(event));
      // The status is updated just before that line is written; check it shows the one replace.
      const s = await status(url);
      if (s.pending.length !== 1 || s.pending[0]!.action !== 'replace') throw new Error(`expected one replace, got ${s.pending.map((c) => `${c.action} ${c.address}`).join(', ')}`);
      latencies.push(planned.time - event.time);
      reconciles.push((planned.reconcile as { durationMs: number }).durationMs);
      // Back to the applied text: the next edit is again the only change.
      const back = daemon.lines.length;
      restore();
      await daemon.waitFor((l) => l.msg.startsWith('reconcile (') && pendingOf(l) === 0, back);
    }
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    const ok = p50 <= GOALS.p50Ms && p95 <= GOALS.p95Ms;
    say(`  file event -> /v1/status   p50 ${p50} ms (goal <= ${GOALS.p50Ms} ms)   p95 ${p95} ms (goal <= ${GOALS.p95Ms} ms)   over ${runs} edits   ${ok ? 'PASS' : 'MISS'}`);
    say(`      [runs ${latencies.join(', ')} ms; the reconciles alone (load + refresh + plan): p50 ${percentile(reconciles, 0.5)} ms, p95 ${percentile(reconciles, 0.95)} ms]`);
    say(`      not counted: chokidar's write-finish wait before the event (awaitWriteFinish: 200 ms without change, checked every 50 ms: about 200-250 ms after the write)`);
    say(`  load average after: ${loadLine()}`);
    return ok;
  } finally {
    if (process.env.BENCH_WATCH_LOG) (await import('node:fs')).writeFileSync(process.env.BENCH_WATCH_LOG, (daemon?.lines ?? []).map((l) => JSON.stringify(l)).join('\n'));
    await daemon?.stop();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The project as a user keeps it: a git repository, every file committed, state ignored. */
function commitProject(dir: string): void {
  writeFileSync(path.join(dir, '.gitignore'), '.campaignctl/\n');
  const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'the bench corpus']]) execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
}

interface StatusSeen {
  pending: { action: string; address: string }[];
  lastReconcile: { durationMs: number; error: string | null } | null;
}

async function status(url: string): Promise<StatusSeen> {
  return (await fetch(`${url}/v1/status`)).json() as Promise<StatusSeen>;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** The built CLI's `watch`, its JSON log lines read as they come. */
class Daemon {
  readonly lines: Line[] = [];
  readonly child: ChildProcess;
  #waiters: { from: number; test: (l: Line) => boolean; resolve: (l: Line) => void; reject: (e: Error) => void }[] = [];
  #stderr = '';

  /** cpuProfileDir: the daemon writes a V8 CPU profile there when it exits (--cpu-prof DIR). */
  constructor(dir: string, env: Record<string, string>, cpuProfileDir?: string) {
    const prof = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(cpuProfileDir)] : [];
    this.child = spawn(process.execPath, [...prof, MAIN, '--env', 'bench', 'watch', '--listen', '127.0.0.1:0', '--log-level', 'debug'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const text of parts) {
        if (!text.trim()) continue;
        const line = JSON.parse(text) as Line;
        const index = this.lines.push(line) - 1;
        this.#waiters = this.#waiters.filter((w) => (index >= w.from && w.test(line) ? (w.resolve(line), false) : true));
      }
    });
    this.child.stderr!.on('data', (c: Buffer) => (this.#stderr += c.toString()));
    this.child.once('exit', (code) => {
      for (const w of this.#waiters) w.reject(new Error(`watch exited (${code}): ${this.#stderr}`));
      this.#waiters = [];
    });
  }

  waitFor(test: (l: Line) => boolean, from = 0): Promise<Line> {
    const found = this.lines.slice(from).find(test);
    if (found) return Promise.resolve(found);
    if (this.child.exitCode !== null) return Promise.reject(new Error(`watch exited (${this.child.exitCode}): ${this.#stderr}`));
    return new Promise((resolve, reject) => this.#waiters.push({ from, test, resolve, reject }));
  }

  async url(): Promise<string> {
    return `http://${(await this.waitFor((l) => typeof l.address === 'string')).address as string}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
