/**
 * End-to-end helpers: the built CLI as child processes, a stand-alone emulator
 * (`campaignctl sandbox serve --inspect`) that outlives the processes a test kills, temp projects,
 * and a seeded random generator so a failing run can be replayed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, cleanEnvironment } from '../cli/cli-run.js';

export const MAIN = CLI;

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
    env: cleanEnvironment(env),
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

/**
 * A forwarder in front of an emulator that holds every campaign create until released. A CLI run
 * pointed at it is deterministically mid-apply (lock held, its create sent and unanswered, between
 * state writes) for as long as a test needs, and then finishes normally. The emulator's `timeout`
 * fault holds a create too, but the run gives up on it and can not finish cleanly.
 */
export interface CreateGate {
  url: string;
  /** Resolves once `n` creates are being held. */
  held(n?: number): Promise<void>;
  /** Forwards the held creates, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

const CREATE_PATH = '/1/targets/create.json';
/** Hop-by-hop or recomputed: fetch sets these itself. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'expect']);

export async function createGate(target: string): Promise<CreateGate> {
  let open = false;
  const holding: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () => void relay(target, req, Buffer.concat(chunks), res);
      if (open || req.url !== CREATE_PATH) return forward();
      holding.push(forward);
      for (const w of waiters) if (holding.length >= w.n) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => {
    open = true;
    for (const forward of holding.splice(0)) forward();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: (n = 1) => new Promise<void>((resolve) => (holding.length >= n ? resolve() : waiters.push({ n, resolve }))),
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function relay(target: string, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !NOT_FORWARDED.has(name)) headers[name] = value;
  try {
    const answer = await fetch(target + req.url, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    // The emulator went away (the test is ending): the run sees a lost answer, as it would.
    res.destroy();
  }
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
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: cleanEnvironment(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
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
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: cleanEnvironment(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The one environment of every e2e project: `prod`, a real CleverTap account (here the emulator). */
const PROD_CONFIG = `defaultEnvironment: prod
environments:
  prod:
    provider: clevertap
    accountTimezone: UTC
`;

export interface ProdSetup {
  project: E2eProject;
  served: Served;
  /** What a CLI run needs to reach the emulator: CLEVERTAP_API_URL and the credentials. */
  env: Record<string, string>;
}

/**
 * A temp project with the `prod` environment and a stand-alone emulator holding these
 * credentials; serveArgs may name files inside the project (a data file).
 */
export async function prodProjectWithEmulator(
  credentials: { account: string; passcode: string },
  serveArgs: (project: E2eProject) => string[] = () => [],
): Promise<ProdSetup> {
  const project = new E2eProject(PROD_CONFIG);
  const account = { CLEVERTAP_ACCOUNT_ID: credentials.account, CLEVERTAP_PASSCODE: credentials.passcode };
  try {
    const served = await serveSandbox(serveArgs(project), account);
    return { project, served, env: { CLEVERTAP_API_URL: served.url, ...account } };
  } catch (err) {
    project.dispose();
    throw err;
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
