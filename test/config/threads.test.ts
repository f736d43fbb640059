/**
 * CAMPAIGNCTL_THREADS: how many threads check a project's files (1: this thread alone). The
 * loader takes it from its environment; the CLI refuses a value it can not use before any command runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultThreads, POOL_MIN_CORES, POOL_THRESHOLD, poolSize, threadsSetting } from '../../src/config/check-pool.js';
import type { LoadReport } from '../../src/config/project.js';
import { loadProject } from '../../src/project-index/load.js';
import { CliRunner } from '../cli/cli-run.js';
import { fixtureProject, NOW } from './cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-threads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('CAMPAIGNCTL_THREADS', () => {
  it('is a whole number from 1 to 256; unset or empty means the default for the cores here', () => {
    expect(poolSize({})).toBe(defaultThreads(availableParallelism()));
    expect(poolSize({ CAMPAIGNCTL_THREADS: '' })).toBe(defaultThreads(availableParallelism()));
    expect(poolSize({ CAMPAIGNCTL_THREADS: '1' })).toBe(1);
    expect(poolSize({ CAMPAIGNCTL_THREADS: ' 3 ' })).toBe(3);
    expect(poolSize({ CAMPAIGNCTL_THREADS: '256' })).toBe(256);
    for (const value of ['0', '257', 'two', '-1', '1.5', '2e1', '0x4', '1000']) {
      expect(threadsSetting({ CAMPAIGNCTL_THREADS: value })).toEqual({ ok: false, value });
      // A value it can not use is never taken as a count (the CLI refuses it before loading).
      expect(poolSize({ CAMPAIGNCTL_THREADS: value })).toBe(defaultThreads(availableParallelism()));
    }
  });

  it('defaults to one per core, and to this thread alone below POOL_MIN_CORES (workers cost more than they save there)', () => {
    expect(POOL_MIN_CORES).toBe(3);
    expect([1, 2, 3, 4, 16].map(defaultThreads)).toEqual([1, 1, 3, 4, 16]);
  });

  it('sets how many workers a load starts', async () => {
    const root = fixtureProject(scratch, POOL_THRESHOLD + 50);
    const workers = async (value: string) => {
      let report: LoadReport | undefined;
      await loadProject({ dir: root, now: NOW, environ: { CAMPAIGNCTL_THREADS: value }, onLoaded: (r) => (report = r) });
      return report!.workers;
    };
    expect(await workers('1')).toBe(0);
    expect(await workers('3')).toBe(3);
  });

  it('the CLI refuses a value it can not use, before any command runs', async () => {
    const root = fixtureProject(scratch);
    const cli = new CliRunner(root, {});
    const r = await cli.run(['validate'], { env: { CAMPAIGNCTL_THREADS: 'all' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('threads.invalid');
    expect(r.stderr).toContain('CAMPAIGNCTL_THREADS=all is not a whole number from 1 to 256');
    expect(r.stdout).toBe('');
    const ok = await cli.run(['validate', '--verbose'], { env: { CAMPAIGNCTL_THREADS: '1' } });
    expect(ok.stderr).not.toContain('threads.invalid');
    expect(ok.stderr).toMatch(/\d+ checked[;)]/);
  });
});
