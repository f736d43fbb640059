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
}

/**
 * Synchronous: the CLI lists the project first thing, before its modules load
 * (../project-index/scan-ahead.ts), and the daemon only for a partial added or removed.
 */
export function discover(root: string): Discovered {
  const files: string[] = [];
  walk(root, CAMPAIGNS_DIR, files);
  files.sort(); // UTF-16 code units, as byCodePoint, but without a call per comparison
  const partials = new Map<string, string>();
  for (const entry of list(path.join(root, PARTIALS_DIR)).sort((a, b) => byCodePoint(a.name, b.name))) {
    if (entry.name.endsWith('.hbs') && isFileLike(entry)) {
      const name = entry.name.slice(0, -'.hbs'.length);
      partials.set(name, partialFile(name));
    }
  }
  return { files, partials };
}

function walk(root: string, rel: string, out: string[]): void {
  const entries = list(path.join(root, rel));
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) dirs.push(child);
    else if (isFileLike(entry) && /\.ya?ml$/.test(entry.name)) out.push(child);
  }
  for (const d of dirs) walk(root, d, out);
}

/** Regular files and symlinks (a symlinked folder is not followed: no cycles). */
function isFileLike(entry: Dirent): boolean {
  return entry.isFile() || entry.isSymbolicLink();
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
