/**
 * HeadCommitReader against real temp repositories: it answers HEAD's commit as git does after
 * every way HEAD can move (a commit, a checkout, a detached HEAD, packed refs, a reset), and asks
 * git nothing while HEAD stands (edits to the files do not move it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HeadCommitReader } from '../../src/git/head-commit.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'cc-head-'));
  dirs.push(d);
  return d;
}
function run(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' },
  }).trim();
}
function commit(dir: string, text: string): string {
  writeFileSync(path.join(dir, 'a.yaml'), text);
  run(dir, 'add', '.');
  run(dir, 'commit', '-q', '-m', text);
  return run(dir, 'rev-parse', 'HEAD');
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('HeadCommitReader', () => {
  it('says a folder outside git is no repository, without asking git', async () => {
    const reader = new HeadCommitReader(tempDir());
    expect(await reader.read()).toEqual({ isRepo: false, commit: null });
    expect(reader.asked).toBe(0);
  });

  it('says a repository without commits has no commit, then sees the first', async () => {
    const dir = tempDir();
    run(dir, 'init', '-q', '-b', 'main');
    const reader = new HeadCommitReader(dir);
    expect(await reader.read()).toEqual({ isRepo: true, commit: null });
    const first = commit(dir, 'one');
    expect(await reader.read()).toEqual({ isRepo: true, commit: first });
  });

  it('asks git nothing while HEAD stands, however the files change', async () => {
    const dir = tempDir();
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
    const dir = tempDir();
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
