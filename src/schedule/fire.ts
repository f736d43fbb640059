/**
 * One schedule tick: prepare what it sends (data checked against the contract BEFORE the claim),
 * claim the tick in `runs` in one transaction (with the overlap check and the cursor move), then
 * send through the same runtime code as `send` and `trigger`, and mark the run.
 *
 * The claim is final: a tick whose row exists, whatever its status, is never fired again by the
 * runner (a `failed` tick is not retried either: its moment has passed). A crash after the claim
 * leaves `claimed`, shown as `unknown` and settled by hand with `state resolve`.
 */
import { hostname } from 'node:os';
import { renderContext } from '../apply/desired.js';
import type { RenderContext } from '../render/context.js';
import { isProbablyStale } from '../state/stale.js';
import { createTemplateEngine } from '../templates/engine.js';
import type { Project } from '../config/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { ExternalTriggerResource, MessageResource, ScheduleResource } from '../model/specs.js';
import { renderScheduleData } from '../render/schedule.js';
import { renderScheduledCampaignBody, type CampaignCreateBody } from '../render/campaign.js';
import { scheduleScope } from '../templates/schedule-scope.js';
import { campaignTitle, remoteCampaignName } from '../apply/marker.js';
import { CleverTapError } from '../clevertap/errors.js';
import { newMarker } from '../state/ids.js';
import { recordRuntime } from '../runtime/audit.js';
import type { RuntimeContext } from '../runtime/context.js';
import { recipientsFromTo } from '../runtime/recipients.js';
import { executeSend, prepareMessage, prepareTrigger, type PreparedSend } from '../runtime/send.js';
import type { JsonObject, RunKey, RunRecord, StateStore, StateTx } from '../state/store.js';
import { utcText } from '../time/local-time.js';
import { findTickCampaign } from './read-back.js';

/** A claim this old whose claimant can not be checked is taken as dead (a fire never takes an hour). */
export const IN_FLIGHT_HORIZON_MS = 3_600_000;

export type FireStatus = 'done' | 'failed' | 'unknown' | 'refused';

export interface FireOutcome {
  status: FireStatus | 'skipped-overlap' | 'already-claimed';
  run?: RunRecord;
  /** The campaign a `campaign` tick created. */
  campaignId?: number;
  detail?: string;
  diagnostics: Diagnostic[];
}

export function scheduleRunKey(address: string, fireTime: Date): RunKey {
  return { kind: 'schedule', subject: address, key: utcText(fireTime) };
}

/** Whether a `claimed` run may still be sending: its process is alive on this host, or it is recent. */
export function stillInFlight(run: RunRecord, now: Date): boolean {
  if (run.status !== 'claimed') return false;
  const host = run.detail?.host;
  const pid = run.detail?.pid;
  if (host === hostname() && typeof pid === 'number') return !isProbablyStale({ host, pid });
  return now.getTime() - new Date(run.claimedAt).getTime() < IN_FLIGHT_HORIZON_MS;
}

export interface FireInput {
  schedule: ScheduleResource;
  fireTime: Date;
  /** The pass's `now`: the cursor moves to it with the claim. */
  now: Date;
  project: Project;
  runtime: Omit<RuntimeContext, 'render'>;
}

/** A `campaign` tick: the create body (named with its marker) and the guard to check first. */
export interface PreparedCampaign {
  address: string;
  body: CampaignCreateBody;
  marker: string;
  maxAudience: number | null;
  /** The zone CleverTap's list dates are in (the read-back after an ambiguous create). */
  accountTimezone: string;
}

type Prepared =
  | { ok: true; send: PreparedSend; render: RenderContext; campaign?: undefined }
  | { ok: true; campaign: PreparedCampaign; send?: undefined }
  | { ok: false; detail: string; diagnostics: Diagnostic[] };

function errorsOf(diagnostics: readonly Diagnostic[]): string {
  return `not sent: ${diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`;
}

/**
 * The campaign a tick creates: `when: now`, named `<title> <local date> <local time>` plus the
 * apply marker, its `where` dates resolved from the fire time and `{{schedule.*}}` rendered.
 */
function prepareCampaign(schedule: ScheduleResource, fireTime: Date, render: RenderContext, accountTimezone: string): Prepared {
  const spec = schedule.spec;
  const local = scheduleScope(fireTime, spec.timezone);
  const title = `${campaignTitle({ name: schedule.name, spec: (spec.campaign ?? {}) as Record<string, unknown> })} ${local.date} ${local.time}`;
  const marker = newMarker();
  const rendered = renderScheduledCampaignBody(schedule, render, remoteCampaignName(title, marker));
  if (hasErrors(rendered.diagnostics)) return { ok: false, detail: errorsOf(rendered.diagnostics), diagnostics: rendered.diagnostics };
  const maxAudience = spec.campaign?.guard?.maxAudience;
  return { ok: true, campaign: { address: schedule.address, body: rendered.body, marker, maxAudience: typeof maxAudience === 'number' ? maxAudience : null, accountTimezone } };
}

