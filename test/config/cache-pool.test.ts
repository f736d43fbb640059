/**
 * The worker pool gives what one thread gives: same outcomes in the same order, diagnostics and
 * positions included. The workers run the built code (dist/, made by `npm test`'s build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/config/discover.js';
import { checkProjectFiles } from '../../src/config/project-files.js';
import { type LoadReport } from '../../src/config/project.js';
import { loadProject } from '../../src/project-index/load.js';
import { fixtureProject, NOW, observable } from './cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('checking on worker threads', () => {
  it('gives the per-file outcomes of one thread, in file order', async () => {
    const root = fixtureProject(scratch, 20);
    const { files } = discover(root);
    const one = await checkProjectFiles(root, files, { threads: 1 });
    const pooled = await checkProjectFiles(root, files, { threads: 3, poolThreshold: 0 });
    expect(one.workers).toBe(0);
    expect(pooled.workers).toBe(2); // 94 files in batches of 64
    expect(pooled.outcomes.map((o) => o.file)).toEqual(files);
    expect(pooled.outcomes).toEqual(one.outcomes);
    expect(pooled.checked).toBe(one.checked);
    expect(one.outcomes.filter((o) => 'problem' in o || o.check.diagnostics.length > 0).length).toBeGreaterThan(30);
  });

  it('loads a project above the threshold exactly as one thread does, and fills the same cache', async () => {
    const root = fixtureProject(scratch, 250);
    const reports: LoadReport[] = [];
    const onLoaded = (r: LoadReport) => void reports.push(r);
    const one = await loadProject({ dir: root, now: NOW, environ: {}, threads: 1, onLoaded });
    const pooled = await loadProject({ dir: root, now: NOW, environ: {}, threads: 2, cache: true, onLoaded });
    const fromCache = await loadProject({ dir: root, now: NOW, environ: {}, threads: 1, cache: true, onLoaded });
    // Every file but the one over the size limit (a diagnostic: never checked, never cached); the
    // count follows the invalid corpus the fixture project copies.
    const checked = discover(root).files.length - 1;
    expect(checked).toBeGreaterThanOrEqual(323);
    expect(reports.map((r) => [r.workers, r.checked, r.fromCache])).toEqual([
      [0, checked, 0],
      [2, checked, 0],
      [0, 0, checked],
    ]);
    expect(observable(pooled)).toEqual(observable(one));
    expect(observable(fromCache)).toEqual(observable(one));
  });
});
