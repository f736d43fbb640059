/**
 * A `campaignctl watch` (the built CLI) spawned for the status page's browser test: listens on a
 * free port, which its JSON `listening` log line names, and is asked over HTTP like any client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, cleanEnvironment } from '../cli/cli-run.js';

export class SpawnedWatch {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<number | null>;
  readonly #address: Promise<string>;

  constructor(cwd: string, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, 'watch', '--listen', '127.0.0.1:0', ...args], { cwd, env: cleanEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.#address = new Promise((resolve, reject) => {
      let partial = '';
      this.child.stdout!.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        partial += chunk.toString();
        const lines = partial.split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          const address = line.trim() ? (JSON.parse(line) as { address?: unknown }).address : undefined;
          if (typeof address === 'string') resolve(`http://${address}`);
        }
      });
      this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      void this.exited.then((code) => reject(new Error(`watch exited (${code}) before listening:\n${this.output}`)));
    });
  }

  url(): Promise<string> {
    return this.#address;
  }

  async status(): Promise<any> {
    const res = await fetch(`${await this.url()}/v1/status`);
    return res.json();
  }

  /** Polls /v1/status until `test` passes. */
  async statusWhere(test: (s: any) => boolean, timeoutMs = 30_000): Promise<any> {
    const until = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < until) {
      last = await this.status();
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the status never matched; last: ${JSON.stringify(last).slice(0, 2000)}\n${this.output}`);
  }

  /** SIGTERM, as a supervisor stops it; the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
