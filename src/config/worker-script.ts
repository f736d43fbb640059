/**
 * Where a worker thread's compiled script is: next to the module that starts it (dist/src/config/),
 * or, when that module runs from TypeScript source (the test runner), the built copy under dist/
 * (`npm test` builds first). Workers run compiled JavaScript only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './package-dir.js';

/** `name` (e.g. `check-worker.js`) in the folder of `moduleUrl` (its import.meta.url), else in dist/src/config/. */
export function workerScript(moduleUrl: string, name: string): URL {
  const sibling = new URL(name, moduleUrl);
  if (sibling.protocol === 'file:' && existsSync(sibling)) return sibling;
  return pathToFileURL(path.join(packageRoot(), 'dist', 'src', 'config', name));
}
