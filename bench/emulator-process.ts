/**
 * The emulator as its own process (`campaignctl sandbox serve --inspect`), so that a benchmark
 * measures campaignctl alone on its core, as against a remote CleverTap, and the emulator's own
 * work (parsing, latency timers) does not share campaignctl's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'bin', 'campaignctl.cjs');

export interface EmulatorProcess {
  url: string;
  accountId: string;
  /** GET/DELETE an inspection endpoint under /__sandbox/. */
  inspect<T>(method: 'GET' | 'DELETE', route: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [MAIN, '--json', 'sandbox', 'serve', '--port', '0', '--inspect', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const started = await new Promise<{ url: string; accountId: string }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        resolve(JSON.parse(out) as { url: string; accountId: string });
      } catch {
        // not the whole document yet
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox serve exited with ${code}: ${out}`)));
  });
  return {
    ...started,
    async inspect<T>(method: 'GET' | 'DELETE', route: string): Promise<T> {
      const res = await fetch(`${started.url}/__sandbox/${route}`, { method });
      return (await res.json()) as T;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
