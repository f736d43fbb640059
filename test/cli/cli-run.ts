/**
 * Spawning the built CLI (npm test builds dist/ first) with a chosen environment, for the
 * end-to-end tests. Output is collected so tests can also check that no secret ever appears in it.
 * Every test that spawns the CLI takes its environment from cleanEnvironment, so a developer's
 * CAMPAIGNCTL_* or CLEVERTAP_* settings never leak into a run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI as users run it: package.json's bin, the bundle of dist/src/main.js (scripts/bundle-cli.mjs). */
export const CLI = path.join(REPO, 'dist', 'src', 'bin', 'campaignctl.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What one run adds to the runner's settings. */
export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the run's stdin, which is then closed (closed empty when absent). */
  input?: string;
}

/**
 * Only what node needs from this process's environment (and the cache folder vitest.config.ts
 * gives the test runs), then NO_COLOR and the given variables: nothing of the developer's
 * CleverTap or campaignctl settings reaches the run.
 */
export function cleanEnvironment(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT', 'XDG_CACHE_HOME']) if (process.env[k] !== undefined) base[k] = process.env[k];
  return { ...base, NO_COLOR: '1', ...vars };
}

export class CliRunner {
  /** Everything every run printed, for secret checks. */
  readonly transcript: string[] = [];
  constructor(
    readonly cwd: string,
    readonly env: Record<string, string>,
  ) {
    if (!existsSync(CLI)) throw new Error('dist/src/bin/campaignctl.cjs missing: run `npm run build` (npm test does)');
  }

  run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [CLI, ...args],
        { cwd: this.cwd, env: cleanEnvironment({ ...this.env, ...opts.env }), maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => {
          this.transcript.push(stdout, stderr);
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      child.stdin!.end(opts.input ?? '');
    });
  }
}
