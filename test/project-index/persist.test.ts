/**
 * The persisted project index (.campaignctl/cache/index-<env>.bin): a hit gives exactly what a cold
 * load gives, a changed file is checked again, a damaged index or one made under another build id
 * is ignored and rewritten. Real temp projects, real files; the clock is moved (Date only) where the stat fast
 * path's two-second racy window would otherwise make a test wait.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type LoadReport } from '../../src/config/project.js';
import { loadProject, openDesiredMemo } from '../../src/project-index/load.js';
import { buildId } from '../../src/config/build-id.js';
import { indexFile, readIndex, writeIndex } from '../../src/project-index/persist.js';
import type { IndexedFile, IndexState } from '../../src/project-index/project-index.js';
import { desiredKey } from '../../src/apply/desired-key.js';
import { fixtureProject, later, NOW, observable } from '../config/cache-fixture.js';

/** The state in a project's index file (the test fails when it does not read). */
function stored(root: string): IndexState {
  const s = readIndex(indexFile(root, undefined), buildId()!);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

async function load(root: string, cache: boolean) {
  let report: LoadReport | undefined;
  const project = await loadProject({ dir: root, now: NOW, environ: {}, cache, threads: 1, onLoaded: (r) => (report = r) });
  return { project, report: report!, seen: observable(project) };
}


describe('index hits', () => {
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
    const spec = cold.project.resources().find((r) => r.address === 'campaign.exotic-numbers')!.spec as { wire: Record<string, unknown> };
    expect(spec.wire).toEqual({ big: Infinity, odd: NaN, zero: -0, list: [1, -Infinity] });
    await load(root, true);
    const warm = await load(root, true);
    expect(warm.report).toMatchObject({ cache: 'used', checked: 0 });
    expect(warm.seen).toEqual(cold.seen);
    const again = warm.project.resources().find((r) => r.address === 'campaign.exotic-numbers')!.spec as { wire: Record<string, unknown> };
    expect(Object.is(again.wire.zero, -0)).toBe(true);
  });

  it('forget files that were removed', async () => {
    const root = fixtureProject(scratch);
    await load(root, true);
    rmSync(path.join(root, 'campaigns', 'invalid'), { recursive: true });
    const after = await load(root, true);
    expect(after.seen).toEqual((await load(root, false)).seen);
    // Every file left (all readable: the one over the size limit went with the folder), none removed.
    expect([...stored(root).files.keys()]).toEqual(after.project.files.map((f) => f.path));
    expect(stored(root).files.size).toBe(after.report.files);
  });

  it('keep the derived spec hashes and starts of indexed contents, and drop those of contents no longer indexed', async () => {
    const root = fixtureProject(scratch);
    const { project } = await load(root, true);
    const [kept, gone] = [...stored(root).files.values()].filter((e): e is IndexedFile => !('problem' in e) && e.docs.length > 0);
    const keptKey = desiredKey(kept!.sha256, kept!.docs[0]!);
    const memo = openDesiredMemo(project)!;
    memo.set(keptKey, { specHash: 'sha256:kept', startsAt: { kind: 'at', instant: '2030-01-01T00:00:00.000Z' } });
    memo.set(desiredKey('0'.repeat(64), 0), { specHash: 'sha256:of-no-indexed-content' });
    expect(memo.save()).toBe(true);
    const read = stored(root);
    expect(read.derived.get(keptKey)).toEqual({ specHash: 'sha256:kept', startsAt: { kind: 'at', instant: '2030-01-01T00:00:00.000Z' } });
    expect(read.derived.get(desiredKey(gone!.sha256, gone!.docs[0]!))).toBeUndefined();
    expect(read.derived.size).toBe(1);
  });
});

describe('a damaged index', () => {
  const damages: [string, (file: string) => void, string][] = [
    ['garbage', (f) => writeFileSync(f, 'not a cache at all'), 'not a campaignctl index'],
    ['truncated', (f) => truncateSync(f, statSync(f).size - 100), 'truncated'],
    ['with trailing bytes', (f) => writeFileSync(f, Buffer.concat([readFileSync(f), Buffer.from('xx')])), 'trailing bytes'],
    ['with a flipped byte in the last file\'s checked result (only the CRC can tell)', (f) => {
      const b = readFileSync(f);
      b[b.length - 3]! ^= 0xff;
      writeFileSync(f, b);
    }, 'corrupt entry'],
    ['with a broken header', (f) => {
      const b = readFileSync(f);
      b.fill(0xff, 12, 40);
      writeFileSync(f, b);
    }, 'corrupt header'],
  ];

  it.each(damages)('%s is ignored, the project checked in full, and the index rewritten', async (_name, damage, reason) => {
    const root = fixtureProject(scratch);
    const cold = await load(root, false);
    await load(root, true);
    damage(indexFile(root, undefined));
    const damaged = await load(root, true);
    expect(damaged.report).toMatchObject({ cache: reason, fromCache: 0, checked: damaged.report.files - 1 });
    expect(damaged.seen).toEqual(cold.seen);
    const next = await load(root, true);
    expect(next.report).toMatchObject({ cache: 'used', checked: 0 });
    expect(next.seen).toEqual(cold.seen);
  });

  it('an unwritable cache folder is no error: loading works, unpersisted', async () => {
    const root = fixtureProject(scratch);
    writeFileSync(path.join(root, '.campaignctl'), 'a file where the folder should be');
    const cold = await load(root, false);
    const a = await load(root, true);
    const b = await load(root, true);
    expect(a.seen).toEqual(cold.seen);
    expect(b.report).toMatchObject({ cache: 'absent', checked: b.report.files - 1 });
  });
});

describe('an index made under another build id', () => {
  it('is never used, even when its entries match the files (a poisoned entry shows it)', async () => {
    const root = fixtureProject(scratch);
    const cold = await load(root, false);
    await later(60_000, () => load(root, true));
    await later(60_000, () => load(root, true));
    // The same entries under another id, one of them lying about its file.
    const real = stored(root);
    const album = real.files.get('campaigns/album.yaml')!;
    const lie = real.files.get('campaigns/push/winter-sale.yaml')!;
    if ('problem' in album || 'problem' in lie) throw new Error('fixture files unreadable');
    real.files.set('campaigns/album.yaml', { ...album, check: lie.check, blob: lie.blob, findings: lie.findings, reads: lie.reads });
    expect(writeIndex(indexFile(root, undefined), 'another-campaignctl', real)).toBe(true);

    const loaded = await later(60_000, () => load(root, true));
    expect(loaded.report).toMatchObject({ cache: 'made by another build of campaignctl', fromCache: 0 });
    expect(loaded.seen).toEqual(cold.seen);
    // Under this build's id, the same poisoned file would have been taken: the id is what refused it.
    expect(writeIndex(indexFile(root, undefined), buildId()!, real)).toBe(true);
    const poisoned = await later(60_000, () => load(root, true));
    expect(poisoned.seen).not.toEqual(cold.seen);
  });
});
