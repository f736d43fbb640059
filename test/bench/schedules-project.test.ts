/**
 * The schedules benchmark's projects are valid as written: a small version of each passes
 * `campaignctl validate` (the built CLI) without a finding. Nothing here is timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDueSchedules, writeIdleSchedules } from '../../bench/schedules-project.js';
import { CliRunner } from '../cli/cli-run.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the schedules benchmark projects', () => {
  it.each([
    ['idle', writeIdleSchedules, 24],
    ['due', writeDueSchedules, 3],
  ] as const)('%s: validate accepts every Schedule, the Message and the trigger without a finding', async (_, write, schedules) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-bench-schedules-'));
    temps.push(dir);
    write(dir, schedules);
    const r = await new CliRunner(dir, { CAMPAIGNCTL_NOW: '2027-01-05T03:00:00Z' }).run(['validate']);
    expect(r.stdout + r.stderr).toContain(`${schedules + 2} resources valid`);
    expect(r.stderr).not.toMatch(/warning|error/i);
    expect(r.code).toBe(0);
  });
});
