/**
 * A persisted index whose files all read as it recorded them (the repeated no-change plan) is taken
 * without decoding its files table: the project's diagnostics, its counts and its configuration
 * hash come from the summary stored beside the table. Those must be exactly what the table gives
 * decoded, and what a load without cache gives. Real temp projects and files; the clock is moved
 * (Date only) so that the stamps the index records are trusted.
 */
import { readFileSync, rmSync, utimesSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { configHash } from '../../src/apply/config-hash.js';
import { buildId } from '../../src/config/build-id.js';
import { discover } from '../../src/config/discover.js';
import type { LoadReport } from '../../src/config/project.js';
import { completeProject, loadProject } from '../../src/project-index/load.js';
import { filesDigest, summarize } from '../../src/project-index/files-summary.js';
import { indexFile, readIndex } from '../../src/project-index/persist.js';
import { ProjectIndex, type IndexState } from '../../src/project-index/project-index.js';
import { fixtureProject, later, NOW, observable } from '../config/cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-undecoded-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const head = (root: string) => ({ root, resolve: { root, cwd: root, environ: {} }, threads: 1 });

/** The fixture project (every kind of located problem, rule findings that expire) with its index written and trusted. */
async function indexed(): Promise<string> {
  const root = fixtureProject(scratch, 12);
  // A file over the size limit is never kept (read on every run): here every file is to be taken whole.
  rmSync(path.join(root, 'campaigns', 'invalid', 'guard-too-large.yaml'));
  for (let i = 0; i < 2; i++) await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1 }));
  return root;
}

function stored(root: string): IndexState {
  const state = readIndex(indexFile(root, undefined), buildId()!);
  if (typeof state === 'string') throw new Error(`index not usable: ${state}`);
  return state;
}

/** An index opened on the stored state and brought up to the files on disk, as the CLI's load does. */
async function opened(root: string): Promise<ProjectIndex> {
  const index = new ProjectIndex(head(root), stored(root));
  await later(60_000, () => index.refresh(NOW));
  return index;
}

