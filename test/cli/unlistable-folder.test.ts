/**
 * A folder under campaigns/ that can not be listed is an error at that folder (file.unlistable-folder),
 * not an internal error, and plan refuses: a resource whose file can not be seen must never be
 * planned as removed. Real temp project, the built CLI.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureProject } from '../config/cache-fixture.js';
import { CliRunner } from './cli-run.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-unlistable-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a campaigns folder that can not be listed', () => {
  it('is an error at that folder for validate and plan (exit 1), never an internal error', async () => {
    const root = fixtureProject(scratch);
    const campaigns = path.join(root, 'campaigns');
    rmSync(campaigns, { recursive: true });
    // A link to itself: listing it fails with ELOOP (permissions would too, but not for root).
    symlinkSync(campaigns, campaigns);
    const cli = new CliRunner(root, {});
    for (const args of [['validate'], ['plan', '--no-estimate']]) {
      const r = await cli.run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(/^campaigns {2}error {2}file\.unlistable-folder {2}can not list the folder: ELOOP/m);
      expect(r.stderr).toMatch(/hint: fix its permissions, or the symbolic link that loops/);
    }
  });
});
