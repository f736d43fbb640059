/**
 * plan / apply / drift end to end: the built CLI, spawned, against the CleverTap emulator served on
 * a loopback port (the `clevertap` provider path: CLEVERTAP_API_URL + credentials from the
 * environment), a temp project in a real git repository and a real SQLite state file.
 * create -> no-op -> edit (replace) -> remove (stop) -> remove a finished one (forget) -> a
 * dashboard stop shows as drift; saved plans applied exactly or refused when stale; the passcode
 * never appears anywhere. Two applies at once are in state-lock.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { openStateStore } from '../../src/state/open.js';
import { markerOf } from '../../src/apply/marker.js';
import { emulator, TempProject, ACCOUNT } from '../apply/helpers.js';
import { CliRunner } from './cli-run.js';

/** Distinctive, so a leak anywhere is found by a plain substring search. */
const SECRET = 'pc-Zq8!e2e-distinctive-passcode';

let tp: TempProject;
let emu: SandboxHandle;
let cli: CliRunner;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd: tp.root, encoding: 'utf8' }).trim();
}

async function stateRows() {
  const opened = await openStateStore(tp.statePath);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    return { resources: await opened.store.resources.list(), audit: await opened.store.audit.list({ limit: 1000 }), serial: await opened.store.serial() };
  } finally {
    await opened.store.close();
  }
}

const campaignsOf = (title: string) => emu.state.campaigns().filter((c) => c.name.startsWith(`${title} [cc:`));

beforeAll(async () => {
  emu = await emulator({ passcode: SECRET });
  tp = new TempProject();
  tp.write('.gitignore', '.campaignctl/\n*.plan.json\n');
  for (const n of ['alpha', 'beta', 'gamma', 'delta']) tp.campaign({ name: n, title: `Title ${n}` });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'campaigns');
  cli = new CliRunner(tp.root, { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: SECRET });
});

afterAll(async () => {
  await emu.close();
  tp.dispose();
});

