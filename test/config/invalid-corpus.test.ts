/**
 * Golden corpus: every file in test/fixtures/invalid/ declares the diagnostics it must produce
 * (`# expect: CODE LINE:COL`); see that folder's README for the mechanism.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/invalid');
const NOW = new Date('2026-06-15T12:00:00Z');
const names = readdirSync(FIXTURES)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function header(text: string) {
  const expected = [...text.matchAll(/^# expect: (\S+) (\d+):(\d+)\s*$/gm)].map((m) => `${m[1]} ${m[2]}:${m[3]}`);
  const pad = /^# pad-bytes: (\d+)\s*$/m.exec(text);
  return { expected, padBytes: pad ? Number(pad[1]) : 0 };
}

async function load(name: string, text: string) {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, 'campaigns'), { recursive: true });
  if (name.endsWith('.config.yaml')) writeFileSync(path.join(root, 'campaignctl.yaml'), text);
  else writeFileSync(path.join(root, 'campaigns', name), text);
  return loadProject({ dir: root, now: NOW, environ: {} });
}

describe('invalid-fixture corpus', () => {
  it('holds at least 34 files, each declaring what it must produce', () => {
    expect(names.length).toBeGreaterThanOrEqual(34);
    for (const name of names) expect(header(readFileSync(path.join(FIXTURES, name), 'utf8')).expected, name).not.toEqual([]);
  });

  it.each(names)('%s', async (name) => {
    const source = readFileSync(path.join(FIXTURES, name), 'utf8');
    const { expected, padBytes } = header(source);
    const text = padBytes ? source + '#' + 'x'.repeat(padBytes) + '\n' : source;
    const project = await load(name, text);
    const got = project.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
    expect(got).toEqual(expected);
    const file = name.endsWith('.config.yaml') ? 'campaignctl.yaml' : `campaigns/${name}`;
    for (const d of project.diagnostics) {
      expect(d.file).toBe(file);
      expect(d.message.length).toBeGreaterThan(10);
    }
  });
});
