/**
 * The CLI keeps V8's compiled code for the modules it loads in the user's cache folder
 * (src/cli/compile-cache.ts): the first run writes it, the next ones compile from it, and what it
 * holds can never change what a command does. Real CLI processes, a temp cache folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smsCampaign } from '../project-index/small-project.js';
import { entryName, KEPT_BUILDS } from '../../src/cli/compile-cache.js';
import { withRuntime } from '../../src/config/build-id.js';
import { CliRunner, REPO } from './cli-run.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-compile-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string): string {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, 'campaigns'), { recursive: true });
  writeFileSync(path.join(root, 'campaignctl.yaml'), 'environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n');
  writeFileSync(path.join(root, 'campaigns', 'hello.yaml'), smsCampaign('hello', 'Hello there'));
  return root;
}

/** The built CLI's build id as src/config/build-id.ts makes it (dist's, with this Node.js), as a folder name. */
const buildFolder = () => {
  const written = (JSON.parse(readFileSync(path.join(REPO, 'dist', 'build-id.json'), 'utf8')) as { buildId: string }).buildId;
  return `${withRuntime(written).slice(0, 16)}-${process.arch}`;
};

describe('the compile cache', () => {
  it('is written by the first run, read by the next, one folder per build', async () => {
    const cacheHome = path.join(scratch, 'home-cache');
    const base = path.join(cacheHome, 'campaignctl', 'compile-cache');
    const cli = new CliRunner(project('written'), { XDG_CACHE_HOME: cacheHome });
    const first = await cli.run(['plan', '--no-estimate']);
    expect(first.code).toBe(0);
    expect(readdirSync(base)).toEqual([buildFolder()]);
    const entries = readdirSync(path.join(base, buildFolder()));
    // The bundle's chunks and the libraries they require, each named by the digest of its path and
    // source: the same code elsewhere (another checkout) has entries of its own.
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e))).toBe(true);
    const binDir = path.join(REPO, 'dist', 'src', 'bin');
    const chunks = readdirSync(binDir).map((f) => ({ file: path.join(binDir, f), source: readFileSync(path.join(binDir, f), 'utf8') }));
    expect(chunks.filter((c) => entries.includes(entryName(c.file, c.source))).length).toBeGreaterThan(10);
    expect(chunks.filter((c) => entries.includes(entryName(path.join(scratch, 'elsewhere', path.basename(c.file)), c.source)))).toEqual([]);
    const second = await cli.run(['plan', '--no-estimate']);
    expect(second).toEqual(first);
    expect(readdirSync(path.join(base, buildFolder())).sort()).toEqual(entries.sort());
  });

  it('keeps the folders of the builds used last: a new build removes only the least recently used', async () => {
    const cacheHome = path.join(scratch, 'builds-cache');
    const base = path.join(cacheHome, 'campaignctl', 'compile-cache');
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const others = ['used-an-hour-ago-x64', 'used-yesterday-x64', 'used-last-week-x64', 'used-last-month-x64'];
    others.forEach((name, i) => {
      mkdirSync(path.join(base, name), { recursive: true });
      const at = hoursAgo([1, 24, 24 * 7, 24 * 30][i]!);
      utimesSync(path.join(base, name), at, at);
    });
    const cli = new CliRunner(project('builds'), { XDG_CACHE_HOME: cacheHome });
    expect((await cli.run(['validate'])).code).toBe(0);
    expect(KEPT_BUILDS).toBe(3);
    expect(readdirSync(base).sort()).toEqual([buildFolder(), 'used-an-hour-ago-x64', 'used-yesterday-x64'].sort());
    // A run of a build whose folder is there marks it as used, and removes nothing.
    const own = path.join(base, buildFolder());
    utimesSync(own, hoursAgo(48), hoursAgo(48));
    expect((await cli.run(['validate'])).code).toBe(0);
    expect(Date.now() - statSync(own).mtimeMs).toBeLessThan(3_600_000);
    expect(readdirSync(base)).toHaveLength(3);
  });

  it('what it holds never changes a command: damaged entries are compiled anew and written again', async () => {
    const cacheHome = path.join(scratch, 'damaged-cache');
    const root = project('damaged');
    const cli = new CliRunner(root, { XDG_CACHE_HOME: cacheHome });
    const first = await cli.run(['validate']);
    expect(first.code).toBe(0);
    const folder = path.join(cacheHome, 'campaignctl', 'compile-cache', buildFolder());
    const entries = readdirSync(folder);
    for (const e of entries) writeFileSync(path.join(folder, e), 'not V8 code');
    // The same run again, so the same modules load (with the project index, fewer would).
    rmSync(path.join(root, '.campaignctl'), { recursive: true, force: true });
    const again = await cli.run(['validate']);
    expect(again).toEqual(first);
    // V8 refused each one; the run wrote its own in their place.
    expect(entries.every((e) => readFileSync(path.join(folder, e), 'utf8') !== 'not V8 code')).toBe(true);
  });

  it('is not kept with CAMPAIGNCTL_CACHE=off', async () => {
    const cacheHome = path.join(scratch, 'off-cache');
    const cli = new CliRunner(project('off'), { XDG_CACHE_HOME: cacheHome, CAMPAIGNCTL_CACHE: 'off' });
    const run = await cli.run(['validate']);
    expect(run.code).toBe(0);
    expect(existsSync(path.join(cacheHome, 'campaignctl'))).toBe(false);
  });
});
