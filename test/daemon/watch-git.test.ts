/**
 * `campaignctl watch` in git mode, end to end: a temp bare repository as the remote, a clone that
 * pushes to it, and the built CLI following its branch from another folder. The daemon plans the
 * commit it checked out, then a new pushed commit within a poll, exactly as committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../apply/helpers.js';
import { WatchProcess } from './watch-process.js';

let tp: TempProject;
let base: string;
let remote: string;
let w: WatchProcess | undefined;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'campaignctl-watch-git-'));
  remote = path.join(base, 'remote.git');
  git(base, 'init', '-q', '--bare', '-b', 'main', remote);
  tp = new TempProject({ provider: 'sandbox' });
  tp.write('.gitignore', '.campaignctl/\n');
  tp.campaign({ name: 'alpha', title: 'Title alpha' });
  git(tp.root, 'init', '-q', '-b', 'main');
  git(tp.root, 'add', '.');
  git(tp.root, 'commit', '-qm', 'alpha');
  git(tp.root, 'remote', 'add', 'origin', remote);
  git(tp.root, 'push', '-q', 'origin', 'main');
});

afterAll(async () => {
  await w?.kill();
  tp.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('watch, git mode', () => {
  it('follows the branch: plans the commit checked out, then a newly pushed one', async () => {
    const workDir = path.join(base, 'work');
    w = new WatchProcess(base, ['--git-remote', `file://${remote}`, '--branch', 'main', '--interval', '1s', '--work-dir', workDir]);
    const first = await w.statusWhere((s) => s.lastReconcile?.result === 'planned');
    expect(first.source).toMatchObject({ mode: 'git', branch: 'main', remote: `file://${remote}`, lastFetchError: null });
    expect(first.lastReconcile.commit).toBe(git(tp.root, 'rev-parse', 'HEAD'));
    expect(first.pending.map((c: any) => c.address)).toEqual(['campaign.alpha']);

    tp.campaign({ name: 'beta', title: 'Title beta' });
    // A file the daemon must not see: never committed.
    tp.campaign({ name: 'uncommitted', title: 'Never committed' });
    git(tp.root, 'add', 'campaigns/beta.yaml');
    git(tp.root, 'commit', '-qm', 'beta');
    git(tp.root, 'push', '-q', 'origin', 'main');
    const head = git(tp.root, 'rev-parse', 'HEAD');
    const next = await w.statusWhere((s) => s.lastReconcile?.commit === head, 20_000);
    expect(next.pending.map((c: any) => c.address).sort()).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(existsSync(path.join(workDir, 'checkout', 'campaigns', 'beta.yaml'))).toBe(true);
    expect(existsSync(path.join(workDir, 'checkout', 'campaigns', 'uncommitted.yaml'))).toBe(false);
    expect((await w.get('/metrics')).body).toMatch(/campaignctl_git_fetch_total\{result="changed"\} 2/);

    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});
