/**
 * Workers started before the files to check are known (warmPool) are the ones the next check of
 * that root takes, with the same results as one thread; those no check takes are ended (coolPool).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coolPool, warmPool } from '../../src/config/check-pool.js';
import { discover } from '../../src/config/discover.js';
import { checkProjectFiles } from '../../src/config/project-files.js';
import { fixtureProject } from './cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-warm-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('warm workers', () => {
  it('are taken by the next check of the root and give what one thread gives', async () => {
    const root = fixtureProject(scratch, 20);
    const { files } = await discover(root);
    const one = await checkProjectFiles(root, files, { threads: 1 });
    // Three warm, two taken (94 files in batches of 64), one left to end.
    warmPool(root, 3);
    const pooled = await checkProjectFiles(root, files, { threads: 3, poolThreshold: 0 });
    await coolPool(root);
    expect(pooled.workers).toBe(2);
    expect(pooled.outcomes).toEqual(one.outcomes);
  });

  it('that no check took are ended, and the next check starts its own', async () => {
    const root = fixtureProject(scratch, 0);
    const { files } = await discover(root);
    warmPool(root, 2);
    await coolPool(root);
    const one = await checkProjectFiles(root, files, { threads: 1 });
    const pooled = await checkProjectFiles(root, files, { threads: 2, poolThreshold: 0 });
    expect(pooled.outcomes).toEqual(one.outcomes);
  });

  it('one thread warms none', async () => {
    const root = fixtureProject(scratch, 0);
    warmPool(root, 1);
    await expect(coolPool(root)).resolves.toBeUndefined();
  });
});