describe('an index taken without decoding its files table', () => {
  it('answers diagnostics, counts and the configuration hash from its summary, which is what the decoded table and a cold load give', async () => {
    const root = await indexed();
    const cold = await loadProject({ dir: root, now: NOW, environ: {}, threads: 1 });
    expect(cold.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(20);

    const index = await opened(root);
    expect(index.state.undecoded).toBeDefined();
    const project = index.project();
    expect(project.diagnostics).toEqual(cold.diagnostics);
    expect(index.resourceCount()).toBe(cold.resources().length);
    expect(index.fileCount()).toBe(cold.files.length);
    expect(configHash(project)).toBe(configHash(cold));
    // None of that decoded the table.
    const summary = index.state.undecoded!.summary;
    const digest = index.state.undecoded!.digest;
    expect(index.state.undecoded).toBeDefined();

    // Decoded, the table gives the same summary and digest, and the project its files and resources.
    expect(project.files).toEqual(cold.files);
    expect(index.state.undecoded).toBeUndefined();
    expect(summarize(index.state.files.values())).toEqual(summary);
    expect(filesDigest(project.files)).toBe(digest);
    expect(observable(project)).toEqual(observable(cold));
  });

  it('is decoded and checked file by file when many files have new stamps (more than are read again to take it whole), and gives the same project', async () => {
    const root = await indexed();
    const { files } = discover(root);
    expect(files.length).toBeGreaterThan(64);
    for (const f of files) utimesSync(path.join(root, f), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const index = await opened(root);
    expect(index.state.undecoded).toBeUndefined();
    expect(observable(index.project())).toEqual(observable(await loadProject({ dir: root, now: NOW, environ: {}, threads: 1 })));
  });

  it('is taken whole when a touched file holds the content indexed: the file read again on each run, until a run decodes the table anyway', async () => {
    const root = await indexed();
    const file = path.join(root, 'campaigns', 'generated', 'c0003.yaml');
    // Rewritten as it was (as an apply's edit leaves the file the plan after it reads): a new stamp.
    writeFileSync(file, readFileSync(file));
    for (const run of [() => ({ now: NOW }), () => ({ now: new Date(NOW.getTime() + 60_000) })]) {
      const index = new ProjectIndex(head(root), stored(root));
      // The first run sees a stamp too recent to trust; the second (a minute on) one that could be.
      const report = await later(60_000, () => index.refresh(run().now));
      expect(report).toMatchObject({ read: 1, checked: 0 });
      expect(index.state.undecoded).toBeDefined();
      expect(index.dirty).toBe(false);
      expect(observable(index.project())).toEqual(observable(await loadProject({ dir: root, now: NOW, environ: {}, threads: 1 })));
    }
    // Another file with new content decodes the table: the touched file's stamp is recorded with it.
    const other = path.join(root, 'campaigns', 'generated', 'c0004.yaml');
    writeFileSync(other, readFileSync(other, 'utf8').replace('name: generated-4', 'name: generated-four'));
    const reports: LoadReport[] = [];
    const onLoaded = (r: LoadReport) => void reports.push(r);
    await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[0]).toMatchObject({ read: 2, checked: 1 });
    await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[1]).toMatchObject({ read: 0, checked: 0 });
    expect((await opened(root)).state.undecoded).toBeDefined();
  });

  it('is decoded and checked as usual when a touched file holds new content', async () => {
    const root = await indexed();
    const rel = 'campaigns/generated/c0004.yaml';
    const file = path.join(root, rel);
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: generated-4', 'name: generated-four'));
    const reports: LoadReport[] = [];
    const project = await loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded: (r) => void reports.push(r) });
    expect(reports[0]).toMatchObject({ cache: 'used', checked: 1 });
    expect(project.resources().some((r) => r.address === 'campaign.generated-four')).toBe(true);
    expect(observable(project)).toEqual(observable(await loadProject({ dir: root, now: NOW, environ: {}, threads: 1 })));
  });

  it('records the stamps that moved (the same content) when it decodes the table, once they may be trusted, so the next run takes the table whole again, reading nothing', async () => {
    const root = await indexed();
    const { files } = discover(root);
    for (const f of files) utimesSync(path.join(root, f), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const reports: LoadReport[] = [];
    const onLoaded = (r: LoadReport) => void reports.push(r);
    // One run reads every file again (its content as indexed) and records the new stamps...
    await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[0]).toMatchObject({ read: files.length, checked: 0 });
    // ...so that the next finds every file as recorded.
    const index = await opened(root);
    expect(index.state.undecoded).toBeDefined();
    await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[1]).toMatchObject({ read: 0, checked: 0 });
  });

  it('a damaged files table is caught by the CRC (it follows the first line): every file is checked as new, and the index written anew', async () => {
    const root = await indexed();
    const file = indexFile(root, undefined);
    const bytes = readFileSync(file);
    // The header's second line is the table: break its JSON, leaving every length as it was.
    const table = bytes.indexOf(0x0a, 12) + 1;
    expect(bytes.subarray(table, table + 9).toString()).toBe('{"paths":');
    bytes.write('{"paths";', table);
    writeFileSync(file, bytes);
    const cold = await loadProject({ dir: root, now: NOW, environ: {}, threads: 1 });
    const reports: LoadReport[] = [];
    const onLoaded = (r: LoadReport) => void reports.push(r);
    const damaged = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[0]).toMatchObject({ cache: 'corrupt entry', fromCache: 0, checked: reports[0]!.files });
    expect(observable(damaged)).toEqual(observable(cold));
    await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[1]).toMatchObject({ cache: 'used', checked: 0, read: 0 });
  });

  it('is taken whole without parsing its table; a table that passes the CRC yet does not decode stops the run when its files are asked for, instead of giving none', async () => {
    const root = await indexed();
    const file = indexFile(root, undefined);
    const bytes = readFileSync(file);
    const firstLine = bytes.indexOf(0x0a, 12);
    const table = firstLine + 1;
    bytes.write('{"paths";', table);
    // The CRC made again over the broken table (up to the blobs), as a writer's bug would have written it.
    const headerEnd = 12 + bytes.readUInt32LE(8);
    const files = (JSON.parse(bytes.toString('utf8', 12, firstLine)) as { files: number }).files;
    // After the derived hashes: six float64s per file, then its 32-byte SHA-256; then the blobs.
    const blobsStart = headerEnd + 4 + bytes.readUInt32LE(headerEnd) + files * (6 * 8 + 32);
    const crc = String(crc32(bytes.subarray(table, blobsStart))).padStart(10);
    const crcAt = bytes.indexOf('{"crc":', 12) + '{"crc":'.length;
    bytes.write(crc, crcAt);
    writeFileSync(file, bytes);
    const reports: LoadReport[] = [];
    const project = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded: (r) => void reports.push(r) }));
    // Every file at its stamp: the numbers and the paths' digest took the table whole, unparsed.
    expect(reports[0]).toMatchObject({ cache: 'used', fromCache: reports[0]!.files, read: 0, checked: 0 });
    expect(() => project.resources()).toThrow(/files table does not decode: delete .*cache and run again/);

    // A file whose stamp moved on the same content (the one an apply just edited) is read again and
    // compared with the hash kept beside the numbers: still without parsing the table.
    const moved = discover(root).files.find((f) => !f.includes('/invalid/'))!;
    utimesSync(path.join(root, moved), new Date(NOW.getTime() - 3_600_000), new Date(NOW.getTime() - 3_600_000));
    const again = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded: (r) => void reports.push(r) }));
    expect(reports[1]).toMatchObject({ cache: 'used', fromCache: reports[1]!.files, read: 1, checked: 0 });
    expect(() => again.resources()).toThrow(/files table does not decode/);
  });

  it('is worked out again when a finding has expired, with the findings a cold load makes at that time', async () => {
    const root = await indexed();
    // The fixture's `daysAgo` windows are findings that stand until the account's next midnight.
    const dayAfter = new Date(NOW.getTime() + 36 * 3600_000);
    const index = new ProjectIndex(head(root), stored(root));
    expect(index.state.undecoded!.summary.rulesDue).not.toBeNull();
    expect(index.state.undecoded!.summary.rulesDue!).toBeLessThanOrEqual(dayAfter.getTime());
    await later(60_000, () => index.refresh(dayAfter));
    expect(index.state.undecoded).toBeUndefined();
    expect(index.project().diagnostics).toEqual((await loadProject({ dir: root, now: dayAfter, environ: {}, threads: 1 })).diagnostics);
  });

  it('keeps a project it handed out to its own generation when a file event changes the index after', async () => {
    const root = await indexed();
    const index = await opened(root);
    const before = index.project();
    const rel = 'campaigns/generated/c0004.yaml';
    const file = path.join(root, rel);
    const oldText = readFileSync(file, 'utf8');
    writeFileSync(file, oldText.replace('name: generated-4', 'name: generated-four'));
    await index.update([rel], NOW);
    const after = index.project();
    expect(after.resources().some((r) => r.address === 'campaign.generated-four')).toBe(true);
    // The project handed out before the event still lists the files and resources it was made of.
    expect(before.resources().some((r) => r.address === 'campaign.generated-4')).toBe(true);
    expect(before.resources().some((r) => r.address === 'campaign.generated-four')).toBe(false);
    expect(before.files.find((f) => f.path === rel)!.sha256).not.toBe(after.files.find((f) => f.path === rel)!.sha256);
    expect(configHash(before)).not.toBe(configHash(after));
  });
});

