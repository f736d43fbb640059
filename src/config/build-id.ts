/**
 * The build id: one digest of everything the persisted project index was computed by, so a cache
 * made by other code is never used. It covers every file of the built code (every folder, the
 * templates and the generated validators included), the JSON Schemas and the lockfile (the exact
 * libraries: yaml, ajv, handlebars...). `npm run build` writes it to dist/build-id.json
 * (scripts/write-build-id.mjs). Running from the TypeScript sources (the test runner), the same
 * digest is taken over src/ once per process. The Node.js version and its ICU and time zone data
 * (which decide which zones exist) are added at run time: they are not part of a build.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when what the persisted index holds, or how it is laid out, changes. */
export const INDEX_FORMAT = 2;

export interface BuildInputs {
  /** The code: dist/src of a build, or src/ of the sources. */
  code: string;
  schemas: string;
  lockfile: string;
}

/** The digest of a build's inputs (see the file comment); the same for the same bytes, wherever they are. */
export function computeBuildId(inputs: BuildInputs): string {
  const h = createHash('sha256').update(`campaignctl index ${INDEX_FORMAT}\0`);
  hashTree(h, inputs.code, '');
  hashTree(h, inputs.schemas, 'schemas/');
  h.update('lockfile\0');
  try {
    h.update(readFileSync(inputs.lockfile));
  } catch {
    h.update('none');
  }
  return h.digest('hex');
}

/** Every file under `dir` (source maps left out), by relative path and content, in a fixed order. */
function hashTree(h: ReturnType<typeof createHash>, dir: string, prefix: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) hashTree(h, full, `${prefix}${e.name}/`);
    else if (!e.name.endsWith('.map')) h.update(`${prefix}${e.name}\0`).update(readFileSync(full)).update('\0');
  }
}

let cached: string | null | undefined;

/**
 * The id the persisted index is keyed by: the build's, plus Node.js; null when there is none
 * (a build without dist/build-id.json): then nothing is persisted.
 */
export function buildId(): string | null {
  if (cached !== undefined) return cached;
  const here = fileURLToPath(import.meta.url);
  // dist/src/config/build-id.js -> dist/build-id.json; src/config/build-id.ts -> the sources.
  const codeDir = path.dirname(path.dirname(here));
  let id: string | null = null;
  if (here.endsWith('.ts')) {
    id = computeBuildId({ code: codeDir, schemas: path.join(path.dirname(codeDir), 'schemas'), lockfile: path.join(path.dirname(codeDir), 'package-lock.json') });
  } else {
    try {
      const written = JSON.parse(readFileSync(path.join(path.dirname(codeDir), 'build-id.json'), 'utf8')) as { buildId?: unknown };
      if (typeof written.buildId === 'string' && /^[0-9a-f]{64}$/.test(written.buildId)) id = written.buildId;
    } catch {
      id = null;
    }
  }
  cached = id === null ? null : withRuntime(id);
  return cached;
}

/** A build's id with this Node.js, its ICU and its time zone data (they decide which zones exist) added. */
export function withRuntime(build: string): string {
  return createHash('sha256').update(`${build}\0node ${process.versions.node} icu ${process.versions.icu ?? ''} tz ${process.versions.tz ?? ''}`).digest('hex');
}
