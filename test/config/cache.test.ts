/**
 * The load cache (.campaignctl/cache/load.bin): a hit gives exactly what a cold load gives, a
 * changed file is checked again, a damaged cache or one made under another key is ignored and
 * rewritten. Real temp projects, real files; the clock is moved (Date only) where the stat fast
 * path's two-second racy window would otherwise make a test wait.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cacheKey } from '../../src/config/cache-key.js';
import { CACHE_FILE, LoadCache } from '../../src/config/load-cache.js';
import { packageSchemasDir } from '../../src/config/package-dir.js';
import { loadProject, type LoadReport } from '../../src/config/project.js';
import { fixtureProject, later, NOW, observable } from './cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

async function load(root: string, cache: boolean) {
  let report: LoadReport | undefined;
  const project = await loadProject({ dir: root, now: NOW, environ: {}, cache, threads: 1, onLoaded: (r) => (report = r) });
  return { project, report: report!, seen: observable(project) };
}


describe('load cache hits', () => {
  it('give the same config, resources, diagnostics (located), files and positions as a cold load', async () => {
    const root = fixtureProject(scratch);
    const cold = await load(root, false);
    expect(cold.report.cache).toBe('off');
    expect(cold.seen.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(20);
    expect(cold.seen.diagnostics.every((d) => d.file === undefined || d.line !== undefined || d.code.startsWith('file.'))).toBe(true);

    // With the clock a minute back, every file looks just written: inside the racy window.
    const first = await later(-60_000, () => load(root, true));
    // Every file is checked but the one over the size limit (a diagnostic, never read).
    expect(first.report).toMatchObject({ cache: 'absent', fromCache: 0, checked: first.report.files - 1 });
    expect(first.seen).toEqual(cold.seen);

    // Stamps inside the racy window are not trusted: each file is read and hashed again, not re-checked.
    const second = await later(-60_000, () => load(root, true));
    expect(second.report).toMatchObject({ cache: 'used', fromCache: second.report.files - 1, read: second.report.files, checked: 0 });
    expect(second.seen).toEqual(cold.seen);

    // Once their last change is older than the window, unchanged stamps are enough: nothing is read
    // (but the file over the size limit, which is never cached).
    await later(60_000, () => load(root, true));
    const third = await later(60_000, () => load(root, true));
    expect(third.report).toMatchObject({ cache: 'used', fromCache: third.report.files - 1, read: 1, checked: 0 });
    expect(third.seen).toEqual(cold.seen);
  });

  it('check a changed file again, even with its size and mtime as before, and only it', async () => {
    const root = fixtureProject(scratch);
    await load(root, true);
    await later(60_000, () => load(root, true));
    const file = path.join(root, 'campaigns', 'album.yaml');
    const before = statSync(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('name: album-released');
    writeFileSync(file, text.replace('name: album-released', 'name: album-relaxed!'));
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);

    const warm = await later(60_000, () => load(root, true));
    expect(warm.report).toMatchObject({ checked: 1, read: 2, fromCache: warm.report.files - 2 });
    const cold = await load(root, false);
    expect(warm.seen).toEqual(cold.seen);
    expect(warm.seen.diagnostics.some((d) => d.file === 'campaigns/album.yaml' && d.code.startsWith('schema.'))).toBe(true);
  });

  it('keep values JSON can not hold (Infinity, NaN, -0) exactly', async () => {
    const root = fixtureProject(scratch);
    const source = readFileSync(path.join(root, 'campaigns', 'push', 'winter-sale.yaml'), 'utf8').replace('name: winter-sale', 'name: exotic-numbers');
    writeFileSync(path.join(root, 'campaigns', 'exotic.yaml'), source + '  wire:\n    big: .inf\n    odd: .nan\n    zero: -0.0\n    list: [1, -.inf]\n');
    const cold = await load(root, false);
    const spec = cold.project.resources.find((r) => r.address === 'campaign.exotic-numbers')!.spec as { wire: Record<string, unknown> };
    expect(spec.wire).toEqual({ big: Infinity, odd: NaN, zero: -0, list: [1, -Infinity] });
    await load(root, true);
    const warm = await load(root, true);
    expect(warm.report).toMatchObject({ cache: 'used', checked: 0 });
    expect(warm.seen).toEqual(cold.seen);
    const again = warm.project.resources.find((r) => r.address === 'campaign.exotic-numbers')!.spec as { wire: Record<string, unknown> };
    expect(Object.is(again.wire.zero, -0)).toBe(true);
  });

  it('forget files that were removed', async () => {
    const root = fixtureProject(scratch);
    await load(root, true);
    rmSync(path.join(root, 'campaigns', 'invalid'), { recursive: true });
    const after = await load(root, true);
    expect(after.seen).toEqual((await load(root, false)).seen);
    // Every readable file, plus campaignctl.yaml.
    expect(LoadCache.open(root, cacheKey(packageSchemasDir())).size).toBe(after.report.files + 1);
  });
});

describe('a damaged cache', () => {
  const damages: [string, (file: string) => void, string][] = [
    ['garbage', (f) => writeFileSync(f, 'not a cache at all'), 'not a campaignctl cache'],
    ['truncated', (f) => truncateSync(f, statSync(f).size - 100), 'truncated'],
    ['with trailing bytes', (f) => writeFileSync(f, Buffer.concat([readFileSync(f), Buffer.from('xx')])), 'trailing bytes'],
    ['with a broken header', (f) => {
      const b = readFileSync(f);
      b.fill(0xff, 12, 40);
      writeFileSync(f, b);
    }, 'corrupt header'],
  ];

  it.each(damages)('%s is ignored, the project checked in full, and the cache rewritten', async (_name, damage, reason) => {
    const root = fixtureProject(scratch);
    const cold = await load(root, false);
    await load(root, true);
    damage(path.join(root, CACHE_FILE));
    const damaged = await load(root, true);
    expect(damaged.report).toMatchObject({ cache: reason, fromCache: 0, checked: damaged.report.files - 1 });
    expect(damaged.seen).toEqual(cold.seen);
    const next = await load(root, true);
    expect(next.report).toMatchObject({ cache: 'used', checked: 0 });
    expect(next.seen).toEqual(cold.seen);
  });

  it('an unwritable cache folder is no error: loading works, uncached', async () => {
    const root = fixtureProject(scratch);
    writeFileSync(path.join(root, '.campaignctl'), 'a file where the folder should be');
    const cold = await load(root, false);
    const a = await load(root, true);
    const b = await load(root, true);
    expect(a.seen).toEqual(cold.seen);
    expect(b.report).toMatchObject({ cache: 'absent', checked: b.report.files - 1 });
  });
});

describe('a cache made under another key', () => {
  it('is never used, even when its entries match the files (a poisoned entry shows it)', async () => {
    const root = fixtureProject(scratch);
    const cold = await load(root, false);
    await later(60_000, () => load(root, true));
    await later(60_000, () => load(root, true));
    // Re-key the same entries, and make one of them lie about its file.
    const real = LoadCache.open(root, cacheKey(packageSchemasDir()));
    const forged = LoadCache.open(path.join(scratch, 'nowhere'), 'another-campaignctl');
    const album = real.get('campaigns/album.yaml')!;
    for (const f of readdirSync(path.join(root, 'campaigns')).filter((n) => n.endsWith('.yaml'))) {
      const e = real.get(`campaigns/${f}`);
      if (e) forged.set(`campaigns/${f}`, e);
    }
    const lie = real.get('campaigns/push/winter-sale.yaml')!;
    forged.set('campaigns/album.yaml', { ...album, blob: lie.blob });
    forged.save();
    cpSync(path.join(scratch, 'nowhere', CACHE_FILE), path.join(root, CACHE_FILE));

    const loaded = await later(60_000, () => load(root, true));
    expect(loaded.report).toMatchObject({ cache: 'made by another campaignctl or for other schemas', fromCache: 0 });
    expect(loaded.seen).toEqual(cold.seen);
  });

  it('the key changes with the schemas', () => {
    const dir = path.join(mkdtempSync(path.join(scratch, 'schemas-')), 'schemas');
    cpSync(packageSchemasDir(), dir, { recursive: true });
    const before = cacheKey(dir);
    expect(cacheKey(dir)).toBe(before);
    const file = path.join(dir, 'campaign.schema.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"description": "', '"description": "Changed. '));
    expect(cacheKey(dir)).not.toBe(before);
  });
});
