/**
 * Workers started before the files to check are known (warmPool) are the ones the next check of
 * that root takes, with the same results as one thread; those no check takes are ended (coolPool).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
    const { files } = discover(root);
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
    const { files } = discover(root);
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

  it('warmed on a guess (unref) do not keep the process alive when no check takes them', async () => {
    const root = fixtureProject(scratch, 0);
    const pool = pathToFileURL(path.resolve('dist/src/config/check-pool.js')).href;
    // A script file, not --eval: workers inherit the process's flags, and --input-type fails them.
    const script = path.join(scratch, 'warm-and-leave.mjs');
    writeFileSync(
      script,
      `import { warmPool, warmCount } from ${JSON.stringify(pool)};\n` +
        `warmPool(${JSON.stringify(root)}, 2, { unref: true });\n` +
        // Each worker up and waiting for work: without unref the process would wait on them forever.
        `setTimeout(() => console.log(warmCount(${JSON.stringify(root)})), 1000).unref();\n` +
        `setTimeout(() => {}, 1500);\n`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 10_000 });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('2');
  });
});
