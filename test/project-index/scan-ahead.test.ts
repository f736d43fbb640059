/**
 * The project scan taken ahead of need (src/project-index/scan-ahead.ts): it lists the files
 * discover() lists with the stamps a stat gives (none when there is no index file to compare them
 * with), is taken once and only for its root, and a load that takes it gives what a load that
 * scans for itself gives, edits made before it included. Real temp projects.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { discover } from '../../src/config/discover.js';
import { statStamp } from '../../src/config/file-stamp.js';
import type { LoadReport } from '../../src/config/project.js';
import { poolSize, POOL_THRESHOLD, warmCount } from '../../src/config/check-pool.js';
import { scannedStamp, scanProject } from '../../src/config/scan.js';
import { scanNow, takeScan } from '../../src/project-index/scan-ahead.js';
import { indexFile } from '../../src/project-index/persist.js';
import { loadProject } from '../../src/project-index/load.js';
import { fixtureProject, later, NOW, observable } from '../config/cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-scan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function load(root: string, ahead: boolean) {
  if (ahead) scanNow(root, indexFile(root, undefined));
  let report: LoadReport | undefined;
  const project = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded: (r) => (report = r) });
  return { report: report!, seen: observable(project) };
}

describe('a project scan', () => {
  it('lists what discover() lists, each file with the stamp a stat gives', async () => {
    const root = fixtureProject(scratch);
    const scan = scanProject(root);
    const found = discover(root);
    expect(scan.files).toEqual(found.files);
    expect(scan.partials).toEqual(found.partials);
    expect(found.files.length).toBeGreaterThan(20);
    expect(found.files.map((_, i) => scannedStamp(scan, i))).toEqual(found.files.map((f) => statStamp(path.join(root, f))));
  });

  it('lists what discover() lists in its order where the tree is odd: links, skipped names, folders named like files', async () => {
    const root = fixtureProject(scratch);
    const c = path.join(root, 'campaigns');
    const campaign = (name: string) => `apiVersion: campaignctl/v1\nkind: Message\nmetadata:\n  name: ${name}\nspec: {}\n`;
    // Orders where a folder's path and a file's differ at the slash: a-b.yaml sorts before a/.
    mkdirSync(path.join(c, 'a'), { recursive: true });
    writeFileSync(path.join(c, 'a', 'x.yaml'), campaign('ax'));
    writeFileSync(path.join(c, 'a-b.yaml'), campaign('ab'));
    writeFileSync(path.join(c, 'a.yml'), campaign('ay'));
    mkdirSync(path.join(c, 'folder.yaml'));
    writeFileSync(path.join(c, 'folder.yaml', 'inside.yaml'), campaign('inside'));
    writeFileSync(path.join(c, 'README.md'), 'not a resource');
    mkdirSync(path.join(c, '_data'));
    writeFileSync(path.join(c, '_data', 'skipped.yaml'), campaign('data'));
    mkdirSync(path.join(c, '.hidden'));
    writeFileSync(path.join(c, '.hidden', 'skipped.yaml'), campaign('hidden'));
    writeFileSync(path.join(c, '_skipped.yaml'), campaign('underscore'));
    // A linked file counts (its target's stamp), a linked folder is not followed, a broken link is listed.
    symlinkSync(path.join(c, 'a', 'x.yaml'), path.join(c, 'linked.yaml'));
    symlinkSync(path.join(c, 'a'), path.join(c, 'linked-folder'));
    symlinkSync(path.join(c, 'nowhere.yaml'), path.join(c, 'broken.yaml'));
    const scan = scanProject(root);
    const found = discover(root);
    expect(scan.files).toEqual(found.files);
    expect(scan.partials).toEqual(found.partials);
    for (const f of ['campaigns/a-b.yaml', 'campaigns/a/x.yaml', 'campaigns/folder.yaml/inside.yaml', 'campaigns/linked.yaml', 'campaigns/broken.yaml']) expect(scan.files).toContain(f);
    expect(scan.files.filter((f) => /skipped|_data|linked-folder|README/.test(f))).toEqual([]);
    expect(found.files.map((_, i) => scannedStamp(scan, i))).toEqual(found.files.map((f) => statStamp(path.join(root, f))));
    expect(scannedStamp(scan, scan.files.indexOf('campaigns/broken.yaml'))).toBeUndefined();
  });

  it('taken ahead is taken once, for its root only, and equals one taken here', async () => {
    const root = fixtureProject(scratch);
    const other = fixtureProject(scratch);
    await load(root, false);
    scanNow(root, indexFile(root, undefined));
    expect(takeScan(other)).toBeUndefined();
    const ahead = takeScan(root);
    const here = scanProject(root);
    expect(ahead).toBeDefined();
    expect({ ...ahead!, stamps: [...ahead!.stamps] }).toEqual({ ...here, stamps: [...here.stamps] });
    expect(takeScan(root)).toBeUndefined();
  });

  it('meets a folder it can not list as an error at that folder, ahead or not', async () => {
    const root = fixtureProject(scratch);
    const campaigns = path.join(root, 'campaigns');
    rmSync(campaigns, { recursive: true });
    // A link to itself: listing it fails (ELOOP), whoever lists it. (Permissions would do the
    // same for another user, not for root, which runs this in CI.)
    symlinkSync(campaigns, campaigns);
    scanNow(root, indexFile(root, undefined));
    const eloop = expect.stringMatching(/^ELOOP/);
    expect(takeScan(root)!.unlisted).toEqual([
      { folder: 'campaigns', detail: eloop },
      { folder: 'campaigns/_partials', detail: eloop },
    ]);
    for (const ahead of [false, true]) {
      const { seen } = await later(60_000, () => load(root, ahead));
      const unlisted = seen.diagnostics.filter((d) => d.code === 'file.unlistable-folder');
      expect(unlisted.map((d) => [d.severity, d.file, d.message])).toEqual([
        ['error', 'campaigns', expect.stringMatching(/^can not list the folder: ELOOP/)],
        ['error', 'campaigns/_partials', expect.stringMatching(/^can not list the folder: ELOOP/)],
      ]);
    }
  });

  it('lists the files without stat-ing one when there is no index to compare stamps with', async () => {
    const root = fixtureProject(scratch);
    for (const asked of [undefined, indexFile(root, undefined)]) {
      scanNow(root, asked);
      const ahead = takeScan(root);
      const here = scanProject(root);
      expect(ahead!.files).toEqual(here.files);
      expect(ahead!.partials).toEqual(here.partials);
      expect(ahead!.files.map((_, i) => scannedStamp(ahead!, i))).toEqual(ahead!.files.map(() => undefined));
    }
  });
});

describe('a load that takes a scan started ahead', () => {
  it('gives what a load that scans for itself gives, and says it took the scan', async () => {
    const root = fixtureProject(scratch);
    const own = await later(60_000, () => load(root, false));
    expect(own.report.scannedAhead).toBe(false);
    const ahead = await later(60_000, () => load(root, true));
    expect(ahead.report).toMatchObject({ scannedAhead: true, cache: 'used', checked: 0 });
    expect(ahead.seen).toEqual(own.seen);
  });

  it('reads a file edited before the scan, though its old stamp was trusted', async () => {
    const root = fixtureProject(scratch);
    await later(60_000, () => load(root, false));
    const settled = await later(60_000, () => load(root, true));
    expect(settled.report).toMatchObject({ scannedAhead: true, read: 1, checked: 0 });
    const file = discover(root).files.find((f) => !f.includes('/invalid/'))!;
    writeFileSync(path.join(root, file), 'apiVersion: campaignctl/v1\nkind: Campaign\nmetadata: { name: edited }\n');
    const edited = await later(60_000, () => load(root, true));
    expect(edited.report).toMatchObject({ scannedAhead: true, checked: 1 });
    expect(edited.seen).toEqual((await later(60_000, () => load(root, false))).seen);
    expect(edited.seen.diagnostics.some((d) => d.file === file)).toBe(true);
  });
});

describe('a scan started ahead of a first run', () => {
  it('starts the checking pool when no index is there to read and enough files are new, and the load takes those workers', async () => {
    // Two threads asked for: unasked, a machine with fewer than 3 cores checks on one (defaultThreads).
    vi.stubEnv('CAMPAIGNCTL_THREADS', '2');
    const root = fixtureProject(scratch, POOL_THRESHOLD + 50);
    scanNow(root, indexFile(root, undefined));
    expect(poolSize()).toBe(2);
    await vi.waitFor(() => expect(warmCount(root)).toBe(2), { timeout: 10_000 });
    let report: LoadReport | undefined;
    const project = await loadProject({ dir: root, now: NOW, environ: { CAMPAIGNCTL_THREADS: '2' }, cache: true, onLoaded: (r) => (report = r) });
    expect(report).toMatchObject({ scannedAhead: true, cache: 'absent', workers: 2 });
    expect(warmCount(root)).toBe(0);
    const cold = await loadProject({ dir: root, now: NOW, environ: {}, cache: false, threads: 1 });
    expect(observable(project)).toEqual(observable(cold));
  });

  it('records each file at the stamp it was read under: the next run takes as many unread as after a first run that scanned for itself', async () => {
    const root = fixtureProject(scratch);
    const other = fixtureProject(scratch);
    const first = await later(60_000, () => load(root, true));
    expect(first.report).toMatchObject({ scannedAhead: true, cache: 'absent', fromCache: 0 });
    await later(60_000, () => load(other, false));
    const next = await later(120_000, () => load(root, true));
    const otherNext = await later(120_000, () => load(other, true));
    expect(otherNext.report.fromCache).toBeGreaterThan(otherNext.report.files / 2);
    expect(next.report).toMatchObject({ scannedAhead: true, cache: 'used', checked: 0, fromCache: otherNext.report.fromCache, read: otherNext.report.read });
    expect(next.seen).toEqual(first.seen);
  });

  it('starts none once there is an index to read (its files are known) or the files are few', async () => {
    vi.stubEnv('CAMPAIGNCTL_THREADS', '2');
    const big = fixtureProject(scratch, POOL_THRESHOLD + 50);
    await load(big, false);
    scanNow(big, indexFile(big, undefined));
    expect(takeScan(big)).toBeDefined();
    expect(warmCount(big)).toBe(0);

    const small = fixtureProject(scratch);
    scanNow(small, indexFile(small, undefined));
    expect(takeScan(small)).toBeDefined();
    expect(warmCount(small)).toBe(0);
  });
});
