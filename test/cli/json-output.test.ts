/**
 * Every command's `--json` output spells campaignctl's own keys in snake_case (as `format_version`
 * does), and a refused `apply --json` still ends with its `result` event saying why. The built CLI
 * runs on the scaffolded project against its embedded sandbox, so every command has real output.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignYaml, openState } from '../apply/helpers.js';
import { CliRunner, type CliResult } from './cli-run.js';

/**
 * Fields whose value is the user's or CleverTap's data, reproduced verbatim (a spec as written in
 * YAML, a request body as it goes on the wire, labels, CleverTap's estimates and `to` keys): their
 * keys are not campaignctl's to spell.
 */
const DATA_FIELDS = new Set(['spec', 'rendered', 'before', 'after', 'body', 'requests', 'labels', 'by_platform', 'recipients', 'failed_recipients', 'unknown_recipients']);

/** Every key campaignctl chose, with its path, that is not snake_case. */
function notSnakeCase(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => notSnakeCase(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const bad = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(k) ? [] : [`${at}.${k}`];
    return DATA_FIELDS.has(k) ? bad : [...bad, ...notSnakeCase(v, `${at}.${k}`)];
  });
}

/** One JSON document, or JSON lines (apply): every value printed on stdout. */
function documents(r: CliResult): unknown[] {
  const text = r.stdout.trim();
  if (text.startsWith('{\n') || text.startsWith('[')) return [JSON.parse(text)];
  return text.split('\n').map((line) => JSON.parse(line));
}

