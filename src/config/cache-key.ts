/**
 * What a load cache was made by. Its results are only valid for the same campaignctl (package
 * version, plus the content of the checking code, so a development build of the same version with
 * other checks does not reuse them), the same yaml and ajv, the same JSON Schemas (their content)
 * and the same Node.js (its ICU decides which time zones exist). Any difference: the whole cache is
 * ignored. Costs ~3 ms: about 70 small files read and hashed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersion } from './package-dir.js';
import { schemasDigest } from './schemas-digest.js';

/** Bump when the cache file layout or what an entry holds changes. */
export const CACHE_FORMAT = 3;

/** The libraries whose behaviour is part of a file's check result. */
const PARSING_PACKAGES = ['yaml', 'js-yaml', 'ajv', 'ajv-formats'];

/**
 * The folders whose compiled code decides a file's check result (relative to src/; their own files
 * only: config/rules and templates are keyed apart, by the rules memo and the snapshot).
 */
const CHECKING_CODE = ['config', 'diagnostics', 'model'];

export function cacheKey(schemasDir: string): string {
  return createHash('sha256')
    .update(installedDigest(path.dirname(schemasDir)))
    .update(`schemas ${schemasDigest(schemasDir)}\0`)
    .digest('hex');
}

/**
 * What cannot change while this process runs (Node, campaignctl's version and code, the installed
 * libraries), worked out once: a plan asks for the cache key several times (load cache, memos,
 * project snapshot, no-change record), and this part reads ~70 files. The schemas are read each time (a few files).
 */
const installed = new Map<string, string>();
function installedDigest(packageRoot: string): string {
  let digest = installed.get(packageRoot);
  if (digest === undefined) {
    const h = createHash('sha256');
    h.update(`format ${CACHE_FORMAT}\0node ${process.versions.node} icu ${process.versions.icu ?? ''} tz ${process.versions.tz ?? ''}\0`);
    h.update(`version ${packageVersion(packageRoot)}\0`);
    for (const dep of PARSING_PACKAGES) h.update(`${dep} ${dependencyVersion(dep, packageRoot)}\0`);
    h.update(`code ${codeDigest(CHECKING_CODE)}\0`);
    installed.set(packageRoot, (digest = h.digest('hex')));
  }
  return digest;
}

/** An installed library's version: its manifest in the nearest node_modules upward (as Node resolves it). */
function dependencyVersion(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const m = JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown };
      return String(m.version);
    } catch {
      if (path.dirname(dir) === dir) return 'unknown';
    }
  }
}

/**
 * The content of the compiled code in these folders of src/ (e.g. `['apply', 'plan']`), as a
 * digest: for caches of what that code derives.
 */
export function codeDigest(dirs: readonly string[]): string {
  const key = dirs.join('\0');
  let digest = codeDigests.get(key);
  if (digest === undefined) {
    const h = createHash('sha256');
    const srcDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
    for (const dir of dirs) fingerprint(path.join(srcDir, dir), h.update(`dir ${dir}\0`));
    codeDigests.set(key, (digest = h.digest('hex')));
  }
  return digest;
}

/** Once per process: the code does not change under a running process. */
const codeDigests = new Map<string, string>();

/** Name and content of every code file in `dir` (source maps left out). */
function fingerprint(dir: string, h: ReturnType<typeof createHash>): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.(js|ts)$/.test(n)).sort();
  } catch {
    return;
  }
  for (const name of names) h.update(`${name}\0`).update(readFileSync(path.join(dir, name))).update('\0');
}
