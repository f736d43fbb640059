/**
 * What a load cache was made by. Its results are only valid for the same campaignctl (package
 * version, plus a fingerprint of the compiled checking code so a rebuilt development copy of the
 * same version does not reuse them), the same JSON Schemas (their content) and the same Node.js
 * (its ICU decides which time zones exist). Any difference: the whole cache is ignored.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the cache file layout or what an entry holds changes. */
export const CACHE_FORMAT = 1;

/** The folders whose compiled code decides a file's check result (relative to src/). */
const CHECKING_CODE = ['config', 'diagnostics', 'model'];

export function cacheKey(schemasDir: string): string {
  const h = createHash('sha256');
  h.update(`format ${CACHE_FORMAT}\0node ${process.versions.node} icu ${process.versions.icu ?? ''} tz ${process.versions.tz ?? ''}\0`);
  const packageRoot = path.dirname(schemasDir);
  h.update(`version ${packageVersion(packageRoot)}\0`);
  for (const name of readdirSync(schemasDir).filter((f) => f.endsWith('.json')).sort()) {
    h.update(`schema ${name}\0`).update(readFileSync(path.join(schemasDir, name))).update('\0');
  }
  const srcDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  for (const dir of CHECKING_CODE) fingerprint(path.join(srcDir, dir), h);
  return h.digest('hex');
}

function packageVersion(root: string): string {
  try {
    return String((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

/** Name, size and mtime of every file below `dir`: cheap (no reads), and a rebuild changes it. */
function fingerprint(dir: string, h: ReturnType<typeof createHash>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) fingerprint(full, h);
    else if (e.isFile()) {
      const s = statSync(full);
      h.update(`${full}\0${s.size}\0${s.mtimeMs}\0`);
    }
  }
}
