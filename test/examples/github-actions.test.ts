/**
 * The GitHub Actions examples: campaignctl.yml keeps the state in PostgreSQL (issue 13: CI runners
 * that share nothing), campaignctl-state-branch.yml keeps the SQLite file on a git branch (the
 * no-database option). Both are read as YAML and held to the CLI's real flags. The PostgreSQL one
 * is also run: its Plan and Apply steps' shell scripts, verbatim, with `npx campaignctl` meaning
 * the built CLI, against the emulator and a schema of the test database. Each "job" starts from a
 * fresh checkout of the project with no state of its own, as on GitHub's runners, so the second
 * plan finding nothing to do proves the jobs share the state without copying it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, REPO } from '../cli/cli-run.js';
import { campaignDoc, E2eProject, serveSandbox, type Served } from '../e2e/crash-helpers.js';
import { dropSchema, freshSchemaName, pgLocation, pgSuite } from '../state/pg-fixture.js';
import { flagsOf, optionsOf } from './cli-flags.js';

interface Step {
  name?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string>; concurrency?: { group: string } }>;
}

const DIR = path.join(REPO, 'examples', 'github-actions');
const load = (file: string): { text: string; workflow: Workflow } => {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  return { text, workflow: parse(text) as Workflow };
};

/** The `npx campaignctl …` command lines of every run script, as argument lists (quotes removed). */
function campaignctlLines(w: Workflow): string[][] {
  return Object.values(w.jobs)
    .flatMap((j) => j.steps)
    .flatMap((s) => (s.run ?? '').split('\n'))
    .filter((l) => l.includes('npx campaignctl '))
    .map((l) => l.slice(l.indexOf('npx campaignctl ') + 'npx campaignctl '.length).split(/\s+/).filter((w) => w !== '' && !/^[<>|2]/.test(w)).map((w) => w.replace(/^"|"$/g, '')));
}

function step(w: Workflow, job: string, name: string): Step {
  const found = w.jobs[job]!.steps.find((s) => s.name === name);
  expect(found, `${job}: step ${name}`).toBeDefined();
  return found!;
}

describe.each(['campaignctl.yml', 'campaignctl-state-branch.yml'])('examples/github-actions/%s', (file) => {
  const { workflow } = load(file);

  it('runs campaignctl only with flags its commands declare', () => {
    const lines = campaignctlLines(workflow);
    expect(lines.map((l) => l[0])).toEqual(['plan', 'force-unlock', 'apply']);
    for (const [command, ...rest] of lines) {
      const known = optionsOf(command!);
      expect([...flagsOf(rest).keys()].filter((f) => !known.has(f)), `flags ${command} does not declare`).toEqual([]);
    }
  });

  it('applies one run at a time, only from main, with the credentials from secrets', () => {
    expect(workflow.jobs.apply!.concurrency?.group).toBe('campaignctl-apply-production');
    expect(workflow.env.CLEVERTAP_PASSCODE).toBe('${{ secrets.CLEVERTAP_PASSCODE }}');
    expect(workflow.env.CLEVERTAP_ACCOUNT_ID).toBe('${{ secrets.CLEVERTAP_ACCOUNT_ID }}');
  });
});

describe('the PostgreSQL workflow', () => {
  const { text, workflow } = load('campaignctl.yml');

  it('takes the whole state URL from a secret and never copies or pushes state', () => {
    expect(workflow.env.CAMPAIGNCTL_STATE).toBe('${{ secrets.CAMPAIGNCTL_STATE_URL }}');
    const scripts = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
    expect(scripts).not.toMatch(/git (push|fetch|show)|campaignctl-state/);
    // No job needs to write to the repository any more.
    expect(workflow.jobs.apply!.permissions).toEqual({ contents: 'read' });
    // A URL in the file is only ever a placeholder or the redacted form campaignctl prints.
    const urls = [...text.matchAll(/postgres:\/\/\S+/g)].map((m) => m[0]);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^postgres:\/\/(USER:PASSWORD|\*\*\*)@/);
  });

  it('points at the state-branch workflow for teams without a database, which still saves after a failed apply', () => {
    expect(text).toContain('campaignctl-state-branch.yml');
    const save = step(load('campaignctl-state-branch.yml').workflow, 'apply', 'Save the state (also after a failed or cancelled apply)');
    expect(save.if).toBe('always()');
  });
});

const ACCOUNT = 'GHA-PG-ACCT';
const PASSCODE = 'gha-pg-passcode-51c0';

pgSuite('the PostgreSQL workflow, run', () => {
  const { workflow } = load('campaignctl.yml');
  const schema = freshSchemaName();
  let served: Served;
  let source: E2eProject;
  let bin: string;
  const checkouts: string[] = [];

  beforeAll(async () => {
    source = new E2eProject(`defaultEnvironment: production\nenvironments:\n  production:\n    provider: clevertap\n    accountTimezone: UTC\n`);
    for (const name of ['welcome', 'winback']) source.write(`campaigns/${name}.yaml`, campaignDoc(name, `Hello from ${name}`));
    served = await serveSandbox([], { CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE });
    // `npx campaignctl ARGS` on a runner runs the project's campaignctl: here, the built one.
    bin = mkdtempSync(path.join(tmpdir(), 'campaignctl-npx-'));
    writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n[ "$1" = campaignctl ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(bin, 'npx'), 0o755);
  });

  afterAll(async () => {
    await served?.stop();
    source?.dispose();
    for (const dir of [bin, ...checkouts]) if (dir) rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  /** One job's step on a fresh checkout: its script as written, the workflow's env with the secrets filled in. */
  function runStep(job: string, name: string): { status: number | null; stderr: string; outputs: string; dir: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-runner-'));
    checkouts.push(dir);
    cpSync(source.root, dir, { recursive: true });
    const secrets: Record<string, string> = { CAMPAIGNCTL_STATE_URL: pgLocation(schema), CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE };
    const env: Record<string, string> = { PATH: `${bin}:${process.env.PATH}`, HOME: dir, CLEVERTAP_API_URL: served.url, GITHUB_OUTPUT: path.join(dir, 'github-output') };
    for (const [k, v] of Object.entries(workflow.env)) env[k] = v.replace(/^\$\{\{ secrets\.(\w+) \}\}$/, (_, s: string) => secrets[s]!);
    writeFileSync(env.GITHUB_OUTPUT!, '');
    // GitHub runs `run:` with `bash -e {0}`.
    const r = spawnSync('bash', ['-e', '-c', step(workflow, job, name).run!], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stderr: r.stderr, outputs: readFileSync(env.GITHUB_OUTPUT!, 'utf8'), dir };
  }

  it('a pull request plans both campaigns, the merge applies them, and the next pull request finds nothing to do', { timeout: 300_000 }, () => {
    const first = runStep('plan', 'Plan');
    expect(first.status, first.stderr).toBe(0);
    expect(first.outputs).toBe('exitcode=2\n');
    const comment = readFileSync(path.join(first.dir, 'plan.md'), 'utf8');
    expect(comment.startsWith('<!-- campaignctl-plan:production -->')).toBe(true);
    expect(comment).toContain('campaign.welcome');
    expect(comment).toContain('campaign.winback');

    const apply = runStep('apply', 'Apply');
    expect(apply.status, apply.stderr).toBe(0);

    const again = runStep('plan', 'Plan');
    expect(again.status, again.stderr).toBe(0);
    expect(again.outputs).toBe('exitcode=0\n');
    for (const r of [first, apply, again]) {
      expect(r.stderr).not.toContain(PASSCODE);
      expect(r.stderr).not.toContain(pgLocation(schema));
    }
  });
});
