/**
 * The git adapter: the only module that talks to git. Records which commit a change was applied
 * from, and which files changed since a revision (plan --changed-since). A folder that is not a git
 * repository is fine: it is reported as such, never as an error.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';

export interface GitInfo {
  isRepo: boolean;
  /** Full SHA of HEAD; null outside a repo or before the first commit. */
  commit: string | null;
  /** HEAD's author as `Name <email>`. */
  author: string | null;
  /** Uncommitted changes exist below the project root. */
  dirty: boolean;
}

export interface ChangedFiles {
  /** Paths relative to the project root, forward slashes: added, modified or renamed-to. */
  changed: string[];
  /** Paths relative to the project root that existed at REV and are gone now. */
  deleted: string[];
}

export class GitRevisionError extends Error {
  constructor(readonly revision: string) {
    super(`git does not know the revision "${revision}"`);
    this.name = 'GitRevisionError';
  }
}

/** simple-git, loaded on first use: a project outside any repository never needs it. */
export async function git(dir: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: dir, maxConcurrentProcesses: 2, trimmed: true });
}

/**
 * Certainly not inside a git work tree: no `.git` (folder, or file of a worktree or submodule) in
 * this folder or any above, and no GIT_DIR saying where one is. Anything else is for git to answer.
 */
export function surelyNoRepository(dir: string, environ: Record<string, string | undefined> = process.env): boolean {
  if (environ.GIT_DIR) return false;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return false;
    if (path.dirname(d) === d) return true;
  }
}

export async function gitInfo(projectRoot: string): Promise<GitInfo> {
  if (surelyNoRepository(projectRoot)) return { isRepo: false, commit: null, author: null, dirty: false };
  const g = await git(projectRoot);
  const isRepo = await g.checkIsRepo().catch(() => false);
  if (!isRepo) return { isRepo: false, commit: null, author: null, dirty: false };
  let commit: string | null = null;
  let author: string | null = null;
  try {
    const head = await g.log({ maxCount: 1 });
    if (head.latest) {
      commit = head.latest.hash;
      author = `${head.latest.author_name} <${head.latest.author_email}>`;
    }
  } catch {
    // A repository without commits has no HEAD: commit stays null.
  }
  const status = await g.status(['--', '.']);
  return { isRepo: true, commit, author, dirty: !status.isClean() };
}

/**
 * Files under the project root that differ between `revision` and the working tree, including
 * uncommitted and untracked files, so a plan scoped to "what this branch touched" sees local edits.
 */
export async function changedFilesSince(projectRoot: string, revision: string): Promise<ChangedFiles> {
  const g = await git(projectRoot);
  const top = await g.revparse(['--show-toplevel']);
  try {
    await g.raw(['rev-parse', '--verify', `${revision}^{commit}`]);
  } catch {
    throw new GitRevisionError(revision);
  }
  const prefix = path.relative(top, projectRoot).split(path.sep).join('/');
  const toProjectPath = (p: string): string | undefined => {
    if (!prefix) return p;
    return p.startsWith(prefix + '/') ? p.slice(prefix.length + 1) : undefined;
  };
  const nameStatus = await g.raw(['diff', '--name-status', '--no-renames', revision, '--', '.']);
  const untracked = await g.raw(['ls-files', '--others', '--exclude-standard', '--full-name', '--', '.']);
  const changed = new Set<string>();
  const deleted = new Set<string>();
  for (const line of nameStatus.split('\n')) {
    const [status, file] = line.split('\t');
    if (!status || !file) continue;
    const rel = toProjectPath(file);
    if (rel === undefined) continue;
    (status.startsWith('D') ? deleted : changed).add(rel);
  }
  for (const file of untracked.split('\n')) {
    const rel = file ? toProjectPath(file) : undefined;
    if (rel) changed.add(rel);
  }
  return { changed: [...changed].sort(), deleted: [...deleted].sort() };
}