describe('an index whose checked results a plan defers (LoadOptions.deferResults)', () => {
  it('leaves them unread while it is taken whole: the project lists nothing until completeProject, then what a full load lists', async () => {
    const root = await indexed();
    const full = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1 }));
    const reports: LoadReport[] = [];
    const deferred = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, deferResults: true, onLoaded: (r) => void reports.push(r) }));
    expect(reports[0]).toMatchObject({ cache: 'used', read: 0, checked: 0, snapshot: true });
    expect(deferred.diagnostics).toEqual(full.diagnostics);
    expect(configHash(deferred)).toBe(configHash(full));
    // Never read on a getter's call: asking for what the results hold before completeProject is a bug.
    expect(() => deferred.resources()).toThrow(/deferred and read before completeProject/);
    expect(() => deferred.files).toThrow(/deferred and read before completeProject/);
    completeProject(deferred);
    completeProject(deferred);
    expect(observable(deferred)).toEqual(observable(full));
  });

  it('reads them in the load when a file changed, and stops the run at completeProject when they fail their checksum', async () => {
    const root = await indexed();
    const file = indexFile(root, undefined);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(file, bytes);
    const reports: LoadReport[] = [];
    const onLoaded = (r: LoadReport) => void reports.push(r);
    // What precedes the results checks: the index is taken whole, its results not looked at yet.
    const damaged = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, deferResults: true, onLoaded }));
    expect(reports[0]).toMatchObject({ cache: 'used', checked: 0 });
    expect(() => completeProject(damaged)).toThrow(/checked results do not: delete .*cache and run again/);
    // A load that does not defer them finds the damage at once and checks every file.
    const whole = await later(60_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, onLoaded }));
    expect(reports[1]).toMatchObject({ cache: 'corrupt entry', fromCache: 0 });
    // Rewritten: a deferred load after an edit reads the results as it decodes the table.
    const edited = discover(root).files.find((f) => !f.includes('/invalid/'))!;
    writeFileSync(path.join(root, edited), readFileSync(path.join(root, edited), 'utf8') + '\n# edited\n');
    const after = await later(120_000, () => loadProject({ dir: root, now: NOW, environ: {}, cache: true, threads: 1, deferResults: true, onLoaded }));
    expect(reports[2]).toMatchObject({ cache: 'used', checked: 1 });
    expect(observable(after).resources).toEqual(observable(whole).resources);
  });
});
