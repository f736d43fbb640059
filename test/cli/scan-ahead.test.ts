/**
 * What the CLI scans ahead (src/cli/scan-ahead.ts): argv read before commander, only as far as the
 * command and --dir. A command that loads the project starts a scan of the root it will load
 * (--dir before or after the command, `--dir=x`, or found from cwd); help, --version and commands
 * that load no project start none. Real temp projects, real worker threads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAhead } from '../../src/cli/scan-ahead.js';
import { takeScan } from '../../src/config/scan-ahead.js';
import { fixtureProject } from '../config/cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-scan-argv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const root = fixtureProject(scratch);
const inside = path.join(root, 'campaigns');

/** Whether scanAhead(argv) from `cwd` started a scan of the project root. */
async function scans(argv: string[], cwd: string): Promise<boolean> {
  scanAhead(argv, cwd);
  return (await takeScan(root)) !== undefined;
}

describe('scanAhead', () => {
  it('scans the root of a command that loads the project', async () => {
    expect(await scans(['plan'], root)).toBe(true);
    expect(await scans(['--env', 'production', 'apply', '--yes'], inside)).toBe(true);
    expect(await scans(['--dir', root, 'validate'], scratch)).toBe(true);
    expect(await scans(['drift', '--dir', root, '--json'], scratch)).toBe(true);
    expect(await scans([`--dir=${root}`, 'render', 'x'], scratch)).toBe(true);
  });

  it('scans nothing for help, --version, commands without a project, or no project found', async () => {
    expect(await scans(['plan', '--help'], root)).toBe(false);
    expect(await scans(['-h'], root)).toBe(false);
    expect(await scans(['--version'], root)).toBe(false);
    expect(await scans(['sandbox', 'serve'], root)).toBe(false);
    expect(await scans(['init'], root)).toBe(false);
    // `plan` is --env's value here: no command.
    expect(await scans(['--env', 'plan'], root)).toBe(false);
    expect(await scans(['plan'], scratch)).toBe(false);
  });
});
