/**
 * Which files make up the project: campaigns/**\/*.{yaml,yml}, skipping every file and folder
 * whose name starts with `_` (partials and data), plus the Handlebars partials in
 * campaigns/_partials/*.hbs. Paths are relative to the root with forward slashes, sorted by code
 * point so output never depends on the file system's order.
 */
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { CAMPAIGNS_DIR } from './root.js';

export const PARTIALS_DIR = `${CAMPAIGNS_DIR}/_partials`;

/** Where the partial `name` lives, relative to the root. */
export function partialFile(name: string): string {
  return `${PARTIALS_DIR}/${name}.hbs`;
}

/**
 * The absolute path of a clean project-relative path (one discover() lists, campaignctl.yaml, a
 * partial): joined without path.join's normalizing, which such a path does not need and which
 * costs as much as a stat on 10,000 files.
 */
export function inProject(root: string, file: string): string {
  return root + path.sep + file;
}

export interface Discovered {
  /** Resource files, relative to the root. */
  files: string[];
  /** Partial name -> file relative to the root. */
  partials: Map<string, string>;
  /**
   * Folders that could not be listed (not ones that are missing), relative to the root, and why:
   * errors for the loader to report (file.unlistable-folder), never silence, since a resource
   * whose file can not be seen would be planned as removed.
   */
  unlisted: Unlisted[];
}

export interface Unlisted {
  folder: string;
  detail: string;
}

/**
 * Synchronous: the CLI lists the project first thing, before its modules load
 * (../project-index/scan-ahead.ts); the daemon lists it as it loads, then only when a partial
 * comes or goes (~20-30 ms for 10,000 files).
 */
export function discover(root: string): Discovered {
  const files: string[] = [];
  const unlisted: Unlisted[] = [];
  walk(root, CAMPAIGNS_DIR, files, unlisted);
  files.sort(); // UTF-16 code units, as byCodePoint, but without a call per comparison
  const partials = new Map<string, string>();
  for (const entry of list(root, PARTIALS_DIR, unlisted).sort((a, b) => byCodePoint(a.name, b.name))) {
    if (entry.name.endsWith('.hbs') && isFileLike(entry)) {
      const name = entry.name.slice(0, -'.hbs'.length);
      partials.set(name, partialFile(name));
    }
  }
  return { files, partials, unlisted };
}

function walk(root: string, rel: string, out: string[], unlisted: Unlisted[]): void {
  const entries = list(root, rel, unlisted);
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) dirs.push(child);
    else if (isFileLike(entry) && /\.ya?ml$/.test(entry.name)) out.push(child);
  }
  for (const d of dirs) walk(root, d, out, unlisted);
}

/** Regular files and symlinks (a symlinked folder is not followed: no cycles). */
function isFileLike(entry: Dirent): boolean {
  return entry.isFile() || entry.isSymbolicLink();
}

/** The entries of the folder `rel` (relative to the root); none when it is missing, none and an entry in `unlisted` when it can not be listed. */
function list(root: string, rel: string, unlisted: Unlisted[]): Dirent[] {
  try {
    return readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    unlisted.push({ folder: rel, detail: e.message });
    return [];
  }
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
