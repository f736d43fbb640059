/**
 * End-to-end tests spawn the built CLI (dist/). `npm test` builds first; this makes a bare
 * `npx vitest run` just as safe by rebuilding once, before any test file runs, when dist/ is
 * missing or older than src/ — one place instead of a rebuild in every spawning test file.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The CLI's bundle: written after tsc's output, so older than src/ only when the build is.
const MAIN = path.join(REPO, 'dist', 'src', 'bin', 'campaignctl.cjs');

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function isStale(): boolean {
  try {
    return statSync(MAIN).mtimeMs < Math.max(newest(path.join(REPO, 'src')), newest(path.join(REPO, 'schemas')));
  } catch {
    return true;
  }
}

export default function setup(): void {
  if (!isStale()) return;
  try {
    execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'pipe' });
  } catch (err) {
    // tsc emits despite type errors; the type check itself is `npm test`'s job, so say it and go on.
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? String(err);
    process.stderr.write(`global-setup: tsc reported problems (dist/ was still emitted):\n${out}\n`);
  }
  // The rest of `npm run build`: stale validators would send every file down the slow lane.
  for (const script of ['gen-validators.mjs', 'bundle-cli.mjs', 'make-bin-executable.mjs', 'write-build-id.mjs']) execFileSync(process.execPath, [path.join(REPO, 'scripts', script)], { cwd: REPO });
}
