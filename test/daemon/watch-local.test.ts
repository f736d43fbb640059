/**
 * `campaignctl watch` end to end in local mode: the built CLI, spawned on a temp project in a real
 * git repository, against the embedded sandbox, with its real SQLite state. An edit shows in
 * /v1/status as a pending change; with --auto-apply it is applied and recorded in state; a second
 * watch on the same state is refused and told who holds it; SIGTERM exits 0 and lets go of the
 * lease; the write endpoints answer 403 without a token and 401 with a wrong one; a file no load
 * reads (README.md, docs/) asks for no reconcile.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/open.js';
import { TempProject } from '../apply/helpers.js';
import { CliRunner } from '../cli/cli-run.js';
import { WatchProcess } from './watch-process.js';

let tp: TempProject;
const running: WatchProcess[] = [];

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd: tp.root, encoding: 'utf8' }).trim();
}

function watch(args: string[] = [], env: Record<string, string> = {}): WatchProcess {
  const w = new WatchProcess(tp.root, args, env);
  running.push(w);
  return w;
}

async function recorded(): Promise<string[]> {
  const opened = await openStateStore(tp.statePath);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    return (await opened.store.resources.list()).map((r) => r.address).sort();
  } finally {
    await opened.store.close();
  }
}

const addresses = (s: any): string[] => s.pending.map((c: any) => c.address).sort();

beforeAll(() => {
  tp = new TempProject({ provider: 'sandbox' });
  tp.write('.gitignore', '.campaignctl/\n');
  tp.campaign({ name: 'alpha', title: 'Title alpha' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'campaigns');
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.kill()));
});

afterAll(() => tp.dispose());

describe('watch, local mode', () => {
  it('plans at start, then plans an edit as soon as the file is written; SIGTERM exits 0', async () => {
    const w = watch();
    const first = await w.statusWhere((s) => s.lastReconcile?.result === 'planned');
    expect(addresses(first)).toEqual(['campaign.alpha']);
    expect(first.pending[0]).toMatchObject({ action: 'create', kind: 'Campaign', reason: 'new' });
    expect(first.lastReconcile.commit).toBe(git('rev-parse', 'HEAD'));
    expect(first.autoApply).toBe(false);

    tp.campaign({ name: 'beta', title: 'Title beta' });
    const edited = await w.statusWhere((s) => addresses(s).includes('campaign.beta'));
    expect(addresses(edited)).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(edited.lastReconcile.reason).toBe('file');
    // Without --auto-apply nothing is applied.
    expect(await recorded()).toEqual([]);
    expect((await w.get('/readyz')).status).toBe(200);

    const started = Date.now();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(w.lines.some((l) => l.msg === 'stopped')).toBe(true);
  });

  it('a second watch on the same state is refused and told who holds it', async () => {
    const w = watch();
    await w.statusWhere((s) => s.lastReconcile !== null);
    const second = await new CliRunner(tp.root, {}).run(['watch', '--listen', '127.0.0.1:0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('watch.lease-held');
    expect(second.stderr).toContain(`pid ${w.child.pid}`);
    // The first one goes on serving.
    expect((await w.get('/healthz')).status).toBe(200);
  });

  it('after kill -9 the next watch takes the dead holder\'s lease over at once', async () => {
    const killed = watch();
    await killed.statusWhere((s) => s.lastReconcile !== null);
    const dead = killed.child.pid;
    await killed.kill();
    const started = Date.now();
    const next = watch();
    const s = await next.statusWhere((x) => x.lastReconcile !== null);
    // Well inside the 35 s the dead holder's lease would still run.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(s.replica).not.toBe('');
    const second = await new CliRunner(tp.root, {}).run(['watch', '--listen', '127.0.0.1:0']);
    expect(second.stderr).toContain(`pid ${next.child.pid}`);
    expect(second.stderr).not.toContain(`pid ${dead}`);
  });

  it('with --auto-apply applies what apply --yes would, and records it in state', async () => {
    const w = watch(['--auto-apply']);
    const applied = await w.statusWhere((s) => s.lastReconcile?.result === 'applied');
    expect(applied.pending).toEqual([]);
    expect(await recorded()).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(w.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('apply create campaign.')).length).toBe(2);

    tp.campaign({ name: 'gamma', title: 'Title gamma' });
    await w.statusWhere((s) => s.lastReconcile?.reason === 'file' && s.lastReconcile.result === 'applied');
    expect(await recorded()).toEqual(['campaign.alpha', 'campaign.beta', 'campaign.gamma']);
    const metrics = (await w.get('/metrics')).body as string;
    expect(metrics).toMatch(/campaignctl_apply_changes_total\{action="create",result="applied"\} 3/);
    expect(metrics).toMatch(/campaignctl_reconcile_total\{result="applied"\} 2/);
  });

  it('POST /v1/reconcile: 403 without a configured token, 401 with a wrong one, 202 with the right one', async () => {
    const open = watch();
    await open.statusWhere((s) => s.lastReconcile !== null);
    expect((await open.post('/v1/reconcile')).status).toBe(403);
    expect(open.lines.some((l) => /CAMPAIGNCTL_API_TOKEN is not set/.test(l.msg))).toBe(true);
    open.child.kill('SIGTERM');
    expect(await open.exited).toBe(0);

    const token = 'tok-distinctive-7Qz';
    const w = watch([], { CAMPAIGNCTL_API_TOKEN: token });
    await w.statusWhere((s) => s.lastReconcile !== null);
    expect((await w.post('/v1/reconcile')).status).toBe(401);
    expect((await w.post('/v1/reconcile', { authorization: 'Bearer tok-distinctive-7Qy' })).status).toBe(401);
    expect((await w.post('/v1/reconcile', { authorization: 'Bearer short' })).status).toBe(401);
    expect((await w.post('/v1/reconcile', { authorization: `Bearer ${token}` })).status).toBe(202);
    await w.statusWhere((s) => s.lastReconcile?.reason === 'api');
    expect(w.stdout).not.toContain(token);
  });

  it('a file no load reads (README.md, docs/, notes beside the campaigns) asks for no reconcile; a resource file does', async () => {
    const w = watch(['--log-level', 'debug']);
    await w.statusWhere((s) => s.lastReconcile !== null);
    // (Editor swap files never reach the daemon: chokidar's atomic mode drops them.)
    const ignored = ['README.md', 'docs/guide.md', 'campaigns/notes.txt'];
    for (const f of ignored) tp.write(f, 'not part of the project\n');
    // chokidar reports each once its write finished; the daemon drops them.
    for (const f of ignored) await w.waitFor((l) => l.msg === 'file event ignored: not part of the project' && l.file === f);
    tp.campaign({ name: 'delta', title: 'Title delta' });
    await w.statusWhere((s) => addresses(s).includes('campaign.delta'));
    expect(w.lines.filter((l) => l.msg === 'file event').map((l) => l.file)).toEqual(['campaigns/delta.yaml']);
    // Had an ignored file asked for one, there would be two (one for it, one for delta.yaml, which came later).
    expect(w.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('reconcile (file)'))).toHaveLength(1);
  });

  it('refuses to listen on a non-loopback address without a token', async () => {
    const r = await new CliRunner(tp.root, {}).run(['watch', '--listen', '0.0.0.0:0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('watch.open-without-token');
  });
});
