/**
 * What an --auto-apply records about git in local mode, in-process against the emulator on a real
 * temp repository: the daemon's plans ask git only for HEAD's commit (not the dirty flag: that would
 * run `git status` on every file event), so the apply must ask for the full facts itself. An apply
 * from a tree with uncommitted edits records dirty; after a commit, the new commit and a clean tree.
 */
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon } from '../../src/daemon/daemon.js';
import { openStateStore } from '../../src/state/open.js';
import type { AuditEntry } from '../../src/state/store.js';
import { ACCOUNT, emulator, PASSCODE, TempProject } from '../apply/helpers.js';
import { statusWhere } from './status-where.js';

const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function git(tp: TempProject, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd: tp.root, encoding: 'utf8' }).trim();
}

async function auditOf(tp: TempProject, address: string): Promise<AuditEntry[]> {
  const opened = await openStateStore(tp.statePath);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    return await opened.store.audit.list({ address });
  } finally {
    await opened.store.close();
  }
}

describe('--auto-apply in a git repository', () => {
  it('records the commit and whether the tree was dirty, as they were when it applied', async () => {
    const emu = await emulator();
    cleanup.push(() => emu.close());
    const tp = new TempProject();
    cleanup.push(() => tp.dispose());
    tp.write('.gitignore', '.campaignctl/\n');
    tp.campaign({ name: 'alpha', title: 'Title alpha' });
    git(tp, 'init', '-q');
    git(tp, 'add', '.');
    git(tp, 'commit', '-qm', 'alpha');
    const first = git(tp, 'rev-parse', 'HEAD');
    // An uncommitted edit: the apply is from a dirty tree.
    tp.campaign({ name: 'alpha', title: 'Title alpha, edited' });

    const daemon = await startDaemon({
      dir: tp.root,
      listen: { host: '127.0.0.1', port: 0 },
      autoApply: true,
      logFormat: 'json',
      shutdownTimeoutMs: 10_000,
      environ: { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE },
      logDestination: new PassThrough().resume(),
    });
    cleanup.push(async () => void (await daemon.stop()));
    const applied = await statusWhere(daemon, (s) => s.lastReconcile?.result === 'applied');
    expect(applied.lastReconcile!.commit).toBe(first);
    const [alpha] = await auditOf(tp, 'campaign.alpha');
    expect(alpha).toMatchObject({ action: 'create', commit: first, author: 'Test Author <author@example.com>', dirty: true });

    // Committed: the next apply (a new campaign, committed with it) records the new HEAD, clean.
    tp.campaign({ name: 'beta', title: 'Title beta' });
    git(tp, 'add', '.');
    git(tp, 'commit', '-qm', 'beta');
    const second = git(tp, 'rev-parse', 'HEAD');
    // (The watcher's file event asks for the reconcile that applies beta.)
    await statusWhere(daemon, (s) => s.lastReconcile?.commit === second && s.lastReconcile.result === 'applied');
    const [beta] = await auditOf(tp, 'campaign.beta');
    expect(beta).toMatchObject({ action: 'create', commit: second, dirty: false });
  });
});