describe('plan and apply, step by step', () => {
  it('plans the creates with estimates; exit 2 with --detailed-exitcode', async () => {
    const r = await cli.run(['plan', '--detailed-exitcode']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Plan for environment test');
    expect(r.stdout).not.toContain('sandbox');
    expect(r.stdout).toMatch(/\+ campaign\.alpha +create +new .*about [\d.]+K users/);
    expect(r.stdout).toContain('Plan: 4 to create');
    expect(emu.state.campaigns()).toHaveLength(0);
  });

  it('apply without a terminal and without --yes refuses and changes nothing', async () => {
    const r = await cli.run(['apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no terminal to ask on');
    expect(emu.state.campaigns()).toHaveLength(0);
    expect((await stateRows()).resources).toEqual([]);
  });

  it('a mistyped --target is an error naming the closest address: plan exits 1, apply --yes creates nothing', async () => {
    const planned = await cli.run(['plan', '--no-estimate', '--target', 'campaign.alpah']);
    expect(planned.code).toBe(1);
    const said = planned.stdout + planned.stderr;
    expect(said).toContain('--target campaign.alpah names no resource in the YAML or in state');
    expect(said).toContain('did you mean `campaign.alpha`?');
    const applied = await cli.run(['apply', '--yes', '--no-estimate', '--target', 'campaign.alpah', '--target', 'campaign.beta']);
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toContain('plan.target-unknown');
    expect(emu.state.campaigns()).toHaveLength(0);
    expect((await stateRows()).resources).toEqual([]);
  });

  it('apply --yes creates each campaign once, named with its marker, recorded with the commit', async () => {
    const r = await cli.run(['apply', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete');
    expect(r.stdout).toContain('4 applied, 0 failed, 0 skipped');
    const { resources, audit } = await stateRows();
    const head = git('rev-parse', 'HEAD');
    expect(resources.map((x) => x.address)).toEqual(['campaign.alpha', 'campaign.beta', 'campaign.delta', 'campaign.gamma']);
    for (const row of resources) {
      const [c] = campaignsOf(`Title ${row.address.slice('campaign.'.length)}`);
      expect(c!.id).toBe(row.remoteId);
      expect(markerOf(c!.name)).not.toBeNull();
      expect(row.commit).toBe(head);
      expect(row.author).toBe('Test Author <author@example.com>');
    }
    expect(audit.every((a) => a.commit === head && a.dirty === false && a.command === 'apply')).toBe(true);
  });

  it('a second plan says No changes. (exit 0 with --detailed-exitcode), answered by the record the apply left', async () => {
    const r = await cli.run(['--verbose', 'plan', '--detailed-exitcode', '--no-estimate']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().endsWith('No changes.')).toBe(true);
    expect(r.stderr).toContain('(of the no-change record)');
  });

  it('a third plan is answered by the no-change record: the same output, CleverTap still asked, state rows unread', async () => {
    const second = await cli.run(['plan', '--detailed-exitcode', '--no-estimate']);
    const lists = emu.state.requests({ family: 'list' }).length;
    const third = await cli.run(['--verbose', 'plan', '--detailed-exitcode', '--no-estimate']);
    expect(third.code).toBe(0);
    expect(third.stdout).toBe(second.stdout);
    expect(third.stderr).toContain('no-change record: made on this configuration and state');
    expect(third.stderr).toContain('(of the no-change record)');
    expect(emu.state.requests({ family: 'list' }).length).toBeGreaterThan(lists);
  });

  it('a plan asks git for HEAD\'s commit only, never `git status` over the tree; an apply asks for the dirty flag and author it records', async () => {
    // git's own trace lists every git command a run started. It is set in a global config (git
    // reads trace2 settings from no other), under a HOME of the run's own; simple-git keeps GIT_*
    // variables from the environment away from git.
    const home = mkdtempSync(path.join(tmpdir(), 'campaignctl-git-home-'));
    const trace = path.join(home, 'trace.log');
    writeFileSync(path.join(home, '.gitconfig'), `[trace2]\n\tnormalTarget = ${trace}\n`);
    const commandsOf = async (args: string[]): Promise<string[]> => {
      const r = await cli.run(args, { env: { HOME: home } });
      expect(r.code, r.stderr).toBeLessThan(2 + 1);
      const text = readFileSync(trace, 'utf8');
      rmSync(trace);
      return [...text.matchAll(/cmd_name (\S+)/g)].map((m) => m[1]!);
    };
    // Untracked: the tree is dirty, and the plan has nothing to do.
    tp.write('notes.txt', 'not committed\n');
    const planned = await commandsOf(['plan', '--no-estimate', '--out', 'p.plan.json']);
    expect(planned).toContain('rev-parse');
    expect(planned).not.toContain('status');
    expect(planned).not.toContain('log');
    expect(JSON.parse(readFileSync(path.join(tp.root, 'p.plan.json'), 'utf8')).commit).toBe(git('rev-parse', 'HEAD'));
    rmSync(path.join(tp.root, 'p.plan.json'));
    const applied = await commandsOf(['apply', '--yes']);
    expect(applied).toContain('status');
    rmSync(path.join(tp.root, 'notes.txt'));
    rmSync(home, { recursive: true, force: true });
  });

  it('an edit replaces: the new campaign is created, then the old one stopped', async () => {
    const oldId = campaignsOf('Title alpha')[0]!.id;
    tp.campaign({ name: 'alpha', title: 'Title alpha', body: 'A better offer' });
    const r = await cli.run(['apply', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/-\/\+ campaign\.alpha +replace/);
    expect(r.stdout).toContain('content.body');
    const alpha = campaignsOf('Title alpha');
    expect(alpha.map((c) => c.status).sort()).toEqual(['pending', 'stopped']);
    expect(alpha.find((c) => c.status === 'stopped')!.id).toBe(oldId);
    expect(emu.state.requests({ family: 'create' }).map((q) => q.body as { estimate_only?: boolean }).filter((b) => !b.estimate_only)).toHaveLength(5);
    const { audit } = await stateRows();
    expect(audit.find((a) => a.address === 'campaign.alpha' && a.action === 'replace')!.dirty).toBe(true);
  });

  it('removing a file stops its campaign; removing a finished one only forgets it', async () => {
    const stopsBefore = emu.state.requests({ family: 'stop' }).length;
    emu.state.markCompleted(campaignsOf('Title gamma')[0]!.id);
    tp.remove('campaigns/beta.yaml');
    tp.remove('campaigns/gamma.yaml');
    const r = await cli.run(['apply', '--yes', '--allow-mass-stop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/- campaign\.beta +stop +removed/);
    expect(r.stdout).toMatch(/x campaign\.gamma +forget +finished/);
    expect(campaignsOf('Title beta')[0]!.status).toBe('stopped');
    expect(emu.state.requests({ family: 'stop' }).length).toBe(stopsBefore + 1);
    expect((await stateRows()).resources.map((x) => x.address)).toEqual(['campaign.alpha', 'campaign.delta']);
  });

  it('a stop on the dashboard is drift: drift exits 2, plan shows it and changes nothing', async () => {
    emu.state.dashboardStop(campaignsOf('Title delta')[0]!.id);
    const drift = await cli.run(['drift', '--detailed-exitcode', '--json']);
    expect(drift.code).toBe(2);
    expect(JSON.parse(drift.stdout).drift).toMatchObject([{ address: 'campaign.delta', expected: 'scheduled', actual: 'stopped' }]);
    const plan = await cli.run(['--verbose', 'plan', '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    // The apply before recorded the plan after it; CleverTap now answers otherwise, so it is planned.
    expect(plan.stderr).toContain('no-change record: made on this configuration and state');
    expect(plan.stdout).toContain('Drift (changed on CleverTap outside campaignctl)');
    expect(plan.stdout).toMatch(/\? campaign\.delta .*stopped/);
    expect(plan.stdout.trim().endsWith('No changes.')).toBe(true);
  });
});

describe('saved plans', () => {
  it('apply FILE applies exactly the saved plan, without re-planning', async () => {
    tp.campaign({ name: 'epsilon', title: 'Title epsilon' });
    const planned = await cli.run(['plan', '--out', 'one.plan.json', '--no-estimate']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('Saved the plan to one.plan.json');
    const saved = JSON.parse(readFileSync(path.join(tp.root, 'one.plan.json'), 'utf8'));
    expect(saved.payloads['campaign.epsilon'].name).toBe('Title epsilon');
    const applied = await cli.run(['apply', 'one.plan.json']);
    expect(applied.code).toBe(0);
    expect(campaignsOf('Title epsilon')).toHaveLength(1);
  });

  it('is refused once applied: state moved since, naming the serial', async () => {
    const again = await cli.run(['apply', 'one.plan.json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/stale.*state changed since the plan was made \(serial \d+, now \d+\)/);
    expect(again.stderr).not.toContain('configuration');
    expect(campaignsOf('Title epsilon')).toHaveLength(1);
  });

  it('is refused when the configuration or the commit moved, naming each', async () => {
    tp.campaign({ name: 'eta', title: 'Title eta' });
    expect((await cli.run(['plan', '--out', 'three.plan.json', '--no-estimate'])).code).toBe(0);
    tp.campaign({ name: 'eta', title: 'Title eta', body: 'edited after the plan' });
    const config = await cli.run(['apply', 'three.plan.json']);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('the configuration (campaignctl.yaml or campaigns/) changed');
    expect(config.stderr).not.toContain('serial');
    expect(config.stderr).not.toContain('commit');

    tp.campaign({ name: 'eta', title: 'Title eta' });
    git('add', '.');
    git('commit', '-qm', 'more');
    const commit = await cli.run(['apply', 'three.plan.json']);
    expect(commit.code).toBe(1);
    expect(commit.stderr).toContain('the git commit moved');
    expect(commit.stderr).not.toContain('configuration');
    expect(campaignsOf('Title eta')).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('the passcode appears in no output, state file or plan file', () => {
    expect(cli.transcript.join('\n')).not.toContain(SECRET);
    const files = [
      ...readdirSync(tp.root).filter((f) => f.endsWith('.plan.json')),
      ...readdirSync(path.join(tp.root, '.campaignctl'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(tp.root, path.join(e.parentPath, e.name)).split(path.sep).join('/')),
    ];
    expect(files).toEqual(expect.arrayContaining(['one.plan.json', 'three.plan.json', '.campaignctl/test.db']));
    for (const f of files) expect(readFileSync(path.join(tp.root, f)).includes(SECRET), f).toBe(false);
  });
});
