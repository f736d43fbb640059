import { inspect } from 'node:util';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configHash, environmentPart, partialsPart } from '../../src/apply/config-hash.js';
import { hashCanonical } from '../../src/plan/canonical.js';
import { readFileSync } from 'node:fs';
import { chooseEnvironment, KNOWN_REGIONS, resolveEnvironment } from '../../src/config/environment.js';
import { loadProject } from '../../src/project-index/load.js';
import { filesDigest } from '../../src/project-index/files-summary.js';

const ctx = { root: '/proj', cwd: '/proj/campaigns', environ: {} };

describe('chooseEnvironment', () => {
  it('gives an implicit sandbox when campaignctl.yaml defines no environments', () => {
    expect(chooseEnvironment({}, undefined)).toEqual({ ok: true, name: 'sandbox', config: { provider: 'sandbox' } });
    expect(chooseEnvironment({}, 'production')).toEqual({ ok: false, problem: 'unknown', name: 'production', known: [] });
  });

  it('prefers --env, then defaultEnvironment, then the only one, then `sandbox`', () => {
    const environments = { sandbox: { provider: 'sandbox' as const }, production: { provider: 'clevertap' as const } };
    expect(chooseEnvironment({ environments, defaultEnvironment: 'production' }, 'sandbox')).toMatchObject({ name: 'sandbox' });
    expect(chooseEnvironment({ environments, defaultEnvironment: 'production' }, undefined)).toMatchObject({ name: 'production' });
    expect(chooseEnvironment({ environments }, undefined)).toMatchObject({ name: 'sandbox' });
    expect(chooseEnvironment({ environments: { staging: { provider: 'clevertap' } } }, undefined)).toMatchObject({ name: 'staging' });
    expect(chooseEnvironment({ environments: { a: { provider: 'clevertap' }, b: { provider: 'clevertap' } } }, undefined)).toEqual({ ok: false, problem: 'no-default', known: ['a', 'b'] });
  });

  it('does not take inherited names for environments', () => {
    expect(chooseEnvironment({ environments: { sandbox: { provider: 'sandbox' } } }, 'toString')).toMatchObject({ ok: false, problem: 'unknown' });
  });
});

describe('resolveEnvironment', () => {
  it('fills every default', () => {
    expect({ ...resolveEnvironment('sandbox', { provider: 'sandbox' }, ctx) }).toEqual({
      name: 'sandbox',
      provider: 'sandbox',
      region: 'eu1',
      accountTimezone: 'UTC',
      credentials: { accountIdEnv: 'CLEVERTAP_ACCOUNT_ID', passcodeEnv: 'CLEVERTAP_PASSCODE' },
      state: path.resolve('/proj', '.campaignctl/sandbox.db'),
      limits: { concurrency: 3, createsPerSecond: 3 },
      vars: {},
    });
  });

  it('keeps values of the right type only, so a broken campaignctl.yaml can not break later steps', () => {
    const env = resolveEnvironment('x', { accountTimezone: 'Mars/Olympus', limits: { concurrency: 'lots' }, vars: 'nope' } as never, ctx);
    expect(env.accountTimezone).toBe('UTC');
    expect(env.limits.concurrency).toBe(3);
    expect(env.vars).toEqual({});
  });

  it('applies CLEVERTAP_API_URL over apiUrl, and ignores empty overrides', () => {
    const config = { provider: 'clevertap' as const, apiUrl: 'https://eu1.api.clevertap.com', state: 'db/prod.db' };
    expect(resolveEnvironment('p', config, { ...ctx, environ: { CLEVERTAP_API_URL: 'http://127.0.0.1:8080' } }).apiUrl).toBe('http://127.0.0.1:8080');
    const blank = resolveEnvironment('p', config, { ...ctx, environ: { CLEVERTAP_API_URL: ' ', CAMPAIGNCTL_STATE: '' } });
    expect(blank.apiUrl).toBe('https://eu1.api.clevertap.com');
    expect(blank.state).toBe(path.resolve('/proj', 'db/prod.db'));
  });

  it('applies CLEVERTAP_REGION over region (trimmed), and ignores an empty one', () => {
    const config = { provider: 'clevertap' as const, region: 'us1' as const };
    expect(resolveEnvironment('p', config, { ...ctx, environ: { CLEVERTAP_REGION: ' in1 ' } }).region).toBe('in1');
    expect(resolveEnvironment('p', { provider: 'clevertap' }, { ...ctx, environ: { CLEVERTAP_REGION: 'sg1' } }).region).toBe('sg1');
    expect(resolveEnvironment('p', config, { ...ctx, environ: { CLEVERTAP_REGION: ' ' } }).region).toBe('us1');
  });

  it('never shows a state URL password through util.inspect', () => {
    const env = resolveEnvironment('p', { provider: 'clevertap', apiUrl: 'https://user:apisecret@proxy.example' }, {
      ...ctx,
      environ: { CAMPAIGNCTL_STATE: 'postgres://ct:hunter2@db:5432/campaigns' },
    });
    expect(env.state).toBe('postgres://ct:hunter2@db:5432/campaigns');
    const shown = inspect({ env }, { depth: 5 });
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('apisecret');
    expect(shown).toContain('postgres://ct:***@db:5432/campaigns');
  });
});

