/**
 * A run where nothing moved: the persisted index (.campaignctl/cache/index-<env>.bin) is taken
 * whole (no file read, no rule run) only when nothing it was made from moved, and then the project
 * is exactly what a cold load gives (specs and positions included). Real temp projects and files; the clock is moved (Date only)
 * where the stat stamps' two-second racy window would otherwise make a test wait.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type LoadReport, type ProjectHead } from '../../src/config/project.js';
import { loadProject } from '../../src/project-index/load.js';
import { indexFile } from '../../src/project-index/persist.js';
import { fixtureProject, later, NOW, observable } from '../config/cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-snapshot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

interface LoadAt {
  now?: Date;
  env?: string;
  environ?: Record<string, string>;
  cache?: boolean;
}

async function load(root: string, at: LoadAt = {}) {
  let report: LoadReport | undefined;
  const project = await loadProject({ dir: root, now: at.now ?? NOW, env: at.env, environ: at.environ ?? {}, cache: at.cache ?? true, threads: 1, onLoaded: (r) => (report = r) });
  return { project, report: report!, seen: observable(project) };
}

/** Loads with Date.now() a minute ahead, so that the stamps the index records are trusted. */
const settled = (root: string, at: LoadAt = {}) => later(60_000, () => load(root, at));

/**
 * The fixture project (valid files, every kind of located problem, generated campaigns) without
 * the file over the size limit: a file that is never kept is read on every run.
 */
function project(): string {
  const root = fixtureProject(scratch, 12);
  rmSync(path.join(root, 'campaigns', 'invalid', 'guard-too-large.yaml'));
  return root;
}

/** Loads until the index is written with trusted stamps; returns the cold load to compare with. */
async function warmed(root: string, at: LoadAt = {}) {
  const cold = await load(root, { ...at, cache: false });
  await settled(root, at);
  await settled(root, at);
  return cold;
}

