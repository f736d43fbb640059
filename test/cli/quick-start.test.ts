/**
 * The README quick start on a fresh clone: the repository's own campaignctl.yaml and campaigns/
 * (the `sandbox` environment is the default) plan against the embedded emulator, apply with
 * --yes, and a second plan says `No changes.`; all without any account or variable set.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliRunner, REPO } from './cli-run.js';

let dir: string;
let cli: CliRunner;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-quickstart-'));
  cpSync(path.join(REPO, 'campaignctl.yaml'), path.join(dir, 'campaignctl.yaml'));
  cpSync(path.join(REPO, 'campaigns'), path.join(dir, 'campaigns'), { recursive: true });
  cli = new CliRunner(dir, {});
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quick start on the embedded sandbox', () => {
  it('`npx campaignctl` runs the package\'s own bin in the repository (it must be executable)', () => {
    const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;
    const out = execFileSync('npx', ['--no-install', 'campaignctl', '--version'], { cwd: REPO, encoding: 'utf8' });
    expect(out.trim()).toBe(version);
  });

  it('plan shows the example plan and says plainly it is the sandbox', async () => {
    const r = await cli.run(['plan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan for environment sandbox (sandbox: the local CleverTap emulator, nothing reaches a real account)');
    expect(r.stdout).toMatch(/\+ campaign\.new-season-night-shift +create/);
    expect(r.stdout).toMatch(/Plan: \d+ to create/);
  });

  it('apply --yes applies it; the sandbox account and the state live in .campaignctl/', async () => {
    const r = await cli.run(['apply', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('the embedded SANDBOX');
    expect(r.stdout).toMatch(/Apply complete in [\d.]+s: \d+ applied, 0 failed, 0 skipped\./);
    expect(existsSync(path.join(dir, '.campaignctl', 'sandbox.db'))).toBe(true);
    const account = JSON.parse(readFileSync(path.join(dir, '.campaignctl', 'sandbox-sandbox.json'), 'utf8'));
    expect(account.campaigns.map((c: { name: string }) => c.name.replace(/\[cc:\w+\]/, '[cc:*]')).sort()).toEqual([
      'New season - Night Shift S3 [cc:*]',
      'Price drop - viewed, not bought [cc:*]',
    ]);
  });

  it('a second plan says No changes.', async () => {
    const r = await cli.run(['plan', '--detailed-exitcode']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().endsWith('No changes.')).toBe(true);
  });
});