describe('CLEVERTAP_REGION', () => {
  const dir = path.resolve(import.meta.dirname, '../fixtures/projects/basic');

  it('names no region: an error with did-you-mean at load, before anything connects', async () => {
    const p = await loadProject({ dir, environ: { CLEVERTAP_REGION: 'eu2' } });
    const d = p.diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => x.code)).toEqual(['config.unknown-region']);
    expect(d[0]!.message).toContain('CLEVERTAP_REGION is `eu2`');
    expect(d[0]!.hint).toBe('did you mean `eu1`?');
    const known = await loadProject({ dir, environ: { CLEVERTAP_REGION: 'IN1' } });
    expect(known.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('reads CLEVERTAP_REGION as the check does, case aside: IN1 is the in1 region, never a host named IN1', async () => {
    const known = await loadProject({ dir, environ: { CLEVERTAP_REGION: 'IN1' } });
    expect(known.environment.region).toBe('in1');
  });

  it('is checked against the same regions as campaignctl.yaml\'s `region`', () => {
    const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../schemas/config.schema.json'), 'utf8'));
    const found: unknown[] = [];
    JSON.stringify(schema, (key, value: unknown) => {
      if (key === 'region' && typeof value === 'object' && value !== null && 'enum' in value) found.push((value as { enum: unknown }).enum);
      return value;
    });
    expect(found).toEqual([[...KNOWN_REGIONS]]);
  });
});

describe('configHash', () => {
  it('moves the config hash with CLEVERTAP_REGION, so a saved plan made for another region is refused', async () => {
    const dir = path.resolve(import.meta.dirname, '../fixtures/projects/basic');
    const asWritten = await loadProject({ dir, env: 'production', environ: {} });
    const otherRegion = await loadProject({ dir, env: 'production', environ: { CLEVERTAP_REGION: 'in1' } });
    expect(asWritten.environment.region).toBe('us1');
    expect(otherRegion.environment.region).toBe('in1');
    expect(configHash(otherRegion)).not.toBe(configHash(asWritten));
  });

  it('is the canonical hash of environment, the files (as their one digest) and partials', async () => {
    const project = await loadProject({ dir: path.resolve(import.meta.dirname, '../fixtures/projects/basic'), environ: {} });
    expect(project.files.length).toBeGreaterThan(2);
    expect(project.filesDigest()).toBe(filesDigest(project.files));
    const whole = { environment: environmentPart(project), files: filesDigest(project.files), partials: partialsPart(project) };
    expect(configHash(project)).toBe(hashCanonical(whole));
  });

  it('takes each file by path and content: the digest of many files (hashed in pieces of a few hundred) is that of the whole list, and moves with one file', async () => {
    const loaded = await loadProject({ dir: path.resolve(import.meta.dirname, '../fixtures/projects/basic'), environ: {} });
    // 601 files: two whole pieces and a part, with a quote and a backslash in one name.
    const files = Array.from({ length: 601 }, (_, i) => ({ path: `campaigns/t${i % 7}/c-${i}${i === 300 ? '"q\\' : ''}.yaml`, sha256: `${i}`.padStart(64, 'a') }));
    const whole = createHash('sha256')
      .update(files.map((f) => `${f.path}\0${f.sha256}\n`).join(''))
      .digest('hex');
    expect(filesDigest(files)).toBe(whole);
    const project = { ...loaded, files, filesDigest: () => filesDigest(files) };
    expect(configHash(project)).toBe(hashCanonical({ environment: environmentPart(project), files: whole, partials: partialsPart(project) }));
    const edited = files.map((f, i) => (i === 450 ? { ...f, sha256: 'b'.repeat(64) } : f));
    expect(configHash({ ...loaded, files: edited, filesDigest: () => filesDigest(edited) })).not.toBe(configHash(project));
  });
});
