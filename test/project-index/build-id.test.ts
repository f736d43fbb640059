/**
 * The build id the persisted index is keyed by: a change to the code in ANY folder of the build
 * (templates included), to the schemas or to the lockfile gives another id, so an index made by
 * other code is never used (test/project-index/persist.test.ts shows an index under another id is
 * refused). Runs the build script over a temp copy of dist/ (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeBuildId } from '../../src/config/build-id.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-build-id-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the build: dist/src, the schemas and the lockfile. */
function copyOfBuild() {
  const dir = mkdtempSync(path.join(scratch, 'b-'));
  cpSync(path.join(ROOT, 'dist', 'src'), path.join(dir, 'dist', 'src'), { recursive: true });
  cpSync(path.join(ROOT, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
  cpSync(path.join(ROOT, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  const inputs = { code: path.join(dir, 'dist', 'src'), schemas: path.join(dir, 'schemas'), lockfile: path.join(dir, 'package-lock.json') };
  return { dir, inputs, id: () => computeBuildId(inputs) };
}

/** Every folder of the built code, relative to dist/src. */
function folders(dir: string, rel = ''): string[] {
  const here = readdirSync(path.join(dir, rel), { withFileTypes: true }).filter((e) => e.isDirectory());
  return here.flatMap((e) => [path.join(rel, e.name), ...folders(dir, path.join(rel, e.name))]);
}

describe('the build id', () => {
  it('is what the build script writes, and the same for the same bytes', () => {
    const build = copyOfBuild();
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'write-build-id.mjs'), path.join(build.dir, 'dist')]);
    const written = JSON.parse(readFileSync(path.join(build.dir, 'dist', 'build-id.json'), 'utf8')) as { buildId: string };
    // The script hashes this package's schemas and lockfile, which the copy holds unchanged.
    expect(written.buildId).toBe(build.id());
    expect(copyOfBuild().id()).toBe(build.id());
  });

  it('changes with the code in every folder of the build, templates included', () => {
    const build = copyOfBuild();
    const before = build.id();
    const all = folders(build.inputs.code);
    expect(all).toEqual(expect.arrayContaining(['templates', 'config', path.join('config', 'rules'), 'apply', 'plan', 'render', 'time', 'project-index']));
    const seen = new Set([before]);
    for (const folder of all) {
      const file = readdirSync(path.join(build.inputs.code, folder)).find((n) => n.endsWith('.js'));
      if (!file) continue;
      appendFileSync(path.join(build.inputs.code, folder, file), `\n// changed in ${folder}\n`);
      const after = build.id();
      expect(seen.has(after), `a change in ${folder} kept the id`).toBe(false);
      seen.add(after);
    }
  });

  it('changes with the schemas and with the lockfile', () => {
    const build = copyOfBuild();
    const before = build.id();
    const schema = path.join(build.inputs.schemas, 'campaign.schema.json');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('"description": "', '"description": "Changed. '));
    const schemasMoved = build.id();
    expect(schemasMoved).not.toBe(before);
    appendFileSync(build.inputs.lockfile, '\n');
    expect(build.id()).not.toBe(schemasMoved);
  });
});
