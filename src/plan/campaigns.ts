/**
 * DESIGN.md section 4 for Campaigns: create, replace (still scheduled), immutable warning (already
 * sending or sent), stop (gone from YAML, live, not protected), forget (gone, finished), drift
 * (and `heal`), the irreversible marking of immediate starts and the past-`when` error.
 */
import type { AppliedResource } from '../model/applied.js';
import { isSuperseded } from './addresses.js';
import type { CampaignAssessment } from './campaign-status.js';
import { isLive } from './campaign-status.js';
import { diagnose, makeChange, type PlanContext } from './context.js';
import { diffSpecs } from './diff.js';
import { msUntil, resolveStart, type StartsAt } from './instant.js';
import { driftMessage, messages, notes } from './messages.js';
import { campaignWhen } from './spec-access.js';
import type { DesiredResource } from './types.js';

/** A start within this window from `now` sends as soon as the plan is applied. */
export const IMMEDIATE_WINDOW_MS = 15 * 60 * 1000;

export function planCampaign(
  ctx: PlanContext,
  d: DesiredResource | undefined,
  a: AppliedResource | undefined,
  status: CampaignAssessment | undefined,
): void {
  const address = d?.resource.address ?? a!.address;
  let healed = false;

  if (d && !a) {
    createCampaign(ctx, d, 'new');
  } else if (d && a && status) {
    if (status.drift) {
      // State does not explain CleverTap: show it; re-create only when asked to heal, and never
      // while CleverTap still has it live (that would send twice).
      if (ctx.heal && !isLive(status.effective)) {
        createCampaign(ctx, d, 'heal', a);
        healed = true;
      }
    } else if (a.specHash !== d.specHash) {
      editedCampaign(ctx, d, a, status);
    } else if (status.effective === 'stopped') {
      ctx.notes.push({ address, code: 'stopped', message: notes.stoppedKept() });
    }
  } else if (!d && a && status) {
    removedCampaign(ctx, a, status);
  }

  if (a && status?.drift) {
    ctx.drift.push({
      address,
      remoteId: a.remoteId,
      expected: a.status,
      actual: status.drift.actual,
      message: driftMessage(status.drift.actual, a.status),
      healed,
    });
  }
  if (status?.unknownStatus) diagnose(ctx, messages.remoteStatusUnknown(status.unknownStatus)({ address }, ctx.locate));
}

function editedCampaign(ctx: PlanContext, d: DesiredResource, a: AppliedResource, status: CampaignAssessment): void {
  const where = { address: d.resource.address, source: d.resource.source };
  if (status.effective === 'scheduled') {
    const start = startOf(ctx, d);
    const change = makeChange({
      address: d.resource.address,
      kind: 'Campaign',
      action: 'replace',
      reason: 'spec-changed',
      before: a.spec,
      after: d.canonicalSpec,
      specHash: d.specHash,
      remoteId: a.remoteId,
      startsAt: start ?? null,
      irreversible: isImmediate(start, ctx.now),
      source: d.resource.source,
    });
    change.diff = diffSpecs(a.spec, d.canonicalSpec);
    ctx.changes.push(change);
    checkStart(ctx, d, start);
  } else if (status.effective === 'stopped') {
    diagnose(ctx, messages.immutableStopped()(where, ctx.locate));
  } else {
    const shown = status.effective === 'finished' ? (status.remoteStatus ?? a.status) : status.effective;
    diagnose(ctx, messages.immutable(shown)(where, ctx.locate));
  }
}

function createCampaign(ctx: PlanContext, d: DesiredResource, reason: 'new' | 'heal', a?: AppliedResource): void {
  const start = startOf(ctx, d);
  const change = makeChange({
    address: d.resource.address,
    kind: 'Campaign',
    action: 'create',
    reason,
    before: a?.spec,
    after: d.canonicalSpec,
    specHash: d.specHash,
    startsAt: start ?? null,
    irreversible: isImmediate(start, ctx.now),
    source: d.resource.source,
  });
  if (a) change.diff = diffSpecs(a.spec, d.canonicalSpec);
  ctx.changes.push(change);
  checkStart(ctx, d, start);
}

function removedCampaign(ctx: PlanContext, a: AppliedResource, status: CampaignAssessment): void {
  // protect keeps a campaign that left the repo; the leftover of a replace did not leave it
  if (a.protect && !isSuperseded(a.address)) {
    const shown = status.effective === 'missing' ? 'in state' : status.effective;
    ctx.notes.push({ address: a.address, code: 'protected', message: notes.protectedKept(shown, a.address, ctx.commandTarget) });
    return;
  }
  const base = { address: a.address, kind: 'Campaign' as const, before: a.spec, remoteId: a.remoteId };
  if (isLive(status.effective) && a.remoteId !== null) {
    ctx.changes.push(makeChange({ ...base, action: 'stop', reason: isSuperseded(a.address) ? 'superseded' : 'removed' }));
  } else if (isLive(status.effective)) {
    ctx.notes.push({ address: a.address, code: 'no-remote-id', message: notes.stopWithoutId() });
    ctx.changes.push(makeChange({ ...base, action: 'forget', reason: 'missing-remotely' }));
  } else {
    const reason = status.effective === 'missing' ? 'missing-remotely' : 'finished';
    ctx.changes.push(makeChange({ ...base, action: 'forget', reason }));
  }
}

function startOf(ctx: PlanContext, d: DesiredResource): StartsAt | undefined {
  return d.startsAt ?? resolveStart(campaignWhen(d.resource.spec), ctx.timeZone);
}

/** `now`, within 15 minutes, or unknown (treated as now: the safe side). */
export function isImmediate(start: StartsAt | undefined, now: Date): boolean {
  return start === undefined || msUntil(start, now) <= IMMEDIATE_WINDOW_MS;
}

function checkStart(ctx: PlanContext, d: DesiredResource, start: StartsAt | undefined): void {
  const where = { address: d.resource.address, source: d.resource.source, path: ['spec', 'when'] };
  if (start === undefined) {
    diagnose(ctx, messages.startUnknown()(where, ctx.locate));
  } else if (start.kind === 'at' && msUntil(start, ctx.now) < 0) {
    diagnose(ctx, messages.whenPast(start.instant, ctx.now.toISOString())(where, ctx.locate));
  }
}
