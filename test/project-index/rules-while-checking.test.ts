/**
 * A project checked on worker threads has its per-resource rules run on the main thread as each
 * file's result comes back (../../src/config/check-pool.ts), not after all are checked: the index
 * must come out exactly as when every rule runs in #runRules (one thread): the same findings with
 * the same "until", the same reads and data files, the same diagnostics.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesFound } from '../../src/config/check-pool.js';
import { ProjectIndex, type IndexedFile } from '../../src/project-index/project-index.js';
import { fixtureProject, NOW } from '../config/cache-fixture.js';
import { scheduleYaml } from '../config/schedule-yaml.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-rules-while-checking-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture project (every kind of located problem) and Schedules that meet clock changes and quiet hours. */
function project(): string {
  const root = fixtureProject(scratch, 250);
  writeFileSync(path.join(root, 'campaignctl.yaml'), 'environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n    quietHours: { start: "22:00", end: "07:00" }\n    vars: { shopName: Shop }\n');
  const dir = path.join(root, 'campaigns', 'schedules');
  mkdirSync(dir);
  const crons = ['30 2 * * *', '30 1 * * *', '*/30 * * * *', '0 23 * * *', '0 9 * * 1'];
  const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe'];
  for (let i = 0; i < 40; i++) {
    const text = scheduleYaml(crons[i % crons.length]!, zones[i % zones.length]!).replace('name: s\n', `name: s${i}\n`).replace(/name: t\n/g, `name: t${i}\n`);
    writeFileSync(path.join(dir, `s${i}.yaml`), text);
  }
  return root;
}

const head = (root: string, threads: number) => ({ root, resolve: { root, cwd: root, environ: {} }, threads });

/** What the rules left in the index, file by file. */
function ruled(index: ProjectIndex) {
  const files = [...index.state.files].map(([file, e]) => ('problem' in e ? { file, problem: e.problem } : { file, findings: e.findings, reads: e.reads }));
  return { files, data: [...index.state.data], projectFindings: index.state.projectFindings, diagnostics: index.project().diagnostics };
}

describe('per-resource rules run while the other files are checked', () => {
  it('leave the index a one-thread load leaves, and were taken from the pool', async () => {
    const root = project();
    const one = new ProjectIndex(head(root, 1));
    const oneReport = await one.refresh(NOW);
    const pooled = new ProjectIndex(head(root, 2));
    const pooledReport = await pooled.refresh(NOW);
    expect([oneReport.workers, pooledReport.workers]).toEqual([0, 2]);
    expect(ruled(pooled)).toEqual(ruled(one));

    // The shortcut was taken: every checked file's findings came from the pool, for this very content.
    const checked = [...pooled.state.files.values()].filter((e): e is IndexedFile => !('problem' in e) && e.docs.length > 0);
    expect(checked.length).toBeGreaterThan(300);
    for (const e of checked) expect(rulesFound(e.blob)?.found.map(([diagnostics, until]) => ({ diagnostics, until }))).toEqual(e.findings);
    // ...and they hold findings of every sort the rules give: warnings with an "until", reads of partials and data files.
    const findings = checked.flatMap((e) => e.findings);
    expect(findings.some((f) => f!.until !== null && f!.diagnostics.length > 0)).toBe(true);
    expect(findings.filter((f) => f!.diagnostics.length > 0).length).toBeGreaterThan(20);
    expect(checked.some((e) => e.reads.some((r) => r!.some((t) => t.startsWith('f:'))))).toBe(true);
    expect(checked.some((e) => e.reads.some((r) => r!.some((t) => t.startsWith('p:'))))).toBe(true);
  });

  it('are not taken in another context: a later "now" runs the rules again', async () => {
    const root = project();
    const pooled = new ProjectIndex(head(root, 2));
    await pooled.refresh(NOW);
    // Every finding that depends on the clock runs again at a later now (a file event for no
    // file: the daemon's path, which keeps the partials and the environment as they were).
    const later = new Date(NOW.getTime() + 400 * 86_400_000);
    expect((await pooled.update([], later)).ruled).toBeGreaterThan(40);
    const fresh = new ProjectIndex(head(root, 1));
    await fresh.refresh(later);
    expect(ruled(pooled)).toEqual(ruled(fresh));
  });
});
