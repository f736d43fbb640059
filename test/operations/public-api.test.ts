/**
 * campaignctl as a library. The README's example (examples/plan-sandbox.mjs), run with node exactly
 * as written, imports the package by its name and plans a copy of the repository's sample project
 * against the embedded sandbox; then plan, apply and drift called in-process through the public
 * entry point (src/index.ts) against the CleverTap emulator on a loopback port, a temp project and
 * its real SQLite state: progress arrives as events, refusals come back as data, and nothing is
 * printed.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apply, drift, loadProject, openContext, plan, type OperationContext, type OperationEvent } from '../../src/index.js';
import { takeLock } from '../../src/operations/lock.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { ACCOUNT, PASSCODE, emulator, TempProject } from '../apply/helpers.js';
import { CliRunner, cleanEnvironment, REPO } from '../cli/cli-run.js';

const run = promisify(execFile);
const EXAMPLE = path.join(REPO, 'examples', 'plan-sandbox.mjs');

describe('the README example (examples/plan-sandbox.mjs)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-example-'));
    cpSync(path.join(REPO, 'campaignctl.yaml'), path.join(dir, 'campaignctl.yaml'));
    cpSync(path.join(REPO, 'campaigns'), path.join(dir, 'campaigns'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports campaignctl by name, plans the sample project on the sandbox and prints the summary plan --quiet prints', { timeout: 60_000 }, async () => {
    const cli = new CliRunner(dir, {}); // checks that dist/ is built
    const example = await run(process.execPath, [EXAMPLE], { cwd: dir, env: cleanEnvironment() });
    expect(example.stdout).toMatch(/^Plan: \d+ to create\n$/);
    // A library call keeps no cache in the project.
    expect(existsSync(path.join(dir, '.campaignctl', 'cache'))).toBe(false);
    const quiet = await cli.run(['plan', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(example.stdout).toBe(quiet.stdout);
  });
});

describe('plan, apply and drift in-process', () => {
  let tp: TempProject;
  let emu: SandboxHandle;
  const opened: OperationContext[] = [];

  beforeEach(async () => {
    emu = await emulator();
    tp = new TempProject();
    tp.campaign({ name: 'alpha', title: 'Title alpha' });
    tp.campaign({ name: 'beta', title: 'Title beta' });
  });
  afterEach(async () => {
    for (const ctx of opened.splice(0)) await ctx.close();
    await emu.close();
    tp.dispose();
  });

  /** A context on the temp project, talking to the emulator; its events collected in `events`. */
  async function context(opts: { passcode?: string | null; cache?: boolean } = {}): Promise<{ ctx: OperationContext; events: OperationEvent[] }> {
    const project = await loadProject({ dir: tp.root, environ: { CLEVERTAP_API_URL: emu.url } });
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const events: OperationEvent[] = [];
    const passcode = opts.passcode === undefined ? PASSCODE : opts.passcode;
    const environ = { CLEVERTAP_ACCOUNT_ID: ACCOUNT, ...(passcode === null ? {} : { CLEVERTAP_PASSCODE: passcode }) };
    const result = await openContext(project, { events: (e) => events.push(e), connect: { environ }, cache: opts.cache });
    if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
    opened.push(result.value);
    return { ctx: result.value, events };
  }

  /** Runs fn and returns what it wrote to stdout, stderr or the console (an operation must write nothing). */
  async function written<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
    let output = '';
    const record = (...chunks: unknown[]) => {
      output += chunks.map(String).join(' ');
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(record),
      vi.spyOn(process.stderr, 'write').mockImplementation(record),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(record)),
    ];
    try {
      return { value: await fn(), output };
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  const created = () => emu.state.campaigns().filter((c) => /^Title (alpha|beta) \[cc:/.test(c.name));
  const yes = async () => true;

  it('plan: the steps as events, the plan as data, nothing printed and no cache kept', async () => {
    const { ctx, events } = await context();
    const { value: result, output } = await written(() => plan(ctx));
    expect(output).toBe('');
    if (result.kind !== 'planned') throw new Error(`refused: ${result.refused}`);
    expect(result.outcome.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create campaign.alpha', 'create campaign.beta']);
    expect(result.outcome.plan.summary.text).toBe('Plan: 2 to create');
    const steps = events.flatMap((e) => (e.kind === 'plan-step' ? [e.step] : []));
    expect(steps).toEqual(expect.arrayContaining(['state', 'desired', 'refresh', 'plan', 'render', 'estimate']));
    expect(existsSync(path.join(tp.root, '.campaignctl', 'cache'))).toBe(false);
    expect(created()).toHaveLength(0);
  });

  it('apply refuses without someone to confirm, and when the answer is no: nothing is created', async () => {
    const { ctx, events } = await context();
    const unasked = await written(() => apply(ctx));
    expect(unasked.output).toBe('');
    expect(unasked.value).toEqual({ kind: 'refused', refused: 'no-confirmation', diagnostics: [], asked: false });
    // The plan it would have asked about was told as an event.
    const planned = events.find((e) => e.kind === 'planned');
    expect(planned?.kind === 'planned' && planned.plan.plan.changes).toHaveLength(2);

    const asked: number[] = [];
    const declined = await apply(ctx, { confirm: async (p) => (asked.push(p.changes.length), false) });
    expect(declined).toMatchObject({ kind: 'refused', refused: 'no-confirmation', asked: true });
    expect(asked).toEqual([2]);
    expect(created()).toHaveLength(0);
  });

  it('apply, confirmed: one event per change with done/total, the result as data, then no drift', async () => {
    const { ctx, events } = await context();
    const { value: outcome, output } = await written(() => apply(ctx, { confirm: yes }));
    expect(output).toBe('');
    if (outcome.kind !== 'applied') throw new Error(`not applied: ${JSON.stringify(outcome)}`);
    expect(outcome.result).toMatchObject({ ok: true, applied: 2, failed: 0 });
    expect(events.find((e) => e.kind === 'apply-target')).toMatchObject({ environment: 'test', sandbox: false });
    const done = events.flatMap((e) => (e.kind === 'change-done' ? [[e.done, e.total, e.outcome.status]] : []));
    expect(done).toEqual([
      [1, 2, 'applied'],
      [2, 2, 'applied'],
    ]);
    expect(created()).toHaveLength(2);

    expect(await drift(ctx)).toMatchObject({ kind: 'drift', drift: [], environment: 'test', sandbox: false });
    emu.state.dashboardStop(created().find((c) => c.name.startsWith('Title beta'))!.id);
    const after = await drift(ctx);
    expect(after.kind === 'drift' && after.drift.map((d) => d.address)).toEqual(['campaign.beta']);
  });

  it('a saved plan is applied exactly once, then refused as stale naming what moved', async () => {
    const { ctx } = await context();
    const file = path.join(tp.root, 'saved.plan.json');
    const planned = await plan(ctx, { out: file, noEstimate: true });
    expect(planned).toMatchObject({ kind: 'planned', saved: { file, written: true } });
    expect(await apply(ctx, { planFile: file })).toMatchObject({ kind: 'applied', result: { ok: true, applied: 2 } });
    expect(created()).toHaveLength(2);
    const again = await apply(ctx, { planFile: file });
    expect(again).toMatchObject({ kind: 'refused', refused: 'stale-plan', diagnostics: [{ code: 'planfile.stale' }], stale: [{ field: 'serial' }] });
  });

  it('apply while another run holds the lock: refused with the holder, nothing sent', async () => {
    const { ctx } = await context();
    const other = await context();
    const held = await takeLock(other.ctx.store, 'apply (another run)', { host: 'ci-runner-7', pid: 4242 });
    if (!held.ok) throw new Error('the lock was not free');
    try {
      const outcome = await apply(ctx, { confirm: yes });
      expect(outcome).toMatchObject({ kind: 'refused', refused: 'locked', diagnostics: [{ code: 'state.locked' }], lock: { holder: { host: 'ci-runner-7', pid: 4242 } } });
    } finally {
      await held.release();
    }
    expect(emu.state.requests()).toHaveLength(0);
  });

  it('refused credentials and an unset passcode are refusals, never a plan', async () => {
    const wrong = (await context({ passcode: 'not-the-passcode' })).ctx;
    for (const outcome of [await plan(wrong), await apply(wrong, { confirm: yes }), await drift(wrong)]) {
      expect(outcome).toMatchObject({ kind: 'refused', refused: 'credentials', diagnostics: [{ code: 'clevertap.auth-failed' }] });
    }
    const unset = (await context({ passcode: null })).ctx;
    expect(await plan(unset)).toMatchObject({ kind: 'refused', refused: 'project', diagnostics: [{ code: 'connect.missing-credential' }] });
    expect(created()).toHaveLength(0);
  });

  it('plan decides itself when its no-change record answers (with caching on), CleverTap still asked', async () => {
    const { ctx, events } = await context({ cache: true });
    expect(await apply(ctx, { confirm: yes, noEstimate: true })).toMatchObject({ kind: 'applied' });
    const first = await plan(ctx, { noEstimate: true });
    expect(first.kind === 'planned' && first.outcome.plan.summary.text).toBe('No changes.');
    const lists = emu.state.requests({ family: 'list' }).length;
    events.length = 0;
    const second = await plan(ctx, { noEstimate: true });
    expect(second.kind === 'planned' && second.outcome.plan.summary.text).toBe('No changes.');
    expect(events).toContainEqual({ kind: 'debug', text: 'no-change record: made on this configuration and state' });
    // Answered without planning: the steps stop at the refresh.
    expect(events.flatMap((e) => (e.kind === 'plan-step' ? [e.step] : []))).toEqual(['state', 'refresh']);
    expect(emu.state.requests({ family: 'list' }).length).toBeGreaterThan(lists);
  });

  it('an apply that lands whole records the plan after it (with caching on): the next plan is answered from it, CleverTap still asked, and drift still shows', async () => {
    const { ctx, events } = await context({ cache: true });
    expect(await apply(ctx, { confirm: yes })).toMatchObject({ kind: 'applied', result: { ok: true } });
    expect(events).toContainEqual({ kind: 'debug', text: 'no-change record: the plan after this apply finds nothing to do: recorded for the next plan' });
    expect(existsSync(path.join(tp.root, '.campaignctl', 'cache', 'no-change-test.json'))).toBe(true);
    const lists = emu.state.requests({ family: 'list' }).length;
    events.length = 0;
    const next = await plan(ctx);
    expect(next.kind === 'planned' && next.outcome.plan.summary.text).toBe('No changes.');
    expect(events).toContainEqual({ kind: 'debug', text: 'no-change record: made on this configuration and state' });
    expect(events.flatMap((e) => (e.kind === 'plan-step' ? [e.step] : []))).toEqual(['state', 'refresh']);
    expect(emu.state.requests({ family: 'list' }).length).toBeGreaterThan(lists);
    // Stopped on the dashboard after the apply: CleverTap answers otherwise, so the record does not.
    emu.state.dashboardStop(created()[0]!.id);
    events.length = 0;
    const drifted = await plan(ctx);
    if (drifted.kind !== 'planned') throw new Error(`refused: ${drifted.refused}`);
    expect(drifted.outcome.plan.drift.map((d) => d.actual)).toEqual(['stopped']);
    expect(events.flatMap((e) => (e.kind === 'plan-step' ? [e.step] : []))).toContain('plan');
  });

  it('an apply with a failed change, or without caching, records no plan after it', async () => {
    const { ctx, events } = await context({ cache: true });
    emu.state.injectFaults([{ fault: '429', family: 'create', count: 1000 }]);
    expect(await apply(ctx, { confirm: yes, noEstimate: true })).toMatchObject({ kind: 'applied', result: { ok: false } });
    expect(events.filter((e) => e.kind === 'debug' && e.text.includes('the plan after this apply'))).toEqual([]);
    expect(existsSync(path.join(tp.root, '.campaignctl', 'cache', 'no-change-test.json'))).toBe(false);
    emu.state.reset();
    const uncached = (await context()).ctx;
    expect(await apply(uncached, { confirm: yes, noEstimate: true })).toMatchObject({ kind: 'applied', result: { ok: true } });
    expect(existsSync(path.join(tp.root, '.campaignctl', 'cache', 'no-change-test.json'))).toBe(false);
  });

  it('an aborted signal stops planning: refused as interrupted, nothing created', async () => {
    const { ctx } = await context();
    const signal = AbortSignal.abort();
    expect(await plan(ctx, { signal })).toEqual({ kind: 'refused', refused: 'interrupted', diagnostics: [] });
    expect(await apply(ctx, { confirm: yes, signal })).toEqual({ kind: 'refused', refused: 'interrupted', diagnostics: [] });
    expect(await drift(ctx, { signal })).toEqual({ kind: 'refused', refused: 'interrupted', diagnostics: [] });
    expect(created()).toHaveLength(0);
  });
});