describe('the persisted index on a run where nothing moved', () => {
  it('is taken when nothing changed, and gives exactly the project a cold load gives', async () => {
    const root = project();
    const cold = await warmed(root);
    expect(cold.seen.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(20);
    const hit = await settled(root);
    expect(hit.report).toMatchObject({ snapshot: true, checked: 0, read: 0, fromCache: hit.report.files });
    expect(hit.seen).toEqual(cold.seen);
    // Every resource's spec and a diagnostic's position came from the index.
    expect(hit.project.resources().find((r) => r.address === 'campaign.generated-3')!.spec).toMatchObject({ target_mode: 'sms' });
  });

  it('is not taken after a file changed, nor after one was added or removed', async () => {
    const root = project();
    await warmed(root);
    const file = path.join(root, 'campaigns', 'generated', 'c0004.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: generated-4', 'name: generated-four'));
    const edited = await settled(root);
    expect(edited.report).toMatchObject({ snapshot: false, checked: 1 });
    expect(edited.seen).toEqual((await load(root, { cache: false })).seen);
    expect(edited.project.resources().some((r) => r.address === 'campaign.generated-four')).toBe(true);

    await settled(root);
    rmSync(file);
    const removed = await settled(root);
    expect(removed.report.snapshot).toBe(false);
    expect(removed.seen).toEqual((await load(root, { cache: false })).seen);

    await settled(root);
    writeFileSync(path.join(root, 'campaigns', 'generated', 'new.yaml'), readFileSync(path.join(root, 'campaigns', 'generated', 'c0005.yaml'), 'utf8').replace('generated-5', 'generated-new'));
    const added = await settled(root);
    expect(added.report.snapshot).toBe(false);
    expect(added.project.resources().some((r) => r.address === 'campaign.generated-new')).toBe(true);
  });

  it('is not taken when campaignctl.yaml, a partial or what a variable makes of the environment changed', async () => {
    const root = project();
    await warmed(root);
    const config = path.join(root, 'campaignctl.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('shopName: ShopNest', 'shopName: ShopNext'));
    const configured = await settled(root);
    expect(configured.report.snapshot).toBe(false);
    expect(configured.project.environment.vars).toEqual({ shopName: 'ShopNext' });

    await settled(root);
    const partialsDir = path.join(root, 'campaigns', '_partials');
    const partial = path.join(partialsDir, readdirSync(partialsDir).find((n) => n.endsWith('.hbs'))!);
    writeFileSync(partial, readFileSync(partial, 'utf8') + 'changed\n');
    const repartialled = await settled(root);
    expect(repartialled.report.snapshot).toBe(false);
    expect(repartialled.seen).toEqual((await load(root, { cache: false })).seen);

    await settled(root, { env: 'production' });
    await settled(root, { env: 'production' });
    expect((await settled(root, { env: 'production' })).report.snapshot).toBe(true);
    const moved = await settled(root, { env: 'production', environ: { CLEVERTAP_REGION: 'eu1' } });
    expect(moved.report.snapshot).toBe(false);
    expect(moved.project.environment.region).toBe('eu1');
  });

  it('lets work that needs only the environment start before the files are checked, and only for a project without errors', async () => {
    const root = project();
    rmSync(path.join(root, 'campaigns', 'invalid'), { recursive: true });
    const heads: string[] = [];
    const whileChecking = async (head: ProjectHead) => void heads.push(`${head.root} ${head.environmentName} ${head.environment.accountTimezone}`);
    await warmed(root);
    const hit = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, whileChecking });
    expect(heads).toEqual([`${root} sandbox Europe/Berlin`]);
    expect(hit.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    // A file changed: the hook ran (the environment was certain), the project is loaded the long way.
    const file = path.join(root, 'campaigns', 'generated', 'c0001.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: generated-1', 'name: generated-one'));
    const changed = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, whileChecking });
    expect(heads).toHaveLength(2);
    expect(changed.resources().some((r) => r.address === 'campaign.generated-one')).toBe(true);

    // A partial edited: what the files say may have moved with it, so nothing is started for them.
    const partialsDir = path.join(root, 'campaigns', '_partials');
    const partial = path.join(partialsDir, readdirSync(partialsDir).find((n) => n.endsWith('.hbs'))!);
    writeFileSync(partial, readFileSync(partial, 'utf8') + 'changed\n');
    const repartialled = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, whileChecking });
    expect(heads).toHaveLength(2);
    expect(observable(repartialled)).toEqual((await load(root, { cache: false })).seen);

    // A partial new since the last run: the hook runs before the files are scanned (the partials
    // recorded read as before), and the project is still exactly what a cold load gives.
    writeFileSync(path.join(partialsDir, 'brand-new.hbs'), 'New\n');
    const newPartial = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, whileChecking });
    expect(heads).toHaveLength(3);
    expect(newPartial.partials['brand-new']).toBe('New\n');
    expect(observable(newPartial)).toEqual((await load(root, { cache: false })).seen);

    // A snapshot that holds errors: nothing is started for it.
    writeFileSync(file, 'kind: Nonsense\n');
    await settled(root);
    expect((await settled(root)).report.snapshot).toBe(true);
    const broken = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, whileChecking });
    expect(broken.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(heads).toHaveLength(3);
  });

  it('is kept per environment asked for', async () => {
    const root = project();
    await warmed(root);
    await warmed(root, { env: 'production' });
    const sandbox = await settled(root);
    const production = await settled(root, { env: 'production' });
    expect([sandbox.report.snapshot, production.report.snapshot]).toEqual([true, true]);
    expect([sandbox.project.environmentName, production.project.environmentName]).toEqual(['sandbox', 'production']);
    expect(indexFile(root, undefined)).not.toBe(indexFile(root, 'production'));
  });

  it('is not taken once a rule finding it holds may no longer stand (the clock moved past a day or a `when`)', async () => {
    const root = project();
    writeFileSync(
      path.join(root, 'campaigns', 'soon.yaml'),
      `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: soon
spec:
  target_mode: sms
  where:
    event_name: Charged
    from: 20260601
    to: 20260610
  content:
    body: "Hello"
  when: "2026-06-15 18:00"
`,
    );
    await warmed(root);
    expect((await settled(root)).report.snapshot).toBe(true);
    const evening = new Date('2026-06-15T17:00:00Z'); // 19:00 in Berlin: `when` has passed
    const after = await settled(root, { now: evening });
    expect(after.report.snapshot).toBe(false);
    const cold = await load(root, { now: evening, cache: false });
    expect(after.seen).toEqual(cold.seen);
    expect(cold.seen.diagnostics.filter((d) => d.file === 'campaigns/soon.yaml').map((d) => d.code)).toEqual(['rule.when-in-past']);
  });

  it('is not taken when its file is damaged, and is rewritten', async () => {
    const root = project();
    const cold = await warmed(root);
    expect((await settled(root)).report.snapshot).toBe(true);
    const file = indexFile(root, undefined);
    const intact = readFileSync(file);
    for (const damage of [Buffer.from('{"format": 1}'), intact.subarray(0, -10), Buffer.concat([intact, Buffer.from('[]')])]) {
      writeFileSync(file, damage);
      const damaged = await settled(root);
      expect(damaged.report.snapshot).toBe(false);
      expect(damaged.report.cache).not.toBe('used');
      expect(damaged.seen).toEqual(cold.seen);
      await settled(root);
      expect((await settled(root)).report.snapshot).toBe(true);
    }
  });
});
