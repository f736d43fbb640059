/**
 * Remote writes of campaign changes, each wrapped in the journal: a row is opened before the call
 * (its id is the marker in the campaign name) and settled after it, together with the resource
 * row, the audit entry and the serial, in one transaction.
 *
 * create:  open row -> create `<title> [cc:<marker>]` -> settle succeeded + resource row.
 *          Ambiguous answer -> read back by marker: adopted, or not-created and tried again with a
 *          new row (at most createAttempts). A read-back that fails leaves the row open; the next
 *          plan/apply settles it first. Never a second create while the first may exist.
 * replace: create the new campaign first (as above; the old row moves to `address@oldId` in the
 *          same transaction), then stop the old one; if that stop fails, state keeps both and the
 *          next plan stops `address@oldId` (reason superseded).
 * stop:    open row -> stop -> settle + forget the resource. Stop is idempotent, so an ambiguous
 *          stop leaves its row open and the next run simply sends it again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CleverTapError } from '../clevertap/errors.js';
import type { AppliedResource } from '../model/applied.js';
import { supersededAddress } from '../plan/addresses.js';
import type { PlanChange } from '../plan/types.js';
import type { CampaignCreateBody } from '../render/campaign.js';
import { startInstant, windowAround } from './dates.js';
import { remoteCampaignName } from './marker.js';
import { appliedCampaign, audit } from '../state/record.js';
import { ListCache, settleCreate, supersededRow, type CreateContext } from './settle.js';
import type { ChangeOutcome, ExecuteDeps, HandlerContext } from './types.js';

type Ctx = HandlerContext & Pick<ExecuteDeps, 'createAttempts' | 'readBackDelayMs'>;

function outcome(change: PlanChange, status: ChangeOutcome['status'], extra: Partial<ChangeOutcome> = {}): ChangeOutcome {
  return { address: change.address, action: change.action, status, ...extra };
}

function errorFields(err: CleverTapError): ChangeOutcome['error'] {
  return { kind: err.kind, httpStatus: err.httpStatus, retryable: err.retryable, ambiguous: err.ambiguous };
}

/** create and replace (`replacing` is the state row of the campaign being replaced). */
export async function createCampaignChange(
  change: PlanChange,
  payload: CampaignCreateBody | undefined,
  ctx: Ctx,
  replacing?: AppliedResource,
): Promise<ChangeOutcome> {
  if (!payload) return outcome(change, 'failed', { message: 'no rendered request body for this change', error: { kind: 'render', httpStatus: null, retryable: false, ambiguous: false } });
  if (!change.specHash) return outcome(change, 'failed', { message: 'the change has no spec hash', error: { kind: 'state', httpStatus: null, retryable: false, ambiguous: false } });
  const entry = ctx.desired.byAddress.get(change.address);
  const tz = ctx.project.environment.accountTimezone;
  const attempts = Math.max(1, ctx.createAttempts ?? 3);
  const title = payload.name;

  for (let attempt = 1; ; attempt++) {
    const now = ctx.now();
    const startsNow = !change.startsAt || change.startsAt.kind === 'now';
    const start = startInstant(change.startsAt, now);
    const createCtx: CreateContext = {
      address: change.address,
      specHash: change.specHash,
      spec: change.after,
      resource: entry?.resource,
      scheduledFor: start.toISOString(),
      startsNow,
      ...(replacing ? { replacing } : {}),
      rendered: { content: payload.content },
    };
    const row = await ctx.store.journal.open({
      address: change.address,
      operation: 'create',
      request: {
        remoteName: title,
        specHash: change.specHash,
        scheduledFor: startsNow ? 'now' : start.toISOString(),
        ...(replacing?.remoteId != null ? { remoteId: replacing.remoteId } : {}),
      },
      window: windowAround(start, tz),
    });
    const name = remoteCampaignName(title, row.id);
    try {
      const created = await ctx.client.createCampaign({ ...payload, name });
      const applied = appliedCampaign(ctx.provenance, { ...createCtx, remoteId: created.id, remoteName: name, appliedAt: ctx.now().toISOString() });
      await ctx.store.transaction(async (tx) => {
        await tx.journal.settle({
          id: row.id,
          outcome: 'succeeded',
          remoteId: created.id,
          message: `created ${created.id}`,
          resource: { put: applied },
          audit: audit(ctx.provenance, change.address, change.action, { remoteId: created.id, marker: row.id, reason: change.reason }),
        });
        if (replacing?.remoteId != null) await tx.resources.put(supersededRow(replacing));
      });
      return outcome(change, 'applied', { remoteId: created.id, message: `created campaign ${created.id}` });
    } catch (err) {
      if (!(err instanceof CleverTapError)) throw err;
      if (!err.ambiguous) {
        await ctx.store.journal.settle({
          id: row.id,
          outcome: 'failed',
          message: err.message,
          audit: audit(ctx.provenance, change.address, change.action, { marker: row.id, error: err.message }, 'failed'),
        });
        return outcome(change, 'failed', { message: err.message, error: errorFields(err) });
      }
      if (ctx.readBackDelayMs) await sleep(ctx.readBackDelayMs);
      const settled = await settleCreate(row, createCtx, { store: ctx.store, client: ctx.client, provenance: ctx.provenance, now: ctx.now }, new ListCache(ctx.client));
      if ('unsettled' in settled) {
        ctx.hooks.onReadBack?.({ address: change.address, marker: row.id, result: 'unsettled', remoteId: null });
        return outcome(change, 'failed', {
          message: `${err.message}; the outcome is unknown and reading it back failed (${settled.unsettled.reason}); the next plan or apply settles it before anything else`,
          error: errorFields(err),
        });
      }
      const s = settled.settled;
      ctx.hooks.onReadBack?.({ address: change.address, marker: row.id, result: s.outcome === 'adopted' ? 'adopted' : 'not-created', remoteId: s.remoteId });
      if (s.outcome === 'adopted') {
        return outcome(change, 'applied', { remoteId: s.remoteId, message: `created campaign ${s.remoteId} (answer lost: ${err.kind}; found again by its marker)` });
      }
      if (attempt >= attempts) {
        return outcome(change, 'failed', { message: `${err.message}; read back: not created; gave up after ${attempt} attempts`, error: errorFields(err) });
      }
      // Proven absent: safe to try again, with a new row and marker.
    }
  }
}

