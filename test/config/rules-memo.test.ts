/**
 * The rules memo: with the load cache on, per-resource findings are remembered per file content and
 * reused while they stand; a finding that depends on the clock is re-derived once its time passes.
 * Every assertion compares against a load without any cache, which runs every rule.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.js';
import type { Resource } from '../../src/model/resource.js';
import { runRules, type RulesMemo } from '../../src/config/rules/index.js';
import { RULES_CODE } from '../../src/config/rules/code.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { scheduleYaml } from './schedule-yaml.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-rules-memo-'));
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

describe('rules memo', () => {
  const files = {
    'a.yaml': campaign('a', '{ event_name: X, from: 20261201, to: { daysAgo: 0 } }', '2026-12-10 09:00'),
    'b.yaml': campaign('b', '{ event_name: X, from: { daysAgo: 7 }, to: { daysAgo: 0 } }', '2027-01-05 09:00'),
  };

  it('a second load gives exactly what a load without cache gives', async () => {
    const root = project(files);
    const first = await both(root, '2026-12-02T12:00:00Z');
    expect(first.cached).toEqual(first.plain);
    expect(first.plain.some((l) => l.includes('template.unknown-variable'))).toBe(true);
    expect(existsSync(path.join(root, '.campaignctl/cache/rules-sandbox.json'))).toBe(true);
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

describe('runRules with a memo', () => {
  it('runs the per-resource rules only for resources the memo has nothing current for', async () => {
    const root = project({
      'a.yaml': campaign('a', '{ event_name: X, from: 20261201, to: 20261202 }', '2026-12-10 09:00'),
      'b.yaml': campaign('b', '{ event_name: X, from: 20261201, to: 20261202 }', '2026-12-11 09:00'),
    });
    const p = await loadProject({ dir: root, now: new Date('2026-12-02T12:00:00Z'), environ: {} });
    const kept = new Map<string, { diagnostics: Diagnostic[]; until: number | null }>();
    const asked: string[] = [];
    const memo: RulesMemo = {
      get: (r: Resource) => (asked.push(r.address), kept.get(r.address)),
      set: (r: Resource, found) => void kept.set(r.address, found),
    };
    const ctx = { root: p.root, resources: p.resources, environment: p.environment, partials: p.partials, locate: p.locate, locateIn: () => undefined, now: new Date('2026-12-02T12:00:00Z') };
    const first = runRules(ctx, memo);
    expect([...kept.keys()]).toEqual(['campaign.a', 'campaign.b']);
    // `when` is ahead: the finding stands until it comes
    expect(kept.get('campaign.a')!.until).toBe(Date.parse('2026-12-10T08:00:00Z'));
    // a planted finding is what a current entry gives back: the rules did not run again
    kept.set('campaign.b', { diagnostics: [{ severity: 'warning', code: 'planted', message: 'from the memo' }], until: null });
    const second = runRules(ctx, memo);
    expect(second.filter((d) => d.code === 'planted')).toHaveLength(1);
    expect(second.filter((d) => d.code !== 'planted')).toEqual(first.filter((d) => d.address !== 'campaign.b'));
  });
});

describe('the code the rules memo is keyed on', () => {
  it('names every source folder a rule imports, so a change there drops remembered findings', () => {
    const src = path.join(import.meta.dirname, '../../src');
    const rulesDir = path.join(src, 'config/rules');
    const imported = new Set<string>();
    for (const file of readdirSync(rulesDir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(path.join(rulesDir, file), 'utf8');
      for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(src, path.resolve(rulesDir, m[1]!));
        const parts = target.split(path.sep);
        // A folder under config/ is named as config/<folder>; a top-level folder by its name.
        imported.add(parts[0] === 'config' ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
    // config/ itself (its top-level files) is in the load cache key already.
    const needed = [...imported].filter((d) => !/\.(js|ts)$/.test(d) && d !== 'config').sort();
    expect(needed.filter((d) => !RULES_CODE.includes(d))).toEqual([]);
  });
});
