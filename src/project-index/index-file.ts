/**
 * Where the project index of an environment is kept, and whether it is kept at all: on their own,
 * without the rest of ./persist.ts, since the CLI needs them before anything else is loaded
 * (src/cli/scan-ahead.ts).
 */
import path from 'node:path';
import { CACHE_DIR } from '../config/cache-dir.js';

/** False when CAMPAIGNCTL_CACHE turns persistence off (off, 0, false, no). */
export function cacheEnabled(environ: Record<string, string | undefined>): boolean {
  return !/^(off|0|false|no)$/i.test(environ.CAMPAIGNCTL_CACHE ?? '');
}

/** The index file of a project for the environment asked for. */
export function indexFile(root: string, requested: string | undefined): string {
  const name = requested === undefined ? 'default' : `env-${requested.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return path.join(root, CACHE_DIR, `index-${name}.bin`);
}
