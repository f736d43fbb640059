/**
 * The git facts a plan needs. A plan records nothing: its output and a saved plan file carry only
 * HEAD's commit (a saved plan is refused once HEAD moved). The dirty flag and HEAD's author are
 * what records carry (the journal, the audit), and asking for them is `git status` over the whole
 * tree: 150-400 ms on 10,000 files, on every plan. So a plan asks git for HEAD's commit only,
 * unless it will record: a plan settles open journal rows (an apply that was cut off), and those
 * are recorded with the full facts, as an apply records.
 */
import { HeadCommitReader, type HeadCommit } from '../git/head-commit.js';
import { gitInfo, type GitInfo } from '../git/repo.js';
import type { StateStore } from '../state/store.js';

export function readHeadCommit(projectRoot: string): Promise<HeadCommit> {
  return new HeadCommitReader(projectRoot).read();
}

export async function planningGit(projectRoot: string, store: StateStore, headCommit: Promise<HeadCommit>): Promise<GitInfo> {
  if ((await store.journal.listOpen()).length > 0) return gitInfo(projectRoot);
  return { ...(await headCommit), author: null, dirty: false };
}
