/**
 * The folder of the campaignctl package this module belongs to (works from src/ and dist/src/),
 * found without loading ajv, so a run that compiles no schema can still name them.
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

/** The version in a campaignctl package.json (this package's by default); 'unknown' when unreadable. */
export function packageVersion(root: string = packageRoot()): string {
  try {
    return String((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

let schemasDir: string | undefined;

/** schemas/ of this campaignctl package (kept: the loader asks once per file it checks). */
export function packageSchemasDir(): string {
  return (schemasDir ??= path.join(packageRoot(), 'schemas'));
}

function isCampaignctlManifest(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'campaignctl';
  } catch {
    return false;
  }
}
