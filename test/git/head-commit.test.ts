/**
 * HeadCommitReader against real temp repositories: it answers HEAD's commit as git does after
 * every way HEAD can move (a commit, a checkout, a detached HEAD, packed refs, a reset), and asks
 * git nothing while HEAD stands (edits to the files do not move it).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeadCommitReader } from '../../src/git/head-commit.js';
import { run, tempDir } from './temp-git.js';

function commit(dir: string, text: string): string {
  writeFileSync(path.join(dir, 'a.yaml'), text);
  run(dir, 'add', '.');
  run(dir, 'commit', '-q', '-m', text);
  return run(dir, 'rev-parse', 'HEAD');
}

describe('HeadCommitReader', () => {
  it('says a folder outside git is no repository, without asking git', async () => {
    const reader = new HeadCommitReader(tempDir('cc-head-'));
    expect(await reader.read()).toEqual({ isRepo: false, commit: null });
    expect(reader.asked).toBe(0);
  });

  it('says a repository without commits has no commit, then sees the first', async () => {
    const dir = tempDir('cc-head-');
    run(dir, 'init', '-q', '-b', 'main');
    const reader = new HeadCommitReader(dir);
    expect(await reader.read()).toEqual({ isRepo: true, commit: null });
    const first = commit(dir, 'one');
    expect(await reader.read()).toEqual({ isRepo: true, commit: first });
  });

  it('asks git nothing while HEAD stands, however the files change', async () => {
    const dir = tempDir('cc-head-');
    run(dir, 'init', '-q', '-b', 'main');
    const first = commit(dir, 'one');
    const reader = new HeadCommitReader(dir);
    expect((await reader.read()).commit).toBe(first);
    const asked = reader.asked;
    writeFileSync(path.join(dir, 'a.yaml'), 'edited, not committed');
    run(dir, 'add', '.');
    expect((await reader.read()).commit).toBe(first);
    expect(reader.asked).toBe(asked);
  });

  it('follows HEAD through commits, branches, a detached HEAD, packed refs and a reset', async () => {
    const dir = tempDir('cc-head-');
    run(dir, 'init', '-q', '-b', 'main');
    const reader = new HeadCommitReader(dir);
    const one = commit(dir, 'one');
    expect((await reader.read()).commit).toBe(one);
    const two = commit(dir, 'two');
    expect((await reader.read()).commit).toBe(two);
    run(dir, 'checkout', '-q', '-b', 'side', one);
    expect((await reader.read()).commit).toBe(one);
    const three = commit(dir, 'three');
    expect((await reader.read()).commit).toBe(three);
    run(dir, 'checkout', '-q', '--detach', two);
    expect((await reader.read()).commit).toBe(two);
    run(dir, 'checkout', '-q', 'main');
    run(dir, 'pack-refs', '--all', '--prune');
    expect((await reader.read()).commit).toBe(two);
    // A branch whose ref was only packed gets a loose one again.
    run(dir, 'update-ref', '--no-deref', 'refs/heads/side', two);
    run(dir, 'checkout', '-q', 'side');
    expect((await reader.read()).commit).toBe(two);
    run(dir, 'reset', '-q', '--hard', one);
    expect((await reader.read()).commit).toBe(one);
    expect(run(dir, 'rev-parse', 'HEAD')).toBe(one);
  });
});
