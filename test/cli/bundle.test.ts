/**
 * The CLI users run is package.json's bin: the bundle scripts/bundle-cli.mjs makes of tsc's output.
 * Its checking pool's worker threads start from a script bundled beside it, and a big project loads
 * through them as through tsc's modules: a cold validate of 300 files
 * checks them on worker threads, and the next run takes every file from the index it wrote.
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smsCampaign } from '../project-index/small-project.js';
import { CLI, CliRunner, REPO } from './cli-run.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the bin', () => {
  it('is the bundle, CommonJS and executable, with its worker script beside it', () => {
    const bin = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.campaignctl!;
    expect(path.join(REPO, bin)).toBe(CLI);
    accessSync(CLI, constants.X_OK);
    // CommonJS, loaded by require(): no ES module loader on a command's start, nor on its workers'.
    expect(CLI.endsWith('.cjs')).toBe(true);
    expect(readFileSync(CLI, 'utf8')).toMatch(/\brequire\(/);
    expect(existsSync(path.join(path.dirname(CLI), 'check-worker.cjs'))).toBe(true);
  });

  it('carries none of the comments of the source: every command start reads and parses a quarter less', () => {
    const dir = path.dirname(CLI);
    const chunks = readdirSync(dir).filter((f) => f.endsWith('.cjs'));
    expect(chunks.length).toBeGreaterThan(20);
    // The source documents every module with /** ... */ comments; the bundle keeps none.
    const commented = chunks.filter((f) => /\/\*\*\s/.test(readFileSync(path.join(dir, f), 'utf8')));
    expect(commented).toEqual([]);
    expect(readFileSync(path.join(REPO, 'src', 'project-index', 'project-index.ts'), 'utf8')).toMatch(/\/\*\*\s/);
  });

  it('checks a big project on worker threads, then takes it from the index, the files scanned as the process started', async () => {
    const root = path.join(scratch, 'big');
    mkdirSync(path.join(root, 'campaigns', 'many'), { recursive: true });
    writeFileSync(path.join(root, 'campaignctl.yaml'), 'environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n');
    for (let i = 0; i < 300; i++) writeFileSync(path.join(root, 'campaigns', 'many', `c${String(i).padStart(3, '0')}.yaml`), smsCampaign(`c${i}`, `Hello ${i}`));
    const cli = new CliRunner(root, {});
    // Two threads asked for, so the bundle's check workers run on any machine (unasked, a machine
    // with fewer than 3 cores checks on one: src/config/check-pool.ts defaultThreads).
    const cold = await cli.run(['validate', '--verbose'], { env: { CAMPAIGNCTL_THREADS: '2' } });
    expect(cold.code).toBe(0);
    expect(cold.stdout).toContain('300 resources valid');
    expect(cold.stderr).toMatch(/300 checked on 2 threads; files scanned as the process started/);
    const warm = await cli.run(['validate', '--verbose']);
    expect(warm.code).toBe(0);
    // Just written, inside the racy window: read and hashed again (src/config/file-stamp.ts), but not checked.
    expect(warm.stderr).toMatch(/300 from the cache \[used\], 0 checked.*files scanned as the process started/);
  });
});