/** What the tick sends, rendered for its fire time; nothing touches state or the network. */
export function prepareFire(input: Pick<FireInput, 'schedule' | 'fireTime' | 'project'>): Prepared {
  const { schedule, fireTime, project } = input;
  const spec = schedule.spec;
  const render = tickRenderContext(project, schedule, fireTime);
  if (spec.campaign) return prepareCampaign(schedule, fireTime, render, project.environment.accountTimezone);
  const send = spec.message ?? spec.trigger;
  const kind = spec.message ? 'Message' : 'ExternalTrigger';
  const contract = project.resources().find((r) => r.kind === kind && r.name === send?.name);
  if (!send || !contract) return { ok: false, detail: `${kind} ${send?.name ?? '?'} is not in the project; nothing was sent`, diagnostics: [] };
  const data = renderScheduleData(schedule, render);
  const to = recipientsFromTo(send.to as Record<string, string[]>);
  const prepared = spec.message
    ? prepareMessage(render, contract as unknown as MessageResource, { to, data: data.data })
    : prepareTrigger(contract as unknown as ExternalTriggerResource, { to, data: data.data });
  const diagnostics = [...data.diagnostics, ...prepared.diagnostics];
  if (hasErrors(diagnostics)) return { ok: false, detail: errorsOf(diagnostics), diagnostics };
  return { ok: true, send: prepared, render };
}

/** The templates' context at a tick: the project's, at the fire time, with `{{schedule.*}}`. */
function tickRenderContext(project: Project, schedule: ScheduleResource, fireTime: Date): RenderContext {
  return { ...renderContext(project, createTemplateEngine({ partials: project.partials }), fireTime), schedule: { fireTime, timezone: schedule.spec.timezone } };
}

export type TickClaim =
  | { kind: 'busy' }
  | { kind: 'already-claimed'; run: RunRecord }
  | { kind: 'invalid'; run: RunRecord }
  | { kind: 'overlap'; run: RunRecord; busy: RunRecord }
  | { kind: 'claimed'; run: RunRecord };

export interface TickClaimInput {
  address: string;
  key: RunKey;
  /** The pass's `now`: the cursor moves to it with the claim. */
  now: Date;
  /** `check`: a tick of this schedule still in flight makes this one `skipped` (overlap). */
  overlap: 'allow' | 'check';
  /** Why the tick can not be sent (recorded `failed`, nothing claimed); null when it can. */
  invalid: string | null;
  /** The claim's detail (host, pid, what it sends). */
  detail: JsonObject;
}

/**
 * How a pass decides a tick (also what `npm run bench -- state` times): RunStore.decideTick, one
 * round trip on PostgreSQL. A tick already in the ledger is answered from a plain read, with no
 * lock and no write (a replica that comes second pays no commit flush); otherwise the cursor row
 * is taken with FOR UPDATE SKIP LOCKED (held by another pass: `busy`, that one decides), the tick
 * read again under that lock, and claimed with an INSERT ... ON CONFLICT DO NOTHING: only the pass
 * that got the row sends. What decideTick leaves to this pass (no cursor yet; another tick still
 * `claimed`, whose liveness only this process can judge: stillInFlight) and a tick that can not be
 * sent are decided here, in a transaction: the cursor taken and moved, the ledger read
 * (RunStore.takeTick), the overlap check, and the claim or the record.
 */
export async function claimTick(store: StateStore, t: TickClaimInput): Promise<TickClaim> {
  if (t.invalid === null) {
    const quick = await store.runs.decideTick({ address: t.address, key: t.key, advanceTo: t.now.toISOString(), detail: t.detail, overlap: t.overlap });
    if (quick) return quick;
  } else {
    const decided = await store.runs.get(t.key);
    if (decided) return { kind: 'already-claimed', run: decided };
  }
  return store.transaction(async (tx: StateTx) => {
    const ledger = await tx.runs.takeTick(t.address, t.key, t.now.toISOString());
    // Another pass (a replica on the same PostgreSQL state) is deciding this schedule right now: its tick is theirs.
    if (!ledger) return { kind: 'busy' as const };
    if (ledger.run) return { kind: 'already-claimed' as const, run: ledger.run };
    if (t.invalid !== null) {
      const r = await tx.runs.record(t.key, 'failed', { ...t.detail, error: t.invalid });
      return { kind: 'invalid' as const, run: r.run };
    }
    if (t.overlap === 'check') {
      const busy = ledger.claimed.find((r) => stillInFlight(r, t.now));
      if (busy) {
        const r = await tx.runs.record(t.key, 'skipped', { reason: 'overlap', busy: busy.key });
        return { kind: 'overlap' as const, run: r.run, busy };
      }
    }
    const c = await tx.runs.claim(t.key, t.detail);
    return { kind: 'claimed' as const, run: c.run };
  });
}

/**
 * Claims the tick (one transaction: overlap check, claim, cursor move) and sends. A tick that can
 * not be prepared is recorded `failed` without a claim or a call.
 */
