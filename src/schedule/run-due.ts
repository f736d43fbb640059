/**
 * One runner pass (`campaignctl run-due`, and `watch` later): every applied Schedule's ticks since
 * its cursor are fired, or recorded missed/skipped, by ./ticks.ts's rules and ./fire.ts's claim;
 * bulletin occurrences that came due are raised exactly as apply raises them (the same claim in
 * `runs`, so apply and the runner never both raise one).
 *
 * Everything comes in through the arguments (state, client, project, `now`, an event callback): no
 * printing, no exit codes, no commander. Two passes at once on one state fire each tick once: the
 * claim is one INSERT only one writer wins, and a tick found claimed is left to its claimant.
 */
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { CleverTapClient } from '../clevertap/client.js';
import type { Project } from '../config/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AppliedResource } from '../model/applied.js';
import type { BulletinResource, ScheduleResource, ScheduleSpec } from '../model/specs.js';
import { hashCanonical } from '../plan/canonical.js';
import { msUntil, resolveStart } from '../plan/instant.js';
import { bulletinOccurrences } from '../plan/spec-access.js';
import { raiseOccurrence } from '../runtime/occurrence.js';
import { DEFAULT_PARALLEL, type Provenance, type RuntimeHooks } from '../runtime/context.js';
import { renderContext } from '../apply/desired.js';
import { createTemplateEngine } from '../templates/engine.js';
import type { StateStore } from '../state/store.js';
import { fireTick, prepareFire, scheduleRunKey, stillInFlight, type FireStatus } from './fire.js';
import { utcText } from '../time/local-time.js';
import { inQuietHours, quietZone } from '../time/quiet-hours.js';
import { planTicks } from './ticks.js';
import { findTickCampaign } from './read-back.js';

export interface FiredEntry {
  /** `schedule.x`, or `bulletin.y#key` for an occurrence. */
  address: string;
  fireTime: string;
  /** `dry-run`: would fire now (nothing claimed or sent). */
  status: FireStatus | 'dry-run';
  campaignId?: number;
  detail?: string;
}

export interface SkippedEntry {
  address: string;
  fireTime: string;
  reason: 'missed' | 'overlap' | 'disabled' | 'quiet-hours';
  detail?: string;
}

export type RunDueEvent = { type: 'fired'; entry: FiredEntry } | { type: 'skipped'; entry: SkippedEntry };

export interface RunDueContext {
  store: StateStore;
  client: CleverTapClient;
  project: Project;
  now: Date;
  provenance: Provenance;
  /** The environment and --dir that commands printed for the user (retries, state resolve) name. */
  commandTarget: CommandTarget;
  /** Batches in flight at once per send (default: the runtime's). */
  parallel?: number;
  hooks?: RuntimeHooks;
  signal?: AbortSignal;
  onEvent?(event: RunDueEvent): void;
}

export interface RunDueOptions {
  /** Decide only: nothing is claimed, recorded, moved or sent. */
  dryRun?: boolean;
}

export interface RunDueResult {
  now: string;
  fired: FiredEntry[];
  skipped: SkippedEntry[];
  diagnostics: Diagnostic[];
  /** False when any fire failed or its outcome is unknown. */
  ok: boolean;
}

