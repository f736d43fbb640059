/**
 * What `campaignctl init` writes: the package's own campaignctl.yaml, one example per kind from its
 * campaigns/ (the same files the repository validates, so there is one source of truth), and a
 * copy of schemas/ so that the examples' `# yaml-language-server: $schema=...` modelines resolve
 * inside the new project and editors validate and complete offline. Plus a `.campaignctl/` line in
 * .gitignore. Nothing is ever overwritten: any existing target makes the whole run a no-op.
 */
import { constants } from 'node:fs';
import { appendFile, copyFile, lstat, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../config/package-dir.js';
import { CAMPAIGNS_DIR, isProjectRoot } from '../config/root.js';

/** The examples init copies, relative to the package root: one per kind, and what they use. */
export const EXAMPLE_FILES = [
  'campaignctl.yaml',
  'campaigns/marketing/new-season-push.yaml',
  'campaigns/messages/order-shipped.yaml',
  'campaigns/triggers/subscription-upgraded.yaml',
  'campaigns/bulletins/album-released.yaml',
  'campaigns/schedules/weekly-digest.yaml',
  'campaigns/_partials/email-footer.hbs',
] as const;

export const GITIGNORE_ENTRY = '.campaignctl/';

/** A file to create: `target` relative to the new project (forward slashes), `source` absolute. */
export interface ScaffoldEntry {
  target: string;
  source: string;
}

export type GitignoreChange = 'created' | 'appended' | 'unchanged';

export type InitResult =
  | { ok: true; dir: string; created: string[]; schemas: string[]; gitignore: GitignoreChange }
  /** `conflicts`: existing paths (relative to `dir`) that a scaffold file would overwrite. */
  | { ok: false; dir: string; conflicts: string[] }
  /**
   * `dir` is inside the project at `parent`. `inCampaigns`: inside its campaigns/ folder, where the
   * new files would become the parent's resources (refused even with `nested`).
   */
  | { ok: false; dir: string; parent: string; inCampaigns: boolean };

export interface InitOptions {
  /** Scaffold inside another project anyway (`init --nested`), unless inside its campaigns/. */
  nested?: boolean;
}

export async function scaffoldEntries(root: string = packageRoot()): Promise<ScaffoldEntry[]> {
  const schemas = (await readdir(path.join(root, 'schemas'))).filter((f) => f.endsWith('.schema.json')).sort();
  return [
    ...EXAMPLE_FILES.map((file) => ({ target: file, source: path.join(root, file) })),
    ...schemas.map((file) => ({ target: `schemas/${file}`, source: path.join(root, 'schemas', file) })),
  ];
}

export async function initProject(dir: string, root: string = packageRoot(), opts: InitOptions = {}): Promise<InitResult> {
  const target = path.resolve(dir);
  const parent = enclosingProject(target);
  if (parent !== undefined) {
    const inCampaigns = isInside(target, path.join(parent, CAMPAIGNS_DIR));
    if (inCampaigns || !opts.nested) return { ok: false, dir: target, parent, inCampaigns };
  }
  const entries = await scaffoldEntries(root);
  const conflicts = await findConflicts(target, entries);
  if (conflicts.length > 0) return { ok: false, dir: target, conflicts };

  for (const entry of entries) {
    const destination = path.join(target, ...entry.target.split('/'));
    await mkdir(path.dirname(destination), { recursive: true });
    // COPYFILE_EXCL: should a file appear between the check and now, fail rather than overwrite.
    await copyFile(entry.source, destination, constants.COPYFILE_EXCL);
  }
  const gitignore = await ensureGitignoreEntry(target);
  const isSchema = (t: string): boolean => t.startsWith('schemas/');
  return {
    ok: true,
    dir: target,
    created: entries.filter((e) => !isSchema(e.target)).map((e) => e.target),
    schemas: entries.filter((e) => isSchema(e.target)).map((e) => e.target),
    gitignore,
  };
}

/**
 * The nearest project above `dir` (not `dir` itself: an existing project there is a conflict). A
 * project inside it would take over every command run below it, and inside its campaigns/ its
 * files would be read as the parent's resources.
 */
function enclosingProject(dir: string): string | undefined {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (isProjectRoot(d)) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

function isInside(child: string, folder: string): boolean {
  const rel = path.relative(folder, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Existing targets, and existing non-folders where a target needs a folder. */
async function findConflicts(dir: string, entries: ScaffoldEntry[]): Promise<string[]> {
  const found = new Set<string>();
  if ((await kindOf(dir)) === 'other') return ['.'];
  for (const entry of entries) {
    const parts = entry.target.split('/');
    let blocked = false;
    for (let i = 1; i < parts.length && !blocked; i++) {
      blocked = (await kindOf(path.join(dir, ...parts.slice(0, i)))) === 'other';
      if (blocked) found.add(parts.slice(0, i).join('/'));
    }
    if (!blocked && (await kindOf(path.join(dir, ...parts))) !== 'missing') found.add(entry.target);
  }
  return [...found].sort();
}

async function kindOf(p: string): Promise<'missing' | 'directory' | 'other'> {
  try {
    return (await lstat(p)).isDirectory() ? 'directory' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/** Adds `.campaignctl/` to .gitignore unless an equivalent line is already there. */
async function ensureGitignoreEntry(dir: string): Promise<GitignoreChange> {
  const file = path.join(dir, '.gitignore');
  let existing: string;
  try {
    existing = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await writeFile(file, `# campaignctl state and sandbox data\n${GITIGNORE_ENTRY}\n`, { flag: 'wx' });
    return 'created';
  }
  const equivalent = new Set(['.campaignctl', '.campaignctl/', '/.campaignctl', '/.campaignctl/']);
  if (existing.split(/\r?\n/).some((line) => equivalent.has(line.trim()))) return 'unchanged';
  const separator = existing.length === 0 || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}# campaignctl state and sandbox data\n${GITIGNORE_ENTRY}\n`);
  return 'appended';
}
