/**
 * Every example under campaigns/ and campaignctl.yaml validates against its schema, carries a
 * yaml-language-server modeline that resolves to that schema from its own folder, and only uses
 * `{{vars.*}}` that every environment defines.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FILE_BY_KIND, REPO_ROOT, strictAjv, validateWith, type JsonObject } from './schema-set.js';

const ajv = strictAjv();
const CAMPAIGNS = path.join(REPO_ROOT, 'campaigns');

function resourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...resourceFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** The schema file a `# yaml-language-server: $schema=...` first line points at, resolved. */
function modelineTarget(file: string): string | undefined {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0];
  const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
  return match ? path.resolve(path.dirname(file), match[1]) : undefined;
}

function documents(file: string): JsonObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS() as JsonObject;
  });
}

function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

const files = resourceFiles(CAMPAIGNS);
const resources = files.flatMap((file) => documents(file).map((doc) => ({ file, doc })));
const config = documents(path.join(REPO_ROOT, 'campaignctl.yaml'))[0];
const environments = config.environments as Record<string, JsonObject>;

describe('campaigns/ examples', () => {
  it('cover every kind, with the seed scenarios', () => {
    const byKind = new Map<string, string[]>();
    for (const { doc } of resources) {
      const kind = String(doc.kind);
      byKind.set(kind, [...(byKind.get(kind) ?? []), String((doc.metadata as JsonObject).name)]);
    }
    expect([...byKind.keys()].sort()).toEqual(Object.keys(FILE_BY_KIND).sort());
    expect(byKind.get('Campaign')?.length).toBeGreaterThanOrEqual(2);
    expect(byKind.get('ExternalTrigger')?.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files.map((f) => [path.relative(REPO_ROOT, f), f]))('%s validates against its kind schema', (_rel, file) => {
    for (const doc of documents(file)) {
      const schemaFile = FILE_BY_KIND[String(doc.kind)];
      expect(schemaFile, `kind ${String(doc.kind)}`).toBeDefined();
      expect(validateWith(ajv, schemaFile, doc)).toEqual([]);
    }
  });

  it.each(files.map((f) => [path.relative(REPO_ROOT, f), f]))('%s has a modeline resolving to its schema', (_rel, file) => {
    const target = modelineTarget(file);
    expect(target).toBeDefined();
    expect(existsSync(target!)).toBe(true);
    const kinds = new Set(documents(file).map((d) => String(d.kind)));
    expect(kinds.size).toBe(1);
    expect(path.basename(target!)).toBe(FILE_BY_KIND[[...kinds][0]]);
  });

  it('use only vars that every environment defines', () => {
    const used = new Set<string>();
    const partials = path.join(CAMPAIGNS, '_partials');
    const texts = [
      ...resources.flatMap(({ doc }) => allStrings(doc.spec)),
      ...readdirSync(partials).map((f) => readFileSync(path.join(partials, f), 'utf8')),
    ];
    for (const text of texts) for (const m of text.matchAll(/\{\{\s*vars\.([A-Za-z0-9_]+)/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(0);
    for (const [name, env] of Object.entries(environments)) {
      const defined = Object.keys((env.vars as JsonObject | undefined) ?? {});
      expect([...used].filter((v) => !defined.includes(v)), name).toEqual([]);
    }
  });

  it('have the partials they include', () => {
    const included = new Set<string>();
    for (const { doc } of resources) for (const s of allStrings(doc.spec)) for (const m of s.matchAll(/\{\{>\s*([\w-]+)/g)) included.add(m[1]);
    for (const name of included) expect(existsSync(path.join(CAMPAIGNS, '_partials', `${name}.hbs`)), name).toBe(true);
  });

  it('use unique occurrence keys and metadata names per kind', () => {
    const addresses = resources.map(({ doc }) => `${String(doc.kind)}.${String((doc.metadata as JsonObject).name)}`);
    expect(new Set(addresses).size).toBe(addresses.length);
  });
});

describe('campaignctl.yaml', () => {
  it('validates against config.schema.json and has the modeline', () => {
    expect(validateWith(ajv, 'config.schema.json', config)).toEqual([]);
    expect(modelineTarget(path.join(REPO_ROOT, 'campaignctl.yaml'))).toBe(path.join(REPO_ROOT, 'schemas', 'config.schema.json'));
  });

  it('defaults to a sandbox environment and has a production one reading credentials from the environment', () => {
    expect(config.defaultEnvironment).toBe('sandbox');
    expect(environments.sandbox.provider).toBe('sandbox');
    expect(environments.production.provider).toBe('clevertap');
    expect(environments.production.credentials).toEqual({ accountIdEnv: 'CLEVERTAP_ACCOUNT_ID', passcodeEnv: 'CLEVERTAP_PASSCODE' });
  });

  it('registers the dashboard-only objects the examples use with the sandbox', () => {
    const sandbox = environments.sandbox.sandbox as JsonObject;
    const triggerIds = (sandbox.externalTriggers as unknown[]).map(String);
    const events = sandbox.businessEvents as string[];
    const groups = (sandbox.customControlGroups as string[] | undefined) ?? [];
    for (const { doc } of resources) {
      const spec = doc.spec as JsonObject;
      if (doc.kind === 'ExternalTrigger') expect(triggerIds).toContain(String(spec.campaign_id));
      if (doc.kind === 'Bulletin') expect(events).toContain(spec.business_event);
      const group = (spec.control_group as JsonObject | undefined) ?? ((spec.campaign as JsonObject | undefined)?.control_group as JsonObject | undefined);
      if (group?.type === 'custom') expect(groups).toContain(group.name);
    }
  });

  it('keeps every guard above the sandbox audience, so a fresh clone can apply', () => {
    const everyone = (environments.sandbox.sandbox as JsonObject).everyoneAudience as number;
    for (const { doc } of resources) {
      const spec = doc.spec as JsonObject;
      const guard = ((spec.guard ?? (spec.campaign as JsonObject | undefined)?.guard) as JsonObject | undefined)?.maxAudience;
      if (guard !== undefined) expect(guard as number, String((doc.metadata as JsonObject).name)).toBeGreaterThan(everyone);
    }
  });
});