/** Stops `remoteId`; on success the row at `address` is forgotten (removed and superseded campaigns). */
export async function stopCampaignChange(change: PlanChange, address: string, remoteId: number, ctx: Ctx): Promise<ChangeOutcome> {
  const row = await ctx.store.journal.open({ address, operation: 'stop', request: { remoteId }, window: null });
  try {
    await ctx.client.stopCampaign(remoteId);
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    if (err.ambiguous) {
      // Idempotent: the row stays open and the next run sends the stop again before planning.
      return outcome(change, 'failed', { remoteId, message: `${err.message}; the stop may or may not have landed; the next plan or apply sends it again`, error: errorFields(err) });
    }
    await ctx.store.journal.settle({
      id: row.id,
      outcome: 'failed',
      message: err.message,
      audit: audit(ctx.provenance, address, 'stop', { remoteId, error: err.message }, 'failed'),
    });
    return outcome(change, 'failed', { remoteId, message: err.message, error: errorFields(err) });
  }
  await ctx.store.journal.settle({
    id: row.id,
    outcome: 'succeeded',
    message: `stopped ${remoteId}`,
    resource: { delete: address },
    audit: audit(ctx.provenance, address, 'stop', { remoteId, reason: change.reason }),
  });
  return outcome(change, 'applied', { remoteId, message: `stopped campaign ${remoteId}` });
}

export async function replaceCampaignChange(change: PlanChange, payload: CampaignCreateBody | undefined, ctx: Ctx): Promise<ChangeOutcome> {
  const old = await ctx.store.resources.get(change.address);
  if (!old || old.remoteId === null || (change.remoteId !== null && old.remoteId !== change.remoteId)) {
    return outcome(change, 'failed', {
      message: 'state changed since the plan was made (the campaign to replace is not the one planned); plan again',
      error: { kind: 'state', httpStatus: null, retryable: false, ambiguous: false },
    });
  }
  const created = await createCampaignChange(change, payload, ctx, old);
  if (created.status !== 'applied') return created;
  const stopped = await stopCampaignChange(change, supersededAddress(change.address, old.remoteId), old.remoteId, ctx);
  if (stopped.status === 'applied') {
    return { ...created, message: `${created.message}; stopped the old campaign ${old.remoteId}` };
  }
  return {
    ...created,
    status: 'failed',
    message: `${created.message}, but stopping the old campaign ${old.remoteId} failed (${stopped.message}); state keeps both and the next plan stops it`,
    error: stopped.error,
  };
}

export async function forgetCampaignChange(change: PlanChange, ctx: Ctx): Promise<ChangeOutcome> {
  await ctx.store.transaction(async (tx) => {
    await tx.resources.delete(change.address);
    await tx.audit.append(audit(ctx.provenance, change.address, 'forget', { reason: change.reason, remoteId: change.remoteId }));
  });
  return outcome(change, 'applied', { message: 'forgotten (nothing sent to CleverTap)' });
}
