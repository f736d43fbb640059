/**
 * The project snapshot: what loading made of the whole project on the last run, in ONE small file
 * per environment asked for (`.campaignctl/cache/project-<env>.json`). A run where no file changed
 * takes the project from it: no load cache entry decoded, no rule run. Specs and node positions are
 * not in it; they are read from the load cache (./load-cache.ts) when something asks for them,
 * which a plan without changes never does.
 *
 * It stands only while everything it was made from does (any doubt: the normal load, which writes
 * a new one):
 *   - its context: the load cache key (campaignctl's code, schemas, libraries, Node), the rules'
 *     code, the content of campaignctl.yaml, the environment as resolved now (vars, zone, and what
 *     variables such as CLEVERTAP_REGION made of it) and the partials' content;
 *   - the same campaign files, each with the stat stamp recorded, which was trusted when recorded
 *     (./file-stamp.ts);
 *   - the load cache file it reads specs from, with the stamp it had when the snapshot was written;
 *   - every other file its resources read (an email's `body_file`), by content: read again each run;
 *   - the clock: no later than the earliest time one of its rule findings stops standing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { addressOf, KINDS, type Kind, type Resource } from '../model/resource.js';
import { writeAtomically } from './atomic-write.js';
import { sameStamp, statStamp, type FileStamp } from './file-stamp.js';
import { CACHE_FILE } from './load-cache.js';
import { memoFile } from './memo.js';
import { projectFileDigest } from './project-file.js';
import type { StoredConfig } from './stored-check.js';

/** Bump when what the file holds changes. */
const SNAPSHOT_FORMAT = 4;

/** [index into files, document index, line, column, kind, name, labels, protect] */
type ResourceRow = [number, number, number, number, Kind, string, Record<string, string>, boolean];
type StampRow = [number, number, number, number];

/**
 * The files column by column (a run that takes the snapshot reads every stamp but builds no object
 * per file), index i of each column being the i-th file in discover() order.
 */
export interface SnapshotFiles {
  paths: string[];
  sizes: number[];
  mtimes: number[];
  ctimes: number[];
  inodes: number[];
  sha256s: string[];
}

export interface SnapshotData {
  format: number;
  context: string;
  /** ms since the epoch after which a rule finding may no longer stand; null: none depends on the clock. */
  validUntil: number | null;
  /** The load cache file's stamp when this was written. */
  loadCache: StampRow;
  files: SnapshotFiles;
  /** [project path, projectFileDigest] of each file besides the YAML that the resources read (body files). */
  reads: [string, string][];
  config: StoredConfig;
  /**
   * ResourceRow[] as JSON text: decoded only when the resources are read. On disk it follows the
   * rest of the snapshot (one line of JSON) after a newline, as is: never escaped into a string.
   */
  resources: string;
  resourceCount: number;
  /** Everything loading found, rules included, sorted as Project.diagnostics. */
  diagnostics: Diagnostic[];
}

/** What a snapshot is made from: one loaded project and the stamps its files were trusted with. */
export interface SnapshotInput {
  context: string;
  validUntil: number | null;
  files: { path: string; sha256: string; stamp: FileStamp }[];
  reads: [string, string][];
  config: StoredConfig;
  resources: Resource[];
  diagnostics: Diagnostic[];
}

/** `.campaignctl/cache/project-default.json`, or `project-env-<name>.json` for `--env name`: per environment asked for. */
export function snapshotFile(root: string, requested: string | undefined): string {
  return memoFile(root, 'project', requested === undefined ? 'default' : `env-${requested}`);
}

/** The digest of a snapshot's context (see the file comment). */
export function snapshotContext(parts: { cacheKey: string; rulesCode: string; configSha: string | null; environment: unknown; partials: Record<string, string> }): string {
  return createHash('sha256')
    .update(`${SNAPSHOT_FORMAT}\0${parts.cacheKey}\0${parts.rulesCode}\0${parts.configSha ?? 'none'}\0`)
    .update(JSON.stringify({ environment: parts.environment, partials: Object.entries(parts.partials).sort() }))
    .digest('hex');
}

