import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';

const PROJECTS = path.resolve(import.meta.dirname, '../fixtures/projects');
const BASIC = path.join(PROJECTS, 'basic');
const NOW = new Date('2026-06-15T12:00:00Z');
const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A throwaway project: files relative to its root -> content. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(scratch, 'p-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const MESSAGE = (name: string) =>
  `apiVersion: campaignctl/v1\nkind: Message\nmetadata:\n  name: ${name}\nspec:\n  target_mode: sms\n  content:\n    body: Hi\n`;

describe('loadProject on a valid project', () => {
  it('finds every resource, skips `_` files and folders, reads partials', async () => {
    const p = await loadProject({ dir: BASIC, now: NOW, environ: {} });
    expect(p.diagnostics).toEqual([]);
    expect(p.root).toBe(BASIC);
    expect(p.resources().map((r) => r.address)).toEqual([
      'bulletin.album-released',
      'message.order-shipped',
      'trigger.plan-upgraded',
      'schedule.weekly-status',
      'campaign.winter-sale',
    ]);
    expect(p.files.map((f) => f.path)).toEqual([
      'campaigns/album.yaml',
      'campaigns/ops/contracts.yml',
      'campaigns/push/winter-sale.yaml',
    ]);
    expect(p.partials).toEqual({ footer: readFileSync(path.join(BASIC, 'campaigns/_partials/footer.hbs'), 'utf8') });
  });

  it('records each file hash and each resource envelope and source', async () => {
    const p = await loadProject({ dir: BASIC, now: NOW, environ: {} });
    const text = readFileSync(path.join(BASIC, 'campaigns/ops/contracts.yml'));
    expect(p.files[1].sha256).toBe(createHash('sha256').update(text).digest('hex'));
    const trigger = p.resources().find((r) => r.address === 'trigger.plan-upgraded')!;
    expect(trigger).toMatchObject({
      kind: 'ExternalTrigger',
      name: 'plan-upgraded',
      protect: true,
      labels: {},
      spec: { campaign_id: 1695721550 },
      source: { file: 'campaigns/ops/contracts.yml', documentIndex: 1, line: 10, column: 1 },
    });
    const campaign = p.resources().find((r) => r.address === 'campaign.winter-sale')!;
    expect(campaign.labels).toEqual({ team: 'growth' });
    expect(campaign.protect).toBe(false);
  });

  it('locates nodes inside a resource document', async () => {
    const p = await loadProject({ dir: BASIC, now: NOW, environ: {} });
    expect(p.locate('schedule.weekly-status', ['spec', 'message', 'name'])).toEqual({
      file: 'campaigns/ops/contracts.yml',
      line: 26,
      column: 11,
      endLine: 26,
      endColumn: 24,
    });
    // A path that does not exist resolves to its nearest existing ancestor.
    expect(p.locate('campaign.winter-sale', ['spec', 'content', 'nope'])?.line).toBe(14);
    expect(p.locate('campaign.missing', ['spec'])).toBeUndefined();
  });

  it('finds the root from any folder inside the project', async () => {
    const p = await loadProject({ cwd: path.join(BASIC, 'campaigns/push/_drafts'), now: NOW, environ: {} });
    expect(p.root).toBe(BASIC);
    expect(p.resources()).toHaveLength(5);
  });

  it('takes --dir relative to cwd', async () => {
    const p = await loadProject({ dir: 'basic', cwd: PROJECTS, environ: {} });
    expect(p.root).toBe(BASIC);
  });

  it('treats a folder with campaigns/ and no campaignctl.yaml as a project with an implicit sandbox', async () => {
    const root = path.join(PROJECTS, 'no-config');
    const p = await loadProject({ cwd: path.join(root, 'campaigns'), environ: {} });
    expect(p.root).toBe(root);
    expect(p.config).toEqual({});
    expect(p.environmentName).toBe('sandbox');
    expect(p.environment).toMatchObject({ provider: 'sandbox', region: 'eu1', accountTimezone: 'UTC' });
    expect(p.environment.state).toBe(path.join(root, '.campaignctl/sandbox.db'));
    expect(p.resources().map((r) => r.address)).toEqual(['message.hello']);
  });

  it('reports a missing project as a diagnostic, not an exception', async () => {
    const empty = mkdtempSync(path.join(scratch, 'empty-'));
    const p = await loadProject({ dir: empty, environ: {} });
    expect(p.diagnostics.map((d) => d.code)).toEqual(['project.not-found']);
    expect(p.diagnostics[0].message).toBe(`${empty} is not a campaignctl project (it holds neither campaignctl.yaml nor campaigns/)`);
    expect(p.resources()).toEqual([]);
  });
});

describe('environments', () => {
  it('resolves the default environment with defaults filled in', async () => {
    const p = await loadProject({ dir: BASIC, environ: {} });
    expect(p.environmentName).toBe('sandbox');
    expect(p.environment).toMatchObject({
      name: 'sandbox',
      provider: 'sandbox',
      region: 'eu1',
      accountTimezone: 'Europe/Berlin',
      credentials: { accountIdEnv: 'CLEVERTAP_ACCOUNT_ID', passcodeEnv: 'CLEVERTAP_PASSCODE' },
      limits: { concurrency: 3, createsPerSecond: 3 },
      vars: { shopName: 'ShopNest' },
    });
    expect(p.environment.apiUrl).toBeUndefined();
  });

  it('resolves --env with its own settings; relative state paths are under the root', async () => {
    const p = await loadProject({ dir: BASIC, env: 'production', environ: {} });
    expect(p.environment).toMatchObject({
      name: 'production',
      provider: 'clevertap',
      region: 'us1',
      accountTimezone: 'America/New_York',
      credentials: { accountIdEnv: 'SHOP_CT_ACCOUNT', passcodeEnv: 'SHOP_CT_PASSCODE' },
      state: path.join(BASIC, 'state/production.db'),
      limits: { concurrency: 2, createsPerSecond: 1 },
      quietHours: { start: '22:00', end: '07:00' },
      vars: {},
    });
  });

  it('lets CLEVERTAP_API_URL and CAMPAIGNCTL_STATE override apiUrl and state', async () => {
    const cwd = path.join(BASIC, 'campaigns');
    const p = await loadProject({
      cwd,
      env: 'production',
      environ: { CLEVERTAP_API_URL: 'http://127.0.0.1:9999', CAMPAIGNCTL_STATE: 'here.db' },
    });
    expect(p.environment.apiUrl).toBe('http://127.0.0.1:9999');
    // From the environment, a relative path is relative to where the command runs.
    expect(p.environment.state).toBe(path.join(cwd, 'here.db'));
    const pg = await loadProject({ dir: BASIC, environ: { CAMPAIGNCTL_STATE: 'postgres://ct:hunter2@db:5432/ct' } });
    expect(pg.environment.state).toBe('postgres://ct:hunter2@db:5432/ct');
  });

  it('reports an unknown --env with the environments that exist', async () => {
    const p = await loadProject({ dir: BASIC, env: 'prodution', environ: {} });
    const d = p.diagnostics.find((x) => x.code === 'config.unknown-environment');
    expect(d?.message).toContain('`sandbox`, `production`');
    expect(d?.hint).toBe('did you mean `production`?');
    expect(d?.file).toBeUndefined();
  });

  it('stops at an unknown --env: its error alone, no unknown-variable error per `vars.*` it would have held', async () => {
    const p = await loadProject({ dir: BASIC, env: 'staging', environ: {} });
    expect(p.diagnostics.map((x) => x.code)).toEqual(['config.unknown-environment']);
    expect(p.resources()).toEqual([]);
  });
});

describe('one pass over everything', () => {
  it('reports the problems of every file and every document, sorted by file and line', async () => {
    const root = project({
      'campaigns/b.yaml': MESSAGE('bee').replace('target_mode: sms', 'target_mode: fax'),
      'campaigns/a.yaml': `${MESSAGE('ay').replace('kind: Message', 'kind: Mesage')}---\n${MESSAGE('ok')}---\nkey: [\n`,
      'campaigns/c.yaml': MESSAGE('fine'),
    });
    const p = await loadProject({ dir: root, environ: {} });
    expect(p.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      'campaigns/a.yaml:2 schema.unknown-kind',
      'campaigns/a.yaml:19 yaml.syntax',
      'campaigns/b.yaml:6 schema.enum',
    ]);
    // Documents that passed still become resources.
    expect(p.resources().map((r) => r.address)).toEqual(['message.ok', 'message.fine']);
  });

  it('refuses a file over 1 MiB without parsing it, and keeps loading the others', async () => {
    const root = project({
      'campaigns/big.yaml': MESSAGE('big') + '#' + 'x'.repeat(1024 * 1024) + '\n',
      'campaigns/small.yaml': MESSAGE('small'),
    });
    const p = await loadProject({ dir: root, environ: {} });
    expect(p.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['campaigns/big.yaml file.too-large']);
    expect(p.resources().map((r) => r.address)).toEqual(['message.small']);
    expect(p.files.map((f) => f.path)).toEqual(['campaigns/small.yaml']);
  });

  it('points a duplicate at both places', async () => {
    const root = project({ 'campaigns/one.yaml': MESSAGE('same'), 'campaigns/two.yaml': MESSAGE('same') });
    const p = await loadProject({ dir: root, environ: {} });
    expect(p.diagnostics).toHaveLength(1);
    expect(p.diagnostics[0]).toMatchObject({
      code: 'rule.duplicate-address',
      file: 'campaigns/two.yaml',
      line: 4,
      column: 9,
      address: 'message.same',
      related: [{ file: 'campaigns/one.yaml', line: 4, column: 9 }],
    });
  });

  it('uses a copy of a fixture project the same way as the original (no dependence on its location)', async () => {
    const copy = path.join(scratch, 'copy-of-basic');
    cpSync(BASIC, copy, { recursive: true });
    const a = await loadProject({ dir: BASIC, now: NOW, environ: {} });
    const b = await loadProject({ dir: copy, now: NOW, environ: {} });
    expect(b.resources()).toEqual(a.resources());
    expect(b.files).toEqual(a.files);
  });
});