export async function runDue(ctx: RunDueContext, options: RunDueOptions = {}): Promise<RunDueResult> {
  const result: RunDueResult = { now: ctx.now.toISOString(), fired: [], skipped: [], diagnostics: [], ok: true };
  const keepFired = (e: FiredEntry) => {
    result.fired.push(e);
    if (e.status === 'failed' || e.status === 'unknown') result.ok = false;
  };
  const fired = (e: FiredEntry) => {
    keepFired(e);
    ctx.onEvent?.({ type: 'fired', entry: e });
  };
  const skipped = (e: SkippedEntry) => {
    result.skipped.push(e);
    ctx.onEvent?.({ type: 'skipped', entry: e });
  };

  await settleDeadClaims(ctx, options, fired);
  const applied = await ctx.store.resources.list();
  // Schedules pass side by side, as many at once as CleverTap takes calls (3): 100 due schedules
  // must not wait on each other's round trips. Each tick's claim is still one transaction, and the
  // result lists them in the applied order whatever order they finished in.
  const schedules = applied.filter((r) => r.kind === 'Schedule');
  const passes = schedules.map(() => ({ fired: [] as FiredEntry[], skipped: [] as SkippedEntry[], diagnostics: [] as Diagnostic[] }));
  // Most schedules of a pass have nothing due; their cursors move together (1,000 write
  // transactions cost a whole pass ~0.3 s). A crash before this write only means the next pass looks
  // at the same empty stretch again.
  const idle: string[] = [];
  await inLanes(schedules.length, ctx.parallel ?? DEFAULT_PARALLEL, (i) => {
    const pass = passes[i]!;
    return passSchedule(ctx, options, scheduleOf(ctx.project, schedules[i]!), {
      fired: (e) => {
        pass.fired.push(e);
        ctx.onEvent?.({ type: 'fired', entry: e });
      },
      skipped: (e) => {
        pass.skipped.push(e);
        ctx.onEvent?.({ type: 'skipped', entry: e });
      },
      diagnostics: pass.diagnostics,
      advance: (address) => idle.push(address),
    });
  });
  if (idle.length > 0) {
    const at = ctx.now.toISOString();
    await ctx.store.transaction(async (tx) => {
      for (const address of idle) await tx.cursors.advance(address, at);
    });
  }
  for (const pass of passes) {
    pass.fired.forEach(keepFired);
    result.skipped.push(...pass.skipped);
    result.diagnostics.push(...pass.diagnostics);
  }
  for (const row of applied.filter((r) => r.kind === 'Bulletin')) {
    await raiseDueOccurrences(ctx, options, row, { fired, skipped, diagnostics: result.diagnostics });
  }
  return result;
}

/** Runs task(0..count-1), at most `lanes` at a time. */
async function inLanes(count: number, lanes: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, count)) }, lane));
}

interface Sinks {
  fired(e: FiredEntry): void;
  skipped(e: SkippedEntry): void;
  diagnostics: Diagnostic[];
  /** A schedule with nothing to fire: its cursor moves to now with the others', in one transaction. */
  advance(address: string): void;
}

/** What a tick whose pass died mid-fire says, in the ledger and in the pass that finds it. */
export const DEAD_CLAIM_DETAIL = 'the pass that claimed it ended before CleverTap answered; it may have been sent: never resent automatically (settle it with state resolve)';

/**
 * Ticks left `claimed` by a pass that died between its claim and CleverTap's answer (kill -9, a
 * crash, a lost pod): marked `unknown` in the ledger and reported once, by the first pass that
 * finds the claimant gone. The claim already moved the cursor past the tick, so without this the
 * runner would never mention it again. Never resent: whether it went out is for `state resolve`.
 */
async function settleDeadClaims(ctx: RunDueContext, options: RunDueOptions, fired: (e: FiredEntry) => void): Promise<void> {
  const claimed = await ctx.store.runs.list({ kind: 'schedule', status: 'claimed' });
  for (const run of claimed.filter((r) => !stillInFlight(r, ctx.now))) {
    // A campaign tick names its campaign with a marker: if the dead pass's create landed, it is found.
    const marker = run.detail?.marker;
    if (!options.dryRun && typeof marker === 'string') {
      const back = await findTickCampaign(ctx.client, marker, new Date(run.key), ctx.project.environment.accountTimezone);
      if (back.found !== null) {
        const settled = await ctx.store.transaction(async (tx) => {
          if ((await tx.runs.get(run))?.status !== 'claimed') return false;
          await tx.runs.mark(run, 'done', { ...(run.detail ?? {}), campaignId: back.found, foundBy: 'marker' });
          return true;
        });
        if (settled) fired({ address: run.subject, fireTime: run.key, status: 'done', campaignId: back.found, detail: 'the pass that claimed it ended before CleverTap answered; the campaign was found by its marker' });
        continue;
      }
    }
    if (!options.dryRun) {
      // Two passes may find it at once: only the one that still sees `claimed` marks and reports it.
      const marked = await ctx.store.transaction(async (tx) => {
        if ((await tx.runs.get(run))?.status !== 'claimed') return false;
        await tx.runs.mark(run, 'unknown', { ...(run.detail ?? {}), error: DEAD_CLAIM_DETAIL });
        return true;
      });
      if (!marked) continue;
    }
    fired({ address: run.subject, fireTime: run.key, status: 'unknown', detail: DEAD_CLAIM_DETAIL });
  }
}

