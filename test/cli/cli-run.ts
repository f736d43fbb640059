/**
 * Spawning the built CLI (npm test builds dist/ first) with a chosen environment, for the
 * end-to-end tests of plan/apply/drift. Output is collected so tests can also check that no
 * secret ever appears in it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO, 'dist', 'src', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CliRunner {
  /** Everything every run printed, for secret checks. */
  readonly transcript: string[] = [];
  constructor(
    readonly cwd: string,
    readonly env: Record<string, string>,
  ) {
    if (!existsSync(CLI)) throw new Error('dist/src/main.js missing: run `npm run build` (npm test does)');
  }

  run(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        { cwd: this.cwd, env: this.environment(extraEnv), maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => {
          this.transcript.push(stdout, stderr);
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Starts a run without waiting for it (concurrency tests). */
  start(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: this.cwd, env: this.environment({}) });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CliResult>((resolve) =>
      child.on('close', (code) => {
        this.transcript.push(stdout, stderr);
        resolve({ code: code ?? 1, stdout, stderr });
      }),
    );
    return { child, done };
  }

  private environment(extra: Record<string, string>): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {};
    // A clean environment: nothing of the developer's CleverTap settings leaks into the test.
    for (const k of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) if (process.env[k] !== undefined) base[k] = process.env[k];
    return { ...base, NO_COLOR: '1', ...this.env, ...extra };
  }
}
