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
import { createTemplateEngine } from '../config/templates/engine.js';
import type { Project } from '../config/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { ExternalTriggerResource, MessageResource, ScheduleResource } from '../model/specs.js';
import { renderScheduleData } from '../render/schedule.js';
import type { RuntimeContext } from '../runtime/context.js';
import { recipientsFromTo } from '../runtime/recipients.js';
import { executeSend, prepareMessage, prepareTrigger, type PreparedSend } from '../runtime/send.js';
import type { JsonObject, RunKey, RunRecord, StateTx } from '../state/store.js';
import { utcText } from './local-time.js';

/** A claim this old whose claimant can not be checked is taken as dead (a fire never takes an hour). */
export const IN_FLIGHT_HORIZON_MS = 3_600_000;

export type FireStatus = 'done' | 'failed' | 'unknown' | 'refused';

export interface FireOutcome {
  status: FireStatus | 'skipped-overlap' | 'already-claimed';
  run?: RunRecord;
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
  if (host === hostname() && typeof pid === 'number') {
    if (pid === process.pid) return true;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
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

type Prepared = { ok: true; send: PreparedSend } | { ok: false; detail: string; diagnostics: Diagnostic[] };

/** What the tick sends, rendered for its fire time; nothing touches state or the network. */
export function prepareFire(input: Pick<FireInput, 'schedule' | 'fireTime' | 'project'>): Prepared {
  const { schedule, fireTime, project } = input;
  const spec = schedule.spec;
  if (spec.campaign) {
    return { ok: false, detail: 'campaign schedules are not fired by this version of campaignctl (message and trigger schedules are); nothing was sent', diagnostics: [] };
  }
  const send = spec.message ?? spec.trigger;
  const kind = spec.message ? 'Message' : 'ExternalTrigger';
  const contract = project.resources.find((r) => r.kind === kind && r.name === send?.name);
  if (!send || !contract) return { ok: false, detail: `${kind} ${send?.name ?? '?'} is not in the project; nothing was sent`, diagnostics: [] };
  const render = { ...renderContext(project, createTemplateEngine({ partials: project.partials }), fireTime), schedule: { fireTime, timezone: spec.timezone } };
  const data = renderScheduleData(schedule, render);
  const to = recipientsFromTo(send.to as Record<string, string[]>);
  const prepared = spec.message
    ? prepareMessage(render, contract as unknown as MessageResource, { to, data: data.data })
    : prepareTrigger(contract as unknown as ExternalTriggerResource, { to, data: data.data });
  const diagnostics = [...data.diagnostics, ...prepared.diagnostics];
  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    return { ok: false, detail: `not sent: ${errors.join('; ')}`, diagnostics };
  }
  return { ok: true, send: prepared };
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

  const claim = await store.transaction(async (tx: StateTx) => {
    await tx.cursors.advance(schedule.address, now.toISOString());
    const existing = await tx.runs.get(key);
    if (existing) return { kind: 'already-claimed' as const, run: existing };
    if (!prepared.ok) {
      const r = await tx.runs.record(key, 'failed', { ...claimDetail, error: prepared.detail });
      return { kind: 'invalid' as const, run: r.run };
    }
    if (schedule.spec.overlap !== 'allow') {
      const busy = (await tx.runs.list({ subject: schedule.address, kind: 'schedule', status: 'claimed' })).find((r) => stillInFlight(r, now));
      if (busy) {
        const r = await tx.runs.record(key, 'skipped', { reason: 'overlap', busy: busy.key });
        return { kind: 'overlap' as const, run: r.run, busy };
      }
    }
    const c = await tx.runs.claim(key, { ...claimDetail, contract: prepared.send.address });
    return { kind: 'claimed' as const, run: c.run };
  });
  if (claim.kind === 'already-claimed') return { status: 'already-claimed', run: claim.run, diagnostics: [] };
  if (claim.kind === 'invalid') return { status: 'failed', run: claim.run, detail: prepared.ok ? undefined : prepared.detail, diagnostics: prepared.ok ? [] : prepared.diagnostics };
  if (claim.kind === 'overlap') return { status: 'skipped-overlap', run: claim.run, detail: `the fire of ${claim.busy.key} is still in flight`, diagnostics: [] };
  if (!prepared.ok) throw new Error('unreachable: claimed an unprepared tick');
  await runtime.hooks?.onClaimed?.(claim.run);

  const render = { ...renderContext(input.project, createTemplateEngine({ partials: input.project.partials }), fireTime), schedule: { fireTime, timezone: schedule.spec.timezone } };
  const report = await executeSend({ ...runtime, render }, prepared.send);
  // A partly sent tick is `failed` with its counts: the runner never fires a claimed tick again either way.
  const status: FireStatus = report.outcome === 'succeeded' ? 'done' : report.outcome === 'unknown' ? 'unknown' : 'failed';
  const firstError = report.batches.find((b) => b.failure)?.failure?.error;
  const detail: JsonObject = { ...claimDetail, contract: prepared.send.address, identities: report.identities, calls: report.calls, sent: report.sent, failed: report.failed, unknown: report.unknown };
  if (firstError) detail.error = firstError;
  const run = await store.runs.mark(key, status, detail);
  const text = status === 'done' ? undefined : status === 'unknown' ? `${firstError ?? 'no answer'}; it may have been sent: never resent automatically (settle it with state resolve)` : firstError;
  return { status, run, detail: text, diagnostics: report.diagnostics };
}
