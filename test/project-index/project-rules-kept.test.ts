/**
 * The rules across resources (duplicate addresses, schedule references) under ProjectIndex.update:
 * an edit that leaves what they read unchanged keeps their findings (the very array), and any edit
 * that could change them (an address, a referenced or referencing name, a file a finding points
 * into) runs them again. Either way the index gives exactly the project a fresh index gives.
 * Real temp projects and files, in-process.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectIndex } from '../../src/project-index/project-index.js';
import { fixtureProject, NOW, observable } from '../config/cache-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-index-project-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const head = (root: string) => ({ root, resolve: { root, cwd: root, environ: {} }, threads: 1 });

async function fresh(root: string): Promise<ProjectIndex> {
  const index = new ProjectIndex(head(root));
  await index.refresh(NOW);
  return index;
}

const edit = (root: string, rel: string, from: string, to: string) => {
  const file = path.join(root, rel);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
};

/** Updates `index` with one path, checks it against a fresh index; true when the project findings were kept (same array). */
async function updated(index: ProjectIndex, root: string, rel: string): Promise<boolean> {
  const before = index.state.projectFindings;
  expect(before).toBeDefined();
  await index.update([rel], NOW);
  expect(observable(index.project())).toEqual(observable((await fresh(root)).project()));
  return index.state.projectFindings === before;
}

const codes = (index: ProjectIndex) => index.project().diagnostics.map((d) => d.code);

describe('ProjectIndex.update and the rules across resources', () => {
  it('an edit of a body keeps their findings; a new duplicate address and its removal run them again', async () => {
    const root = fixtureProject(scratch, 8);
    const index = await fresh(root);
    const duplicates = codes(index).filter((c) => c === 'rule.duplicate-address').length;
    expect(duplicates).toBeGreaterThan(0);

    edit(root, 'campaigns/generated/c0004.yaml', 'Hello', 'Hi there');
    expect(await updated(index, root, 'campaigns/generated/c0004.yaml')).toBe(true);

    edit(root, 'campaigns/generated/c0005.yaml', 'name: generated-5', 'name: generated-4');
    expect(await updated(index, root, 'campaigns/generated/c0005.yaml')).toBe(false);
    expect(codes(index).filter((c) => c === 'rule.duplicate-address').length).toBe(duplicates + 1);

    // The file the new finding points into: any edit of it runs the rules again (its positions may move).
    edit(root, 'campaigns/generated/c0005.yaml', 'apiVersion', '# moved down a line\napiVersion');
    expect(await updated(index, root, 'campaigns/generated/c0005.yaml')).toBe(false);

    edit(root, 'campaigns/generated/c0005.yaml', 'name: generated-4', 'name: generated-5');
    expect(await updated(index, root, 'campaigns/generated/c0005.yaml')).toBe(false);
    expect(codes(index).filter((c) => c === 'rule.duplicate-address').length).toBe(duplicates);
  });

  it('a file a duplicate finding points back at (the first definition) runs them again when lines move', async () => {
    const root = fixtureProject(scratch, 2);
    const index = await fresh(root);
    const first = index.state.projectFindings!.find((d) => d.code === 'rule.duplicate-address' && d.related?.some((r) => r.file !== d.file));
    expect(first).toBeDefined();
    const rel = first!.related!.find((r) => r.file !== first!.file)!.file!;
    const text = readFileSync(path.join(root, rel), 'utf8');
    writeFileSync(path.join(root, rel), `# two lines\n# further down\n${text}`);
    expect(await updated(index, root, rel)).toBe(false);
  });

  it('schedule references: a Schedule naming another Message, and the Message renamed, run them again', async () => {
    const root = fixtureProject(scratch, 2);
    const messages = 'campaigns/refs/messages.yaml';
    const schedules = 'campaigns/refs/schedules.yaml';
    mkdirSync(path.join(root, 'campaigns', 'refs'));
    writeFileSync(path.join(root, messages), message('only-here', 'Hello'));
    writeFileSync(path.join(root, schedules), schedule('daily', 'only-here'));
    const index = await fresh(root);
    const unknown = () => codes(index).filter((c) => c === 'rule.unknown-reference').length;
    const known = unknown();

    edit(root, schedules, '    name: only-here', '    name: not-here');
    expect(await updated(index, root, schedules)).toBe(false);
    expect(unknown()).toBe(known + 1);
    edit(root, schedules, '    name: not-here', '    name: only-here');
    expect(await updated(index, root, schedules)).toBe(false);
    expect(unknown()).toBe(known);

    edit(root, messages, 'name: only-here', 'name: elsewhere');
    expect(await updated(index, root, messages)).toBe(false);
    expect(unknown()).toBe(known + 1);
    // The Message's body (nothing those rules read; the finding is in the other file): kept.
    edit(root, messages, 'Hello', 'Hello again');
    expect(await updated(index, root, messages)).toBe(true);
    // The Schedule's cron (not read by them), but a finding points into its file: run again.
    edit(root, schedules, '0 9 * * *', '0 10 * * *');
    expect(await updated(index, root, schedules)).toBe(false);
    edit(root, messages, 'name: elsewhere', 'name: only-here');
    expect(await updated(index, root, messages)).toBe(false);
    expect(unknown()).toBe(known);
  });
});

const message = (name: string, body: string) => `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: ${name}
spec:
  target_mode: sms
  content:
    body: ${body}
`;

const schedule = (name: string, messageName: string) => `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: ${name}
spec:
  cron: "0 9 * * *"
  timezone: Europe/Berlin
  message:
    name: ${messageName}
    to:
      Identity: [u1, u2]
`;
