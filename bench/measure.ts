/**
 * Shared by the benchmarks that time whole campaignctl processes: run one process to its exit
 * (wall clock around it; peak RSS and CPU from the preloaded probe, bench/rusage-probe.cts, so
 * worker threads are counted), medians, the machine's load, flags and the figure lines.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The built CLI, as package.json's bin runs it (the bundle, scripts/bundle-cli.mjs). */
export const MAIN = path.resolve(HERE, '../src/bin/campaignctl.cjs');
const PROBE = path.join(HERE, 'rusage-probe.cjs');

export interface Measured {
  seconds: number;
  code: number;
  stdout: string;
  stderr: string;
  rssMb: number;
  cpuSeconds: number;
  /** Minor page faults of the whole process: fresh memory it touched (see freshMemoryMsPerMb). */
  minorFaults: number;
}

export interface MeasureOptions {
  /** Write a V8 CPU profile of the process into this folder. */
  cpuProfileDir?: string | null;
}

/** Runs `node <args>` in `cwd` to its exit: wall time around it, resource usage from the probe. */
export async function measureNode(args: string[], cwd: string, extraEnv: Record<string, string>, opts: MeasureOptions = {}): Promise<Measured> {
  const usageFile = path.join(cwd, `.rusage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const prof = opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...prof, '--require', PROBE, ...args], {
    cwd,
    env: { ...process.env, ...extraEnv, BENCH_RUSAGE_FILE: usageFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const seconds = (performance.now() - started) / 1000;
  let rssMb = NaN;
  let cpuSeconds = NaN;
  let minorFaults = NaN;
  if (existsSync(usageFile)) {
    const u = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKb: number; userUs: number; systemUs: number; minorFaults: number };
    rssMb = Math.round(u.maxRssKb / 1024);
    cpuSeconds = (u.userUs + u.systemUs) / 1e6;
    minorFaults = u.minorFaults;
    rmSync(usageFile);
  }
  return { seconds, code, stdout, stderr, rssMb, cpuSeconds, minorFaults };
}

/** The built CLI as one measured process. */
export function measureCli(args: string[], cwd: string, env: Record<string, string>, opts: MeasureOptions = {}): Promise<Measured> {
  return measureNode([MAIN, ...args], cwd, env, opts);
}

/**
 * What touching fresh memory costs this machine now, in ms per MB: 64 MB newly mapped, written
 * once per 4 KB page (each write a page fault). Not a goal: on the development machine kind (a
 * virtual machine) it moved between 0.2 and 3.7 ms/MB from one day to another, and a cold plan,
 * which keeps what it parsed, touches about twice the memory F does, so its ratio to F moves with
 * it (docs/performance.md, "What bounds a cold plan here").
 */
export function freshMemoryMsPerMb(): number {
  const mb = 64;
  // allocUnsafeSlow: memory of its own, mapped afresh at this size, not a pooled slab.
  const buffer = Buffer.allocUnsafeSlow(mb * 1024 * 1024);
  const started = performance.now();
  for (let i = 0; i < buffer.length; i += 4096) buffer[i] = 1;
  return (performance.now() - started) / mb;
}

/** The middle element by `key` (the upper one of an even count). */
export function median<T>(items: readonly T[], key: (t: T) => number): T {
  if (items.length === 0) throw new Error('median of nothing');
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;
}

export function verdict(ok: boolean): 'PASS' | 'MISS' {
  return ok ? 'PASS' : 'MISS';
}

export function loadLine(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** The load line printed after a run, with a warning when the machine had more work than cores. */
export function loadAfter(): string {
  const cores = availableParallelism();
  const busy = loadavg()[0]! > cores;
  return `load average after: ${loadLine()} on ${cores} cores${busy ? ' (busy: wall times are inflated; the CPU times shown are less affected)' : ''}`;
}

/** The last lines of a process's output, for an error message. */
export function tail(m: Measured): string {
  return (m.stdout + m.stderr).trim().split('\n').slice(-8).join('\n');
}

export function numberFlag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function textFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export const s2 = (seconds: number) => `${seconds.toFixed(2)} s`;