let dir: string;
let cli: CliRunner;
const run = (...args: string[]) => cli.run(['--json', ...args]);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-json-'));
  cli = new CliRunner(dir, { CAMPAIGNCTL_NOW: '2026-12-01T10:00:00Z' });
  const init = await cli.run(['init']);
  expect(init.code, init.stderr).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--json output', () => {
  it('every key of every command is snake_case', { timeout: 120_000 }, async () => {
    const campaign = 'campaign.new-season-night-shift';
    const trigger = ['trigger', 'subscription-upgraded', '--to', 'identity:u1', '--set', 'plan=Premium', '--set', 'previousPlan=Free', '--set', 'renewsOn=2027-01-31'];
    const send = ['send', 'order-shipped', '--to', 'Identity:u1', '--set', 'orderId=SN-123456', '--set', 'carrier=DHL', '--set', 'eta=2027-01-02'];
    const raise = ['raise', 'album-released', '--name', 'Out now', '--set', 'artist=X', '--set', 'album=Y', '--set', 'genre=Pop', '--set', 'album_id=alb_1'];
    const steps: { args: string[]; code: number }[] = [
      { args: ['validate'], code: 0 },
      { args: ['validate', '--env', 'nope'], code: 1 },
      { args: ['render', campaign], code: 0 },
      { args: ['plan'], code: 0 },
      { args: ['apply'], code: 1 },
      { args: ['apply', '--yes'], code: 0 },
      { args: ['drift'], code: 0 },
      { args: ['state', 'list'], code: 0 },
      { args: ['state', 'show', campaign], code: 0 },
      { args: [...send, '--dry-run'], code: 0 },
      { args: send, code: 0 },
      { args: trigger, code: 0 },
      { args: raise, code: 0 },
      { args: ['stop', campaign, '--reason', 'json keys'], code: 0 },
      { args: ['force-unlock', 'nope'], code: 1 },
    ];
    const remoteId = async () => (documents(await run('state', 'show', campaign))[0] as { resource: { remote_id: number } }).resource.remote_id;
    const seen: string[] = [];
    for (const step of steps) {
      if (step.args[0] === 'stop') {
        // import too: forget the campaign, then adopt it again by its CleverTap id.
        const id = await remoteId();
        const forgotten = await run('state', 'rm', campaign);
        const imported = await run('import', campaign, String(id));
        for (const [r, what] of [[forgotten, 'state rm'], [imported, 'import']] as const) {
          expect(r.code, `${what}: ${r.stderr}`).toBe(0);
          expect(documents(r).flatMap((d) => notSnakeCase(d)), what).toEqual([]);
          seen.push(what);
        }
      }
      const r = await run(...step.args);
      expect(r.code, `${step.args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(step.code);
      const docs = documents(r);
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.flatMap((d) => notSnakeCase(d)), step.args.join(' ')).toEqual([]);
      seen.push(step.args[0]!);
    }
    // The ones the old output spelled in camelCase, so the walk really saw them.
    const applied = documents(await run('state', 'list'))[0] as { open_journal: number; resources: { spec_hash: string }[] };
    expect(applied.open_journal).toBe(0);
    expect(applied.resources[0]!.spec_hash).toMatch(/^sha256:/);
    expect(new Set(seen)).toEqual(new Set(['validate', 'render', 'plan', 'apply', 'drift', 'state', 'send', 'trigger', 'raise', 'state rm', 'import', 'stop', 'force-unlock']));
  });

  it('keeps the keys of the data it shows as they were written', async () => {
    expect((await run('apply', '--yes')).code).toBe(0);
    const shown = documents(await run('state', 'show', 'trigger.subscription-upgraded'))[0] as { resource: { spec: { payload: { properties: Record<string, unknown> } } } };
    expect(Object.keys(shown.resource.spec.payload.properties)).toContain('previousPlan');
    const dry = documents(await run('send', 'order-shipped', '--to', 'Identity:u9', '--set', 'orderId=SN-123456', '--set', 'carrier=DHL', '--set', 'eta=2027-01-02', '--dry-run'))[0] as {
      dry_run: boolean;
      requests: { to: Record<string, string[]> }[];
    };
    expect(dry.dry_run).toBe(true);
    expect(dry.requests[0]!.to).toEqual({ Identity: ['u9'] });
  });

  it('a refused apply ends with a result event saying which refusal and why', { timeout: 120_000 }, async () => {
    /** The last line of stdout: the result event, every line before it JSON too. */
    const result = async (...args: string[]) => {
      const r = await run('apply', ...args);
      expect(r.code, r.stderr).toBe(1);
      const events = documents(r) as Record<string, unknown>[];
      const last = events.at(-1)!;
      expect(last).toMatchObject({ event: 'result', ok: false, applied: 0, failed: 0, skipped: 0 });
      expect(typeof last.reason).toBe('string');
      return last;
    };
    expect((await run('apply', '--yes')).code).toBe(0);

    // Not a terminal and no --yes.
    const guarded = path.join(dir, 'campaigns', 'guarded.yaml');
    writeFileSync(guarded, campaignYaml({ name: 'guarded', when: '2027-06-01T09:00:00Z' }));
    expect(await result()).toMatchObject({ refused: 'no-confirmation', reason: expect.stringContaining('--yes') });

    // A saved plan that went stale.
    expect((await cli.run(['plan', '--out', 'saved.plan.json'])).code).toBe(0);
    writeFileSync(guarded, campaignYaml({ name: 'guarded', when: '2027-06-02T09:00:00Z' }));
    const stale = await result('saved.plan.json');
    expect(stale).toMatchObject({ refused: 'stale-plan', diagnostics: [{ code: 'planfile.stale' }], stale: [{ field: 'config_hash' }] });
    expect(stale.reason).toContain('configuration');

    // A guard: the campaign would message more people than its limit allows.
    writeFileSync(guarded, campaignYaml({ name: 'guarded', when: 'now', maxAudience: 10 }));
    const refused = await result('--yes');
    expect(refused).toMatchObject({ refused: 'plan-refused', diagnostics: [{ address: 'campaign.guarded' }] });
    expect(refused.reason).toContain('campaign.guarded');
    unlinkSync(guarded);

    // Another run holds the lock.
    const store = await openState(path.join(dir, '.campaignctl', 'sandbox.db'));
    try {
      const held = await store.lock.acquire({ command: 'apply', host: 'ci-runner-7', pid: 4242 });
      expect(held.ok).toBe(true);
      const locked = await result('--yes');
      expect(locked).toMatchObject({ refused: 'locked', diagnostics: [{ code: 'state.locked' }], locked: { holder: { host: 'ci-runner-7', pid: 4242 } } });
      expect(locked.reason).toContain('locked');
      if (held.ok) await store.lock.release(held.lock.id);
    } finally {
      await store.close();
    }

    // The command line itself.
    expect(await result('saved.plan.json', '--no-estimate')).toMatchObject({ refused: 'invalid-flags' });
  });
});
