/**
 * HEAD's commit of a project folder, asked of git only when what can move it moved. A long-running
 * caller (the daemon, once per file event) otherwise starts git processes for an answer that is
 * nearly always the same. What can move HEAD's commit: the HEAD file (a checkout, a detached HEAD),
 * the loose ref it names (a commit, a reset, a fetch into the branch) and packed-refs (a ref packed
 * or deleted). Those are read (small files) or stat'ed on every ask; any difference asks git again.
 * A repository whose refs are not files (reftable) is always asked.
 *
 * Only the commit: whether the tree is dirty and who authored HEAD are for ./repo.ts's gitInfo,
 * asked when something is recorded (an apply), since dirtiness moves with every edit.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { git, surelyNoRepository } from './repo.js';

export interface HeadCommit {
  isRepo: boolean;
  /** Full SHA of HEAD; null outside a repository or before the first commit. */
  commit: string | null;
}

interface GitDirs {
  /** This work tree's git directory (HEAD lives here). */
  gitDir: string;
  /** Where refs and packed-refs live (the main repository's, for a linked worktree). */
  commonDir: string;
}

export class HeadCommitReader {
  readonly #root: string;
  #dirs: GitDirs | null = null;
  #last: { stamp: string; found: HeadCommit } | null = null;
  /** How many times git was asked (for tests: an unchanged HEAD asks nothing). */
  asked = 0;

  constructor(projectRoot: string) {
    this.#root = projectRoot;
  }

  async read(): Promise<HeadCommit> {
    if (surelyNoRepository(this.#root)) {
      this.#dirs = null;
      this.#last = null;
      return { isRepo: false, commit: null };
    }
    this.#dirs ??= await this.#gitDirs();
    if (!this.#dirs) return { isRepo: false, commit: null };
    // The stamp is taken before git is asked: a move while git runs shows at the next read.
    const stamp = stampOf(this.#dirs);
    if (stamp !== null && this.#last?.stamp === stamp) return this.#last.found;
    const found = await this.#ask();
    this.#last = stamp === null ? null : { stamp, found };
    return found;
  }

  async #gitDirs(): Promise<GitDirs | null> {
    this.asked++;
    const out = await runGit(this.#root, ['rev-parse', '--absolute-git-dir', '--git-common-dir']);
    if (out === null) return null;
    const [gitDir, common] = out.split('\n');
    if (!gitDir || !common) return null;
    return { gitDir, commonDir: path.resolve(this.#root, common) };
  }

  async #ask(): Promise<HeadCommit> {
    this.asked++;
    const out = await runGit(this.#root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    // --verify fails on a repository without commits: a repository, no commit yet.
    return { isRepo: true, commit: out && /^[0-9a-f]{40,64}$/.test(out) ? out : null };
  }
}

/** What can move HEAD's commit, as one string; null when refs are not plain files (always ask git). */
function stampOf({ gitDir, commonDir }: GitDirs): string | null {
  const head = readOrNull(path.join(gitDir, 'HEAD'));
  if (head === null || stat(path.join(commonDir, 'reftable')) !== 'absent') return null;
  const packed = stat(path.join(commonDir, 'packed-refs'));
  const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
  // A symbolic HEAD: its loose ref's content (absent when only packed). A detached HEAD is its SHA.
  const loose = ref ? (readOrNull(path.join(commonDir, ref)) ?? readOrNull(path.join(gitDir, ref)) ?? 'absent') : '';
  return `${head}\n${loose}\n${packed}`;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function stat(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'absent';
  }
}

/** git's trimmed stdout, or null when it fails (not a repository, no such revision). */
async function runGit(cwd: string, args: string[]): Promise<string | null> {
  try {
    return await (await git(cwd)).raw(args);
  } catch {
    return null;
  }
}
