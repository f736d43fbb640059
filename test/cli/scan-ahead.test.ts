/**
 * What the CLI scans ahead (src/cli/scan-ahead.ts): argv read before commander, only as far as the
 * command and --dir. A command that loads the project starts a scan of the root it will load
 * (--dir before or after the command, `--dir=x`, or found from cwd); help, --version and commands
 * that load no project start none. Real temp projects.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAhead } from '../../src/cli/scan-ahead.js';
import { indexFile } from '../../src/project-index/persist.js';
import { scannedStamp } from '../../src/config/scan.js';
import { takeScan } from '../../src/project-index/scan-ahead.js';
import { fixtureProject } from '../config/cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-scan-argv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const root = fixtureProject(scratch);
const inside = path.join(root, 'campaigns');

/** Whether scanAhead(argv) from `cwd` started a scan of the project root. */
function scans(argv: string[], cwd: string): boolean {
  scanAhead(argv, cwd);
  return takeScan(root) !== undefined;
}

describe('scanAhead', () => {
  it('scans the root of a command that loads the project', () => {
    expect(scans(['plan'], root)).toBe(true);
    expect(scans(['--env', 'production', 'apply', '--yes'], inside)).toBe(true);
    expect(scans(['--dir', root, 'validate'], scratch)).toBe(true);
    expect(scans(['drift', '--dir', root, '--json'], scratch)).toBe(true);
    expect(scans([`--dir=${root}`, 'render', 'x'], scratch)).toBe(true);
  });

  it('scans nothing for help, --version, commands without a project, or no project found', () => {
    expect(scans(['plan', '--help'], root)).toBe(false);
    expect(scans(['-h'], root)).toBe(false);
    expect(scans(['--version'], root)).toBe(false);
    expect(scans(['sandbox', 'serve'], root)).toBe(false);
    expect(scans(['init'], root)).toBe(false);
    // `plan` is --env's value here: no command.
    expect(scans(['--env', 'plan'], root)).toBe(false);
    expect(scans(['plan'], scratch)).toBe(false);
  });

  it("stats the files when the index file of the environment asked for with --env is there, not when CAMPAIGNCTL_CACHE is off", () => {
    // Only production has an index file: a run for the default environment is a first run.
    const production = indexFile(root, 'production');
    mkdirSync(path.dirname(production), { recursive: true });
    writeFileSync(production, 'not an index, but there');
    /** Whether the scan started for `argv` holds the files' stamps. */
    const stamped = (argv: string[], environ: Record<string, string> = {}) => {
      scanAhead(argv, root, environ);
      const scan = takeScan(root)!;
      expect(scan.files.length).toBeGreaterThan(0);
      const stamps = scan.files.map((_, i) => scannedStamp(scan, i));
      expect(new Set(stamps.map((s) => s === undefined)).size).toBe(1);
      return stamps[0] !== undefined;
    };
    expect(stamped(['--env', 'production', 'plan'])).toBe(true);
    expect(stamped(['plan', '--env=production'])).toBe(true);
    expect(stamped(['plan'])).toBe(false);
    expect(stamped(['--env', 'staging', 'plan'])).toBe(false);
    expect(stamped(['--env', 'production', 'plan'], { CAMPAIGNCTL_CACHE: 'off' })).toBe(false);
  });
});
