/**
 * `campaignctl init`: scaffolds a working project into a real temp folder, never overwrites, and
 * leaves modelines that resolve to the schemas it copies. Most cases call initProject directly;
 * two spawn the built CLI end to end (npm test builds dist/ first).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { EXAMPLE_FILES, initProject } from '../../src/init/scaffold.js';
import { CliRunner, REPO, type CliResult } from './cli-run.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-init-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir` -> its content, for "nothing changed" checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The built CLI, from a folder of no project: init is told where to scaffold with --dir. */
function cli(args: string[]): Promise<CliResult> {
  return new CliRunner(tmpdir(), {}).run(args);
}

describe('initProject', () => {
  it('writes campaignctl.yaml, one example per kind, the schemas and .gitignore', async () => {
    const dir = tempDir();
    const result = await initProject(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.created).toEqual([...EXAMPLE_FILES]);
    expect(result.gitignore).toBe('created');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toContain('.campaignctl/');

    const files = snapshot(dir);
    // One source of truth: each scaffold file is the package's own, byte for byte.
    for (const file of [...result.created, ...result.schemas]) {
      expect(files[file], file).toBe(readFileSync(path.join(REPO, file), 'utf8'));
    }
    expect(result.schemas.map((s) => path.basename(s)).sort()).toEqual(
      readdirSync(path.join(REPO, 'schemas')).filter((f) => f.endsWith('.schema.json')).sort(),
    );

    const kinds = Object.keys(files)
      .filter((f) => f.startsWith('campaigns/') && f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(files[f]).map((d) => (d.toJS() as { kind: string }).kind));
    expect(kinds.sort()).toEqual(['Bulletin', 'Campaign', 'ExternalTrigger', 'Message', 'Schedule']);
  });

  it('leaves modelines that resolve to the copied schemas, which validate every file offline', async () => {
    const dir = tempDir();
    await initProject(dir);
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    for (const f of readdirSync(path.join(dir, 'schemas'))) {
      ajv.addSchema(JSON.parse(readFileSync(path.join(dir, 'schemas', f), 'utf8')) as object);
    }
    const yamlFiles = Object.keys(snapshot(dir)).filter((f) => f.endsWith('.yaml'));
    expect(yamlFiles.length).toBe(6);
    for (const file of yamlFiles) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const match = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
      expect(match, file).not.toBeNull();
      const schemaPath = path.resolve(path.dirname(path.join(dir, file)), match![1]);
      expect(schemaPath.startsWith(path.join(dir, 'schemas') + path.sep), file).toBe(true);
      const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $id: string };
      const validate = ajv.getSchema(schema.$id)!;
      for (const doc of parseAllDocuments(text)) {
        expect(validate(doc.toJS()), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });

  it('appends to an existing .gitignore once, keeping its lines', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n*.log');
    const result = await initProject(dir);
    expect(result.ok && result.gitignore).toBe('appended');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules/\n*.log\n# campaignctl state and sandbox data\n.campaignctl/\n',
    );

    const other = tempDir();
    writeFileSync(path.join(other, '.gitignore'), 'dist\n/.campaignctl\n');
    const again = await initProject(other);
    expect(again.ok && again.gitignore).toBe('unchanged');
    expect(readFileSync(path.join(other, '.gitignore'), 'utf8')).toBe('dist\n/.campaignctl\n');
  });

  it('refuses when any file exists and writes nothing', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'campaigns', 'messages'), { recursive: true });
    writeFileSync(path.join(dir, 'campaigns', 'messages', 'order-shipped.yaml'), 'mine\n');
    const before = snapshot(dir);
    const result = await initProject(dir);
    expect(result).toEqual({ ok: false, dir, conflicts: ['campaigns/messages/order-shipped.yaml'] });
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(false);
  });

  it('refuses when a file sits where a folder is needed', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'schemas'), '');
    const result = await initProject(dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && 'conflicts' in result && result.conflicts).toEqual(['schemas']);
    expect(readdirSync(dir)).toEqual(['schemas']);
  });
});

describe('init inside an existing project', () => {
  it('refuses, naming the parent, and writes nothing; --nested scaffolds anyway', async () => {
    const parent = tempDir();
    expect((await initProject(parent)).ok).toBe(true);
    const before = snapshot(parent);
    const child = path.join(parent, 'tools', 'other');
    expect(await initProject(child)).toEqual({ ok: false, dir: child, parent, inCampaigns: false });
    expect(snapshot(parent)).toEqual(before);
    expect(existsSync(child)).toBe(false);
    expect((await initProject(child, undefined, { nested: true })).ok).toBe(true);
  });

  it('inside the parent\'s campaigns/ folder it is refused even with --nested', async () => {
    const parent = tempDir();
    await initProject(parent);
    const before = snapshot(parent);
    const child = path.join(parent, 'campaigns', 'sub');
    expect(await initProject(child, undefined, { nested: true })).toEqual({ ok: false, dir: child, parent, inCampaigns: true });
    expect(snapshot(parent)).toEqual(before);
  });

  it('the CLI names the parent and the flag, exit 1', async () => {
    const parent = tempDir();
    await initProject(parent);
    const r = await cli(['init', '--dir', path.join(parent, 'nested')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('init.inside-project');
    expect(r.stderr).toContain(`inside the project at ${parent}`);
    expect(r.stderr).toContain('--nested');
    expect(existsSync(path.join(parent, 'nested'))).toBe(false);
  });
});

describe('campaignctl init (built CLI)', () => {
  it('scaffolds into --dir, then refuses a second run naming the files, exit 1', async () => {
    const dir = path.join(tempDir(), 'new-project');
    const first = await cli(['init', '--dir', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created campaignctl.yaml');
    expect(first.stdout).toContain('created schemas/');
    expect(statSync(path.join(dir, 'campaigns', 'schedules', 'weekly-digest.yaml')).isFile()).toBe(true);

    const before = snapshot(dir);
    const second = await cli(['init', '--dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('refusing to overwrite');
    expect(second.stderr).toContain('campaignctl.yaml');
    expect(second.stderr).toContain('Nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });

  it('reports as JSON with --json', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'campaignctl.yaml'), 'defaultEnvironment: mine\n');
    const result = await cli(['--json', 'init', '--dir', dir]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ ok: false, dir, conflicts: ['campaignctl.yaml'] });
    expect(readFileSync(path.join(dir, 'campaignctl.yaml'), 'utf8')).toBe('defaultEnvironment: mine\n');
  });
});