/** The snapshot in `file`, or undefined when absent, damaged or of another format. Never throws. */
export function readSnapshot(file: string): SnapshotData | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const lineEnd = text.indexOf('\n');
    if (lineEnd < 0) return undefined;
    const head = JSON.parse(text.slice(0, lineEnd)) as Omit<SnapshotData, 'resources'> & { resourcesLength?: unknown };
    // A tail cut short or added to: the resources would not decode when read.
    if (head.resourcesLength !== text.length - lineEnd - 1) return undefined;
    const data = { ...head, resources: text.slice(lineEnd + 1) } as SnapshotData;
    const f = data.files;
    const n = Array.isArray(f?.paths) ? f.paths.length : -1;
    const ok =
      data.format === SNAPSHOT_FORMAT &&
      typeof data.context === 'string' &&
      [f?.sizes, f?.mtimes, f?.ctimes, f?.inodes, f?.sha256s].every((column) => Array.isArray(column) && column.length === n) &&
      typeof data.resources === 'string' &&
      typeof data.resourceCount === 'number' &&
      Array.isArray(data.diagnostics) &&
      Array.isArray(data.reads) &&
      Array.isArray(data.loadCache) &&
      typeof data.config === 'object' &&
      data.config !== null;
    return ok ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Does the snapshot stand for these files, as they are on disk now, at `now`? (Its context is
 * compared by the caller, who resolves the environment from the snapshot's config first.)
 */
export function snapshotCurrent(data: SnapshotData, root: string, files: readonly string[], now: number): boolean {
  if (data.validUntil !== null && now >= data.validUntil) return false;
  const f = data.files;
  if (f.paths.length !== files.length) return false;
  const cacheStamp = statStamp(path.join(root, CACHE_FILE));
  if (!cacheStamp || !sameStamp(cacheStamp, fromRow(data.loadCache))) return false;
  for (let i = 0; i < files.length; i++) {
    if (f.paths[i] !== files[i]) return false;
    // A clean relative path from discover(): joined without path.join's normalizing, which costs
    // as much as the stat itself on 10,000 files.
    const stats = statSync(root + path.sep + files[i], { throwIfNoEntry: false });
    if (!stats || stats.size !== f.sizes[i] || stats.mtimeMs !== f.mtimes[i] || stats.ctimeMs !== f.ctimes[i] || stats.ino !== f.inodes[i]) return false;
  }
  return data.reads.every(([file, digest]) => projectFileDigest(root, file) === digest);
}

/** The files with their content hashes, as Project.files. */
export function snapshotFileList(data: SnapshotData): { path: string; sha256: string }[] {
  const { paths, sha256s } = data.files;
  return paths.map((p, i) => ({ path: p, sha256: sha256s[i]! }));
}

/**
 * The snapshot's resources, each reading its spec through `specOf` on first use. Throws when the
 * rows do not decode (the caller's snapshot check passed, so the file was damaged since).
 */
export function snapshotResources(data: SnapshotData, specOf: (file: string, sha256: string, documentIndex: number) => Record<string, unknown>): Resource[] {
  const { paths, sha256s } = data.files;
  const rows = JSON.parse(data.resources) as ResourceRow[];
  return rows.map(([fileIndex, documentIndex, line, column, kind, name, labels, protect]): Resource => {
    const file = paths[fileIndex]!;
    let spec: Record<string, unknown> | undefined;
    return {
      kind,
      address: addressOf(kind, name),
      name,
      labels,
      protect,
      get spec() {
        return (spec ??= specOf(file, sha256s[fileIndex]!, documentIndex));
      },
      source: { file, documentIndex, line, column },
    };
  });
}

/**
 * Writes the snapshot of a load, after the load cache was saved (its stamp is recorded). False
 * when it can not be written, or when a resource does not fit the format (not an error: the next
 * run loads the long way).
 */
export function writeSnapshot(file: string, root: string, input: SnapshotInput): boolean {
  const loadCache = statStamp(path.join(root, CACHE_FILE));
  if (!loadCache) return false;
  const fileIndex = new Map(input.files.map((f, i) => [f.path, i]));
  const resources: ResourceRow[] = [];
  for (const r of input.resources) {
    const i = fileIndex.get(r.source.file);
    if (i === undefined || !KINDS.includes(r.kind) || addressOf(r.kind, r.name) !== r.address) return false;
    resources.push([i, r.source.documentIndex, r.source.line, r.source.column, r.kind, r.name, r.labels, r.protect]);
  }
  const data: SnapshotData = {
    format: SNAPSHOT_FORMAT,
    context: input.context,
    validUntil: input.validUntil,
    loadCache: toRow(loadCache),
    files: {
      paths: input.files.map((f) => f.path),
      sizes: input.files.map((f) => f.stamp.size),
      mtimes: input.files.map((f) => f.stamp.mtimeMs),
      ctimes: input.files.map((f) => f.stamp.ctimeMs),
      inodes: input.files.map((f) => f.stamp.ino),
      sha256s: input.files.map((f) => f.sha256),
    },
    reads: input.reads,
    config: input.config,
    resources: JSON.stringify(resources),
    resourceCount: resources.length,
    diagnostics: input.diagnostics,
  };
  // JSON.stringify never writes a raw newline: the first one ends the head.
  const { resources: rows, ...head } = data;
  return writeAtomically(file, JSON.stringify({ ...head, resourcesLength: rows.length }) + '\n' + rows);
}

function toRow(s: FileStamp): StampRow {
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino];
}

function fromRow(r: StampRow): FileStamp {
  return { size: r[0], mtimeMs: r[1], ctimeMs: r[2], ino: r[3] };
}
