/**
 * operations.runDue and operations.schedules in process: the runner pass on an OperationContext
 * (the embedded sandbox, real SQLite state, a fixed clock) fires a due schedule tick, tells it as an
 * event and records it; schedules() then lists the run. Missing credentials are a refusal as data.
 * Nothing is printed.
 */
import { describe, expect, it } from 'vitest';
import { openContext, type OperationContext } from '../../src/operations/context.js';
import type { OperationEvent } from '../../src/operations/events.js';
import { runDue } from '../../src/operations/run-due.js';
import { schedules } from '../../src/operations/schedules.js';
import { isRefusal } from '../../src/operations/under-lock.js';
import { load, TempProject } from '../apply/helpers.js';
import { applyAll, sandboxOf, useOperationFixture } from './helpers.js';

const ADDRESS = 'schedule.morning';
const TICK = '2026-06-01T07:00:00Z';

let tp: TempProject;
let events: OperationEvent[];
let reopen: (clock?: () => Date) => Promise<OperationContext>;
useOperationFixture((f) => ({ tp, events, reopen } = f));

function writeSchedule(): void {
  tp.write(
    'campaigns/messages/morning-note.yaml',
    `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: morning-note
spec:
  target_mode: push
  content:
    title: "Good morning from {{vars.appName}}"
    body: "Your daily note."
    platform_specific:
      android:
        wzrk_cid: daily
`,
  );
  tp.write(
    'campaigns/schedules/morning.yaml',
    `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: morning
spec:
  cron: "0 7 * * *"
  timezone: UTC
  message:
    name: morning-note
    to: { Identity: [u-1] }
`,
  );
}

/** A new run whose clock stands at `at`, on the same project and state. */
function runAt(at: string): Promise<OperationContext> {
  return reopen(() => new Date(at));
}

describe('runDue', () => {
  it('fires the due tick through the context, tells it as an event, and schedules() lists the run', async () => {
    writeSchedule();
    await applyAll(tp, await reopen());
    const ctx = await runAt('2026-06-01T07:00:10Z');
    // The schedule was applied now; its ticks count from just before this one.
    await ctx.store.cursors.advance(ADDRESS, '2026-06-01T06:00:00Z', { reset: true });
    const result = await runDue(ctx);
    if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ ok: true, now: '2026-06-01T07:00:10.000Z', fired: [{ address: ADDRESS, fireTime: TICK, status: 'done' }], skipped: [] });
    expect(events).toContainEqual({ kind: 'run-due.fired', entry: result.fired[0] });
    const { emu } = await sandboxOf(ctx);
    expect(emu.state.requests().filter((r) => r.path.includes('/send/'))).toHaveLength(1);
    const [run] = await ctx.store.runs.list({ subject: ADDRESS });
    expect(run).toMatchObject({ key: TICK, status: 'done' });

    const listed = await schedules(ctx);
    expect(listed.now).toBe('2026-06-01T07:00:10.000Z');
    expect(listed.schedules).toMatchObject([{ address: ADDRESS, lastRun: { fireTime: TICK, status: 'done' }, nextFireTimes: ['2026-06-02T07:00:00Z', '2026-06-03T07:00:00Z', '2026-06-04T07:00:00Z'] }]);
  });

  it('a dry run claims and sends nothing', async () => {
    writeSchedule();
    await applyAll(tp, await reopen());
    const ctx = await runAt('2026-06-01T07:00:10Z');
    await ctx.store.cursors.advance(ADDRESS, '2026-06-01T06:00:00Z', { reset: true });
    const result = await runDue(ctx, { dryRun: true });
    expect(result).toMatchObject({ ok: true, fired: [{ address: ADDRESS, fireTime: TICK, status: 'dry-run' }] });
    const { emu } = await sandboxOf(ctx);
    expect(emu.state.requests().filter((r) => r.path.includes('/send/'))).toHaveLength(0);
    expect(await ctx.store.runs.list({ subject: ADDRESS })).toEqual([]);
  });

  it('missing credentials: a refusal naming the variable, nothing run', async () => {
    const real = new TempProject({ provider: 'clevertap' });
    try {
      const opened = await openContext(await load(real), { connect: { environ: {} } });
      if (!opened.ok) throw new Error('state did not open');
      try {
        const result = await runDue(opened.value);
        expect(result).toMatchObject({ ok: false, refused: 'problems' });
        expect(isRefusal(result) && result.refused === 'problems' && result.diagnostics.map((d) => d.code)).toEqual(['connect.missing-credential', 'connect.missing-credential']);
      } finally {
        await opened.value.close();
      }
    } finally {
      real.dispose();
    }
  });
});
