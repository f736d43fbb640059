/**
 * A spawned `campaignctl watch` (the built CLI) for the daemon's end-to-end tests: its JSON log
 * lines collected, the bound address read from its `listening` line (it listens on port 0), and
 * small HTTP helpers against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, cleanEnvironment } from '../cli/cli-run.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export class WatchProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: { test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor(cwd: string, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, 'watch', '--listen', '127.0.0.1:0', ...args], { cwd, env: cleanEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const text of parts) {
        if (!text.trim()) continue;
        const line = JSON.parse(text) as LogLine;
        this.lines.push(line);
        this.#waiters = this.#waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first log line (already seen or to come) that passes `test`; fails when the process exits first. */
  waitFor(test: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such log line within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`)), timeoutMs);
      this.#waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      void this.exited.then((code) => reject(new Error(`watch exited (${code}) first:\n${this.stdout}\n${this.stderr}`)));
    });
  }

  async url(): Promise<string> {
    const line = await this.waitFor((l) => typeof l.address === 'string');
    return `http://${line.address as string}`;
  }

  async get(route: string): Promise<{ status: number; body: any }> {
    const res = await fetch((await this.url()) + route);
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  async post(route: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch((await this.url()) + route, { method: 'POST', headers });
    return { status: res.status, body: await res.json() };
  }

  /** Polls /v1/status until `test` passes. */
  async statusWhere(test: (s: any) => boolean, timeoutMs = 30_000): Promise<any> {
    const until = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < until) {
      last = (await this.get('/v1/status')).body;
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`status never matched; last: ${JSON.stringify(last, null, 1).slice(0, 3000)}`);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