export async function fireTick(input: FireInput): Promise<FireOutcome> {
  const { schedule, fireTime, now, runtime } = input;
  const key = scheduleRunKey(schedule.address, fireTime);
  const prepared = prepareFire(input);
  const store = runtime.store;
  const claimDetail: JsonObject = { host: hostname(), pid: process.pid, fireTime: key.key };

  const claim = await claimTick(store, {
    address: schedule.address,
    key,
    now,
    overlap: schedule.spec.overlap === 'allow' ? 'allow' : 'check',
    invalid: prepared.ok ? null : prepared.detail,
    detail: { ...claimDetail, ...(prepared.ok ? (prepared.send ? { contract: prepared.send.address } : { marker: prepared.campaign.marker, name: prepared.campaign.body.name }) : {}) },
  });
  if (claim.kind === 'busy') return { status: 'already-claimed', diagnostics: [] };
  if (claim.kind === 'already-claimed') return { status: 'already-claimed', run: claim.run, diagnostics: [] };
  if (claim.kind === 'invalid') return { status: 'failed', run: claim.run, detail: prepared.ok ? undefined : prepared.detail, diagnostics: prepared.ok ? [] : prepared.diagnostics };
  if (claim.kind === 'overlap') return { status: 'skipped-overlap', run: claim.run, detail: `the fire of ${claim.busy.key} is still in flight`, diagnostics: [] };
  if (!prepared.ok) throw new Error('unreachable: claimed an unprepared tick');
  await runtime.hooks?.onClaimed?.(claim.run);
  if (prepared.campaign) return createTickCampaign(runtime, key, prepared.campaign, claimDetail);

  const report = await executeSend({ ...runtime, render: prepared.render! }, prepared.send!);
  // A partly sent tick is `failed` with its counts: the runner never fires a claimed tick again either way.
  const status: FireStatus = report.outcome === 'succeeded' ? 'done' : report.outcome === 'unknown' ? 'unknown' : 'failed';
  const firstError = report.batches.find((b) => b.failure)?.failure?.error;
  const detail: JsonObject = { ...claimDetail, contract: prepared.send!.address, identities: report.identities, calls: report.calls, sent: report.sent, failed: report.failed, unknown: report.unknown };
  if (firstError) detail.error = firstError;
  const run = await store.runs.mark(key, status, detail);
  const text = status === 'done' ? undefined : status === 'unknown' ? `${firstError ?? 'no answer'}; it may have been sent: never resent automatically (settle it with state resolve)` : firstError;
  return { status, run, detail: text, diagnostics: report.diagnostics };
}

/**
 * After the claim: the guard's estimate first (fail closed: above the limit, or no estimate, is
 * `refused` and nothing is created), then the create. After an ambiguous answer the marker is looked
 * for in CleverTap's list (./read-back.ts): found, the run is `done` with the id; else `unknown`.
 */
async function createTickCampaign(runtime: FireInput['runtime'], key: RunKey, c: PreparedCampaign, claimDetail: JsonObject): Promise<FireOutcome> {
  const base: JsonObject = { ...claimDetail, marker: c.marker, name: c.body.name };
  const finish = async (status: FireStatus, detail: JsonObject, text?: string, campaignId?: number): Promise<FireOutcome> => {
    const run = await runtime.store.runs.mark(key, status, { ...base, ...detail });
    const outcome = status === 'done' ? 'succeeded' : status === 'unknown' ? 'unknown' : 'failed';
    const recorded = await recordRuntime(runtime.store, runtime.provenance, { address: c.address, action: status === 'refused' ? 'refuse' : 'create', outcome, detail: { fireTime: key.key, ...detail } });
    return { status, run, ...(text ? { detail: text } : {}), ...(campaignId !== undefined ? { campaignId } : {}), diagnostics: recorded.diagnostics };
  };
  if (c.maxAudience !== null) {
    let total: number;
    try {
      const { estimates } = await runtime.client.estimateCampaign(c.body);
      total = Object.values(estimates).reduce((a, b) => a + b, 0);
    } catch (err) {
      if (!(err instanceof CleverTapError)) throw err;
      const why = `the audience estimate failed (${err.message}), so guard.maxAudience ${c.maxAudience} could not be checked: not created`;
      return finish('refused', { error: why }, why);
    }
    if (total > c.maxAudience) {
      const why = `estimated audience ${total} is above guard.maxAudience ${c.maxAudience}: not created`;
      return finish('refused', { estimate: total, error: why }, why);
    }
    base.estimate = total;
  }
  try {
    const created = await runtime.client.createCampaign(c.body);
    return finish('done', { campaignId: created.id }, undefined, created.id);
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    if (!err.ambiguous) return finish('failed', { error: err.message }, err.message);
    const back = await findTickCampaign(runtime.client, c.marker, new Date(key.key), c.accountTimezone);
    if (back.found !== null) return finish('done', { campaignId: back.found, foundBy: 'marker', error: err.message }, undefined, back.found);
    const why = `${err.message}; it may have been created (${back.why}; look for [cc:${c.marker}] in its name): never created again automatically (settle it with state resolve)`;
    return finish('unknown', { error: err.message }, why);
  }
}
