import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFilesSince, gitInfo, GitRevisionError, surelyNoRepository } from '../../src/git/repo.js';
import { run, tempDir } from './temp-git.js';

function repoWithCommit(): string {
  const dir = tempDir('cc-git-');
  run(dir, 'init', '-q', '-b', 'main');
  mkdirSync(path.join(dir, 'campaigns'));
  writeFileSync(path.join(dir, 'campaigns', 'a.yaml'), 'a: 1\n');
  writeFileSync(path.join(dir, 'campaigns', 'b.yaml'), 'b: 1\n');
  run(dir, 'add', '.');
  run(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

describe('gitInfo', () => {
  it('reports a folder that is not a repository without failing', async () => {
    expect(await gitInfo(tempDir('cc-git-'))).toEqual({ isRepo: false, commit: null, author: null, dirty: false });
  });

  it('reads HEAD, its author and whether the tree is dirty', async () => {
    const dir = repoWithCommit();
    const clean = await gitInfo(dir);
    expect(clean.commit).toBe(run(dir, 'rev-parse', 'HEAD'));
    expect(clean.author).toBe('Ada <ada@example.com>');
    expect(clean.dirty).toBe(false);
    writeFileSync(path.join(dir, 'campaigns', 'a.yaml'), 'a: 2\n');
    expect((await gitInfo(dir)).dirty).toBe(true);
  });

  it('leaves git alone only where no repository can be: no .git above, no GIT_DIR', async () => {
    const plain = tempDir('cc-git-');
    expect(surelyNoRepository(plain, {})).toBe(true);
    expect(surelyNoRepository(plain, { GIT_DIR: '/elsewhere/.git' })).toBe(false);
    const repo = repoWithCommit();
    const nested = path.join(repo, 'campaigns');
    expect(surelyNoRepository(nested, {})).toBe(false);
    expect(await gitInfo(nested)).toMatchObject({ isRepo: true, commit: run(repo, 'rev-parse', 'HEAD') });
    const worktree = tempDir('cc-git-');
    writeFileSync(path.join(worktree, '.git'), `gitdir: ${path.join(repo, '.git')}\n`);
    expect(surelyNoRepository(worktree, {})).toBe(false);
  });

  it('has no commit in a fresh repository', async () => {
    const dir = tempDir('cc-git-');
    run(dir, 'init', '-q');
    expect(await gitInfo(dir)).toMatchObject({ isRepo: true, commit: null });
  });
});

describe('changedFilesSince', () => {
  it('lists modified, untracked and deleted files relative to the project root', async () => {
    const dir = repoWithCommit();
    const base = run(dir, 'rev-parse', 'HEAD');
    writeFileSync(path.join(dir, 'campaigns', 'a.yaml'), 'a: 2\n');
    rmSync(path.join(dir, 'campaigns', 'b.yaml'));
    writeFileSync(path.join(dir, 'campaigns', 'c.yaml'), 'c: 1\n');
    expect(await changedFilesSince(dir, base)).toEqual({
      changed: ['campaigns/a.yaml', 'campaigns/c.yaml'],
      deleted: ['campaigns/b.yaml'],
    });
  });

  it('works when the project is a subfolder of the repository', async () => {
    const dir = repoWithCommit();
    const base = run(dir, 'rev-parse', 'HEAD');
    writeFileSync(path.join(dir, 'campaigns', 'a.yaml'), 'a: 3\n');
    writeFileSync(path.join(dir, 'outside.txt'), 'x\n');
    expect(await changedFilesSince(path.join(dir, 'campaigns'), base)).toEqual({ changed: ['a.yaml'], deleted: [] });
  });

  it('names an unknown revision', async () => {
    const dir = repoWithCommit();
    await expect(changedFilesSince(dir, 'no-such-branch')).rejects.toBeInstanceOf(GitRevisionError);
  });
});
