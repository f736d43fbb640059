/**
 * Rule findings in the persisted index: per-resource findings are kept with the file content and
 * reused while they stand; a finding that depends on the clock is re-derived once its time passes.
 * Every assertion compares against a load without persistence, which runs every rule.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { indexFile } from '../../src/project-index/persist.js';
import { scheduleYaml } from '../config/schedule-yaml.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-rule-findings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const campaign = (name: string, where: string, when: string, extra = '') => `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: ${name}
spec:
  target_mode: push
  where: ${where}
  content:
    title: "{{vars.missing}}"
    body: Hi
  devices: [ios]
  when: "${when}"${extra}
`;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(scratch, 'p-'));
  mkdirSync(path.join(root, 'campaigns'));
  writeFileSync(path.join(root, 'campaignctl.yaml'), 'environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, 'campaigns', name), text);
  return root;
}

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);

async function both(root: string, now: string) {
  const cached = await loadProject({ dir: root, now: new Date(now), environ: {}, cache: true });
  const plain = await loadProject({ dir: root, now: new Date(now), environ: {} });
  return { cached: codes(cached.diagnostics), plain: codes(plain.diagnostics) };
}

describe('rule findings kept in the index', () => {
  const files = {
    'a.yaml': campaign('a', '{ event_name: X, from: 20261201, to: { daysAgo: 0 } }', '2026-12-10 09:00'),
    'b.yaml': campaign('b', '{ event_name: X, from: { daysAgo: 7 }, to: { daysAgo: 0 } }', '2027-01-05 09:00'),
  };

  it('a second load gives exactly what a load without cache gives', async () => {
    const root = project(files);
    const first = await both(root, '2026-12-02T12:00:00Z');
    expect(first.cached).toEqual(first.plain);
    expect(first.plain.some((l) => l.includes('template.unknown-variable'))).toBe(true);
    expect(existsSync(indexFile(root, undefined))).toBe(true);
    const second = await both(root, '2026-12-02T12:05:00Z');
    expect(second.cached).toEqual(second.plain);
  });

  it('a `when` that has passed is reported on the first run after it, though it was remembered as fine', async () => {
    const root = project(files);
    const before = await both(root, '2026-12-05T12:00:00Z');
    expect(before.cached.filter((l) => l.includes('rule.when-in-past'))).toEqual([]);
    const after = await both(root, '2026-12-10T08:30:00Z'); // 09:30 in Berlin
    expect(after.cached).toEqual(after.plain);
    expect(after.cached.filter((l) => l.includes('rule.when-in-past'))).toHaveLength(1);
  });

  it('a daysAgo range is checked again on the account\'s next day', async () => {
    const root = project(files);
    // 30 Nov in Berlin: from 1 Dec is after today
    const day1 = await both(root, '2026-11-30T12:00:00Z');
    expect(day1.cached.filter((l) => l.includes('rule.from-after-to'))).toHaveLength(1);
    // 1 Dec 00:30 in Berlin (23:30 UTC on 30 Nov): no longer
    const day2 = await both(root, '2026-11-30T23:30:00Z');
    expect(day2.cached).toEqual(day2.plain);
    expect(day2.cached.filter((l) => l.includes('rule.from-after-to'))).toEqual([]);
  });

  it('a clock-change warning is derived again once the change it names has passed, and once the 12 months reach the next', async () => {
    const root = project({
      's.yaml': scheduleYaml('30 1 * * *', 'America/New_York'),
    });
    const before = await both(root, '2026-10-30T12:00:00Z');
    expect(before.cached.filter((l) => l.includes('schedule.dst-repeat') && l.includes('2026-11-01'))).toHaveLength(1);
    // past it, and the next one (2027-11-07) not yet within 12 months: no warning
    const after = await both(root, '2026-11-02T12:00:00Z');
    expect(after.cached).toEqual(after.plain);
    expect(after.cached.filter((l) => l.includes('schedule.dst-repeat'))).toEqual([]);
    // the 12 months now reach the next one
    const later = await both(root, '2026-11-08T12:00:00Z');
    expect(later.cached).toEqual(later.plain);
    expect(later.cached.filter((l) => l.includes('schedule.dst-repeat') && l.includes('2027-11-07'))).toHaveLength(1);
  });

  it('quiet hours set or moved in campaignctl.yaml are checked again, though no resource file changed', async () => {
    const root = project({ 'a.yaml': campaign('a', '{ event_name: X, from: 20261201, to: 20261202 }', '2026-12-10 22:30') });
    const config = (quiet: string) =>
      writeFileSync(path.join(root, 'campaignctl.yaml'), `environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n${quiet}`);
    const quietLines = (ls: string[]) => ls.filter((l) => l.includes('rule.quiet-hours'));
    const none = await both(root, '2026-12-02T12:00:00Z');
    expect(quietLines(none.cached)).toEqual([]);
    config('    quietHours: { start: "21:00", end: "08:00" }\n');
    const night = await both(root, '2026-12-02T12:01:00Z');
    expect(night.cached).toEqual(night.plain);
    expect(quietLines(night.cached)).toHaveLength(1);
    // Moved so that 22:30 is outside it: the remembered error goes too.
    config('    quietHours: { start: "23:00", end: "08:00" }\n');
    const moved = await both(root, '2026-12-02T12:02:00Z');
    expect(moved.cached).toEqual(moved.plain);
    expect(quietLines(moved.cached)).toEqual([]);
  });

  it('an edited file is checked again', async () => {
    const root = project(files);
    await both(root, '2026-12-02T12:00:00Z');
    writeFileSync(path.join(root, 'campaigns', 'b.yaml'), campaign('b', '{ event_name: X, from: { daysAgo: 7 }, to: { daysAgo: 0 } }', '2027-01-05 09:00').replace('{{vars.missing}}', 'Fixed'));
    const edited = await both(root, '2026-12-02T12:01:00Z');
    expect(edited.cached).toEqual(edited.plain);
    expect(edited.cached.filter((l) => l.includes('b.yaml') && l.includes('template.'))).toEqual([]);
  });
});