/** The schedule as applied (its spec from state: what apply made live), located in the project when it is still there. */
function scheduleOf(project: Project, row: AppliedResource): ScheduleResource {
  const inProject = project.resources().find((r) => r.address === row.address);
  const name = row.address.slice('schedule.'.length);
  const base = inProject ?? { kind: 'Schedule' as const, address: row.address, name, labels: row.labels, protect: row.protect, source: { file: row.file ?? '' } };
  return { ...base, spec: row.spec as ScheduleSpec } as ScheduleResource;
}

async function passSchedule(ctx: RunDueContext, options: RunDueOptions, schedule: ScheduleResource, out: Sinks): Promise<void> {
  const { store, now } = ctx;
  const address = schedule.address;
  const cursorText = await store.cursors.get(address);
  if (cursorText === null) {
    // Applied before the runner kept cursors: it starts from now, never from the past.
    if (!options.dryRun) await store.cursors.advance(address, now.toISOString());
    return;
  }
  const plan = planTicks(schedule.spec, new Date(cursorText), now);
  for (const p of plan.passed) {
    const fireTime = utcText(p.at);
    if (options.dryRun) {
      out.skipped({ address, fireTime, reason: p.reason, detail: p.detail });
      continue;
    }
    const r = await store.runs.record(scheduleRunKey(address, p.at), p.reason === 'disabled' ? 'skipped' : 'missed', { reason: p.reason, detail: p.detail });
    if (r.recorded) out.skipped({ address, fireTime, reason: p.reason, detail: p.detail });
  }
  if (plan.fire && quietNow(ctx, schedule.spec)) {
    // Refused, not postponed: the tick is recorded skipped and the cursor moves on, as for a disabled schedule.
    const fireTime = utcText(plan.fire);
    const detail = quietDetail(ctx);
    if (options.dryRun) {
      out.skipped({ address, fireTime, reason: 'quiet-hours', detail });
      return;
    }
    const r = await store.runs.record(scheduleRunKey(address, plan.fire), 'skipped', { reason: 'quiet-hours', detail });
    if (r.recorded) out.skipped({ address, fireTime, reason: 'quiet-hours', detail });
    await store.cursors.advance(address, now.toISOString());
  } else if (plan.fire) {
    const fireTime = utcText(plan.fire);
    if (options.dryRun) {
      const existing = await store.runs.get(scheduleRunKey(address, plan.fire));
      if (existing) return;
      const prepared = prepareFire({ schedule, fireTime: plan.fire, project: ctx.project });
      out.fired(prepared.ok ? { address, fireTime, status: 'dry-run' } : { address, fireTime, status: 'failed', detail: prepared.detail });
      return;
    }
    const outcome = await fireTick({
      schedule,
      fireTime: plan.fire,
      now,
      project: ctx.project,
      runtime: { client: ctx.client, store, provenance: ctx.provenance, commandTarget: ctx.commandTarget, parallel: ctx.parallel, hooks: ctx.hooks, signal: ctx.signal },
    });
    out.diagnostics.push(...outcome.diagnostics);
    if (outcome.status === 'skipped-overlap') out.skipped({ address, fireTime, reason: 'overlap', ...(outcome.detail ? { detail: outcome.detail } : {}) });
    else if (outcome.status === 'already-claimed') {
      // Another pass owns it; one that died mid-fire (after this pass's first look) left `claimed`: say so (never resent).
      if (outcome.run && outcome.run.status === 'claimed' && !stillInFlight(outcome.run, now)) {
        out.fired({ address, fireTime, status: 'unknown', detail: DEAD_CLAIM_DETAIL });
      }
    } else {
      out.fired({ address, fireTime, status: outcome.status, ...(outcome.campaignId !== undefined ? { campaignId: outcome.campaignId } : {}), ...(outcome.detail ? { detail: outcome.detail } : {}) });
    }
  } else if (!options.dryRun) {
    out.advance(address);
  }
}

