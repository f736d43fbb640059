/**
 * The folder of the campaignctl package this module belongs to (works from src/ and dist/src/),
 * found without loading ajv, so the load cache can name its schemas on a run that compiles none.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

export function packageRoot(): string {
  if (found) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && isCampaignctlManifest(manifest)) return (found = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('campaignctl package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The version in this package's package.json (for `campaignctl --version`). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** schemas/ of this campaignctl package. */
export function packageSchemasDir(): string {
  return path.join(packageRoot(), 'schemas');
}

function isCampaignctlManifest(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'campaignctl';
  } catch {
    return false;
  }
}
