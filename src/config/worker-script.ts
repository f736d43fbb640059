/**
 * Where a worker thread's compiled script is: next to the module that starts it (dist/src/<folder>/,
 * or the CLI's bundle in dist/src/bin/, which holds the workers too), or, when that module runs
 * from TypeScript source (the test runner), the built copy in the same folder under dist/src
 * (`npm test` builds first). Workers run compiled JavaScript only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from './package-dir.js';

/**
 * `name` (e.g. `check-worker.js`) beside the module at `moduleUrl` (its import.meta.url), else in
 * its folder under dist/src. Beside a CommonJS module (the CLI's bundle, `.cjs`), the worker is
 * its `.cjs` build: a CommonJS worker starts without the ES module loader.
 */
export function workerScript(moduleUrl: string, name: string): URL {
  const sibling = new URL(moduleUrl.endsWith('.cjs') ? name.replace(/\.js$/, '.cjs') : name, moduleUrl);
  if (sibling.protocol === 'file:' && existsSync(sibling)) return sibling;
  const folder = path.basename(path.dirname(fileURLToPath(moduleUrl)));
  return pathToFileURL(path.join(packageRoot(), 'dist', 'src', folder, name));
}
