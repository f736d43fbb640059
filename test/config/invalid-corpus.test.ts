/**
 * Golden corpus: every file in test/fixtures/invalid/ declares the diagnostics it must produce
 * (`# expect: CODE LINE:COL`); see that folder's README for the mechanism.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';
import { FIXTURES, header, invalidFixtureNames, NOW, writeFixtureProject } from './invalid-fixtures.js';

const names = invalidFixtureNames();
const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function load(name: string, text: string) {
  const root = path.join(scratch, name);
  writeFixtureProject(root, name, text);
  return loadProject({ dir: root, now: NOW, environ: {} });
}

describe('invalid-fixture corpus', () => {
  it('holds at least 34 files, each declaring what it must produce', () => {
    expect(names.length).toBeGreaterThanOrEqual(34);
    for (const name of names) expect(header(readFileSync(path.join(FIXTURES, name), 'utf8')).expected, name).not.toEqual([]);
  });

  it.each(names)('%s', async (name) => {
    const source = readFileSync(path.join(FIXTURES, name), 'utf8');
    const { expected } = header(source);
    const project = await load(name, source);
    const got = project.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
    expect(got).toEqual(expected.map((e) => `${e.code} ${e.at}`));
    const file = name.endsWith('.config.yaml') ? 'campaignctl.yaml' : `campaigns/${name}`;
    project.diagnostics.forEach((d, i) => {
      expect(d.file).toBe(expected[i]!.file ?? file);
      expect(d.message.length).toBeGreaterThan(10);
    });
  });
});
