/**
 * What the CLI scans ahead (src/cli/scan-ahead.ts): argv read before commander, only as far as the
 * command and --dir. A command that loads the project starts a scan of the root it will load
 * (--dir before or after the command, `--dir=x`, or found from cwd); help, --version and commands
 * that load no project start none. Real temp projects, real worker threads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAhead } from '../../src/cli/scan-ahead.js';
import { indexFile } from '../../src/project-index/persist.js';
import { takeIndexBytes, takeScan } from '../../src/project-index/scan-ahead.js';
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

  it("reads the index file of the environment asked for with --env, none when CAMPAIGNCTL_CACHE is off", async () => {
    const files = { default: indexFile(root, undefined), production: indexFile(root, 'production') };
    mkdirSync(path.dirname(files.default), { recursive: true });
    for (const [name, file] of Object.entries(files)) writeFileSync(file, `not an index: ${name}`);
    /** The text of the index file read ahead for `file`, if that one was. */
    const readAhead = async (argv: string[], file: string, environ: Record<string, string> = {}) => {
      scanAhead(argv, root, environ);
      const bytes = await takeIndexBytes(root, file);
      await takeScan(root);
      return bytes && Buffer.from(bytes.bytes).toString();
    };
    expect(await readAhead(['plan'], files.default)).toBe('not an index: default');
    expect(await readAhead(['--env', 'production', 'plan'], files.production)).toBe('not an index: production');
    expect(await readAhead(['plan', '--env=production'], files.production)).toBe('not an index: production');
    expect(await readAhead(['--env', 'production', 'plan'], files.default)).toBeUndefined();
    expect(await readAhead(['plan'], files.default, { CAMPAIGNCTL_CACHE: 'off' })).toBeUndefined();
  });
});
