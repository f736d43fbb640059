/**
 * End-to-end helpers: the built CLI as child processes, a stand-alone emulator
 * (`campaignctl sandbox serve --inspect`) that outlives the processes a test kills, temp projects,
 * and a seeded random generator so a failing run can be replayed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

/** mulberry32: small, fast, good enough to spread kill points; same seed, same sequence. */
export function seeded(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `campaignctl sandbox serve --port 0 --inspect --json ...`; resolves with the URL it prints. */
export async function serveSandbox(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, '--json', 'sandbox', 'serve', '--port', '0', '--inspect', ...args], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      try {
        resolve((JSON.parse(stdout) as { url: string }).url);
      } catch {
        // not the whole document yet
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox serve exited (${code}): ${stdout}${stderr}`)));
  });
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (asynchronously: the test process keeps serving its own timers). */
export function runCli(args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A running CLI whose JSON-lines events can be awaited, to kill it at a chosen point. */
export interface Running {
  child: ChildProcess;
  pid: number;
  /** Resolves when the n-th line whose `event` is `name` was printed; never when it is not. */
  event(name: string, n?: number): Promise<void>;
  exited: Promise<RunResult>;
  output(): { stdout: string; stderr: string };
}

export function startCli(args: string[], opts: { cwd: string; env: Record<string, string> }): Running {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const counts = new Map<string, number>();
  const waiters: { name: string; n: number; resolve: () => void }[] = [];
  let partial = '';
  child.stdout!.on('data', (c: Buffer) => {
    const text = c.toString();
    stdout += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const name = /^\{"event":"([a-z-]+)"/.exec(line)?.[1];
      if (!name) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      for (const w of waiters) if (w.name === name && counts.get(name)! >= w.n) w.resolve();
    }
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<RunResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    pid: child.pid!,
    event: (name, n = 1) =>
      new Promise<void>((resolve) => {
        if ((counts.get(name) ?? 0) >= n) resolve();
        else waiters.push({ name, n, resolve });
      }),
    exited,
    output: () => ({ stdout, stderr }),
  };
}

export class E2eProject {
  readonly root: string;
  constructor(config: string) {
    this.root = mkdtempSync(path.join(tmpdir(), 'campaignctl-e2e-'));
    mkdirSync(path.join(this.root, 'campaigns'), { recursive: true });
    writeFileSync(path.join(this.root, 'campaignctl.yaml'), config);
  }
  write(rel: string, text: string): void {
    const file = path.join(this.root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  remove(rel: string): void {
    unlinkSync(path.join(this.root, rel));
  }
  path(rel: string): string {
    return path.join(this.root, rel);
  }
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function campaignDoc(name: string, body: string, extra: { when?: string; labels?: Record<string, string> } = {}): string {
  const labels = extra.labels ? `\n  labels: ${JSON.stringify(extra.labels)}` : '';
  return `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: ${name}${labels}
spec:
  title: ${JSON.stringify(`E2E ${name}`)}
  target_mode: push
  where:
    event_name: App Launched
    from: { daysAgo: 30 }
    to: { daysAgo: 0 }
  content:
    title: Hello
    body: ${JSON.stringify(body)}
  devices: [ios]
  when: ${JSON.stringify(extra.when ?? '2031-06-01T09:00:00Z')}
`;
}

export interface EmulatedCampaign {
  id: number;
  name: string;
  status: string;
}

export async function emulatorCampaigns(url: string): Promise<EmulatedCampaign[]> {
  const res = await fetch(`${url}/__sandbox/campaigns`);
  return (await res.json()) as EmulatedCampaign[];
}

export const isLive = (c: EmulatedCampaign) => c.status === 'pending' || c.status === 'running';