/**
 * Occurrences of an applied bulletin that came due and were never claimed, raised by the runtime's
 * raiseOccurrence (the claim apply uses). Only occurrences applied as they stand in the project:
 * an edited or new one waits for apply.
 */
async function raiseDueOccurrences(ctx: RunDueContext, options: RunDueOptions, row: AppliedResource, { fired, skipped }: Omit<Sinks, 'advance'>): Promise<void> {
  const resource = ctx.project.resources().find((r) => r.address === row.address) as unknown as BulletinResource | undefined;
  if (!resource) return;
  const inProject = new Map(bulletinOccurrences(resource.spec).map((o) => [o.key, o]));
  for (const occ of bulletinOccurrences(row.spec)) {
    const current = inProject.get(occ.key);
    if (!current || hashCanonical(current) !== hashCanonical(occ)) continue;
    const start = resolveStart(occ.at, ctx.project.environment.accountTimezone);
    if (!start || msUntil(start, ctx.now) > 0) continue;
    if (await ctx.store.runs.get({ kind: 'occurrence', subject: row.address, key: occ.key })) continue;
    const address = `${row.address}#${occ.key}`;
    const fireTime = start.kind === 'at' ? utcText(new Date(start.instant)) : utcText(ctx.now);
    if (quietNow(ctx, row.spec)) {
      // Held, not dropped: nothing is recorded, so the first pass after the window raises it.
      skipped({ address, fireTime, reason: 'quiet-hours', detail: `${quietDetail(ctx)}; raised by the first pass after it ends` });
      continue;
    }
    if (options.dryRun) {
      fired({ address, fireTime, status: 'dry-run' });
      continue;
    }
    const render = renderContext(ctx.project, createTemplateEngine({ partials: ctx.project.partials }), ctx.now);
    const r = await raiseOccurrence({ client: ctx.client, store: ctx.store, render, provenance: ctx.provenance, commandTarget: ctx.commandTarget, hooks: ctx.hooks }, { bulletin: resource, key: occ.key });
    if (r.status === 'already-claimed') continue;
    if (r.status === 'invalid') {
      fired({ address, fireTime, status: 'failed', detail: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ') });
      continue;
    }
    const status = r.status === 'raised' ? 'done' : r.status;
    fired({ address, fireTime, status, ...(r.report.failure ? { detail: r.report.failure.error } : {}) });
  }
}

/** True when the environment's quiet hours hold at the pass's `now` and the applied spec does not allow sending in them. */
function quietNow(ctx: RunDueContext, spec: unknown): boolean {
  const q = ctx.project.environment.quietHours;
  if (!q || (spec as { allowQuietHours?: unknown }).allowQuietHours === true) return false;
  return inQuietHours(ctx.now, q, ctx.project.environment.accountTimezone);
}

function quietDetail(ctx: RunDueContext): string {
  const q = ctx.project.environment.quietHours!;
  return `inside quiet hours (${q.start}-${q.end} ${quietZone(q, ctx.project.environment.accountTimezone)}); allowQuietHours: true in the spec lets it send`;
}
