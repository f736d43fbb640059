/**
 * Inspecting and repairing campaignctl's record of what it applied. `stateList` and `stateShow`
 * only read (no lock); `stateRm` forgets one resource without touching CleverTap and
 * `stateResolve` settles a schedule tick or a bulletin occurrence by hand, both under the apply
 * lock and recorded with who did it in the audit history.
 */
import { closestName } from '../diagnostics/suggest.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AppliedResource } from '../model/applied.js';
import type { BulletinResource } from '../model/specs.js';
import { resolveOccurrence, type ResolveOutcome } from '../runtime/index.js';
import { resolveScheduleTick } from '../schedule/resolve.js';
import { audit } from '../state/record.js';
import type { AuditEntry, JournalEntry, LockHolder, RunRecord } from '../state/store.js';
import type { OperationContext } from './context.js';
import { problems, underLock, type Locked, type Problems } from './under-lock.js';

export interface StateListing {
  environment: string;
  /** Where the state lives (a URL without its password). */
  location: string;
  serial: number;
  resources: AppliedResource[];
  lock: LockHolder | null;
  /** Remote writes of an interrupted run still open (the next plan or apply settles them). */
  openJournal: number;
}

export async function stateList(ctx: OperationContext): Promise<StateListing> {
  const { store } = ctx;
  return {
    environment: ctx.project.environmentName,
    location: store.info.location,
    serial: await store.serial(),
    resources: await store.resources.list(),
    lock: await store.lock.current(),
    openJournal: (await store.journal.listOpen()).length,
  };
}

export interface StateEntry {
  ok: true;
  environment: string;
  resource: AppliedResource;
  /** Its journal rows, newest first (at most 20). */
  journal: JournalEntry[];
  /** Its audit history, newest first (at most 20). */
  history: AuditEntry[];
}

export async function stateShow(ctx: OperationContext, options: { address: string }): Promise<StateEntry | Problems> {
  const { store } = ctx;
  const { address } = options;
  const resource = await store.resources.get(address);
  if (!resource) return problems([await notInState(ctx, address)]);
  return {
    ok: true,
    environment: ctx.project.environmentName,
    resource,
    journal: await store.journal.list({ address, limit: 20 }),
    history: await store.audit.list({ address, limit: 20 }),
  };
}

export interface StateRemoved {
  ok: true;
  /** The row as it was before it was forgotten. */
  removed: AppliedResource;
  /** The resource is still in the YAML: the next plan creates it again. */
  stillInYaml: boolean;
  by: string;
}

export async function stateRm(ctx: OperationContext, options: { address: string }): Promise<StateRemoved | Locked | Problems> {
  const { store, project } = ctx;
  const { address } = options;
  return underLock(ctx, `state rm ${address}`, 'state rm', async () => {
    const resource = await store.resources.get(address);
    if (!resource) return problems([await notInState(ctx, address)]);
    const open = (await store.journal.listOpen()).filter((j) => j.address === address);
    if (open.length > 0) return problems([journalOpen(address, open, ctx.target)]);
    const { by, provenance } = await ctx.operator('state rm');
    await store.transaction(async (tx) => {
      await tx.resources.delete(address);
      await tx.audit.append(audit(provenance, address, 'forget', { remoteId: resource.remoteId, remoteName: resource.remoteName, status: resource.status, by }));
    });
    return { ok: true, removed: resource, stillInYaml: project.resources().some((r) => r.address === address), by };
  });
}

/** What `state resolve` settles: a schedule tick, or an occurrence of a bulletin. */
export type Occurrence =
  | { kind: 'schedule'; schedule: string; fireTime: string; text: string }
  | { kind: 'bulletin'; bulletin: string; key: string };

/** `schedule.NAME#FIRE_TIME`, `bulletin.NAME#KEY` or `NAME#KEY` (a bulletin); else the problem. */
export function parseOccurrence(text: string): { ok: true; occurrence: Occurrence } | { ok: false; diagnostic: Diagnostic } {
  const trimmed = text.trim();
  if (trimmed.startsWith('schedule.')) {
    const m = /^(schedule\.[^#\s]+)#(.+)$/.exec(trimmed);
    if (m) return { ok: true, occurrence: { kind: 'schedule', schedule: m[1]!, fireTime: m[2]!, text: trimmed } };
    return { ok: false, diagnostic: diagnostic('input.invalid', { option: trimmed, detail: 'expected a schedule tick schedule.NAME#FIRE_TIME', hint: 'run-due prints it, e.g. schedule.daily-digest#2026-06-01T07:00:00Z' }) };
  }
  const m = /^(?:bulletin\.)?([^#\s]+)#(.+)$/.exec(trimmed);
  if (m) return { ok: true, occurrence: { kind: 'bulletin', bulletin: `bulletin.${m[1]}`, key: m[2]! } };
  return { ok: false, diagnostic: diagnostic('input.invalid', { option: text, detail: 'expected an occurrence address bulletin.NAME#KEY', hint: 'plan and apply print it, e.g. bulletin.album-released#nova-lane-midnight-echoes' }) };
}

export interface ResolveOptions {
  /** The occurrence as plan, apply and run-due print it (see parseOccurrence). */
  occurrence: string;
  /** `raised`: record it done, never raised again; `not-raised`: a bulletin occurrence is raised by the next apply, a schedule tick is recorded failed. */
  outcome: ResolveOutcome;
}

export type Resolved =
  | { ok: true; kind: 'schedule'; address: string; resolved: ResolveOutcome; status: 'resolved'; before: RunRecord; run: RunRecord }
  | { ok: true; kind: 'bulletin'; address: string; resolved: ResolveOutcome; status: 'resolved'; before: RunRecord | null; run: RunRecord }
  /** `not-raised` on an occurrence never claimed: nothing was recorded. */
  | { ok: true; kind: 'bulletin'; address: string; resolved: ResolveOutcome; status: 'nothing-to-undo'; before: null; run: null };

export async function stateResolve(ctx: OperationContext, options: ResolveOptions): Promise<Resolved | Locked | Problems> {
  const parsed = parseOccurrence(options.occurrence);
  if (!parsed.ok) return problems([parsed.diagnostic]);
  const { outcome } = options;
  const occ = parsed.occurrence;
  if (occ.kind === 'schedule') {
    return underLock(ctx, `state resolve ${occ.text}`, 'state resolve', async () => {
      const { provenance } = await ctx.operator('state resolve');
      const result = await resolveScheduleTick(ctx.store, provenance, { schedule: occ.schedule, fireTime: occ.fireTime, outcome });
      if (result.status === 'invalid') return problems(result.diagnostics);
      return { ok: true, kind: 'schedule', address: `${occ.schedule}#${result.run.key}`, resolved: outcome, status: 'resolved', before: result.before, run: result.run };
    });
  }
  const address = `${occ.bulletin}#${occ.key}`;
  // The bulletin may be gone from the YAML: a run in state can still be settled.
  const known = ctx.project.resources().find((r) => r.address === occ.bulletin) as unknown as BulletinResource | undefined;
  return underLock(ctx, `state resolve ${address}`, 'state resolve', async () => {
    const { provenance } = await ctx.operator('state resolve');
    const result = await resolveOccurrence(ctx.store, provenance, { bulletin: occ.bulletin, key: occ.key, outcome, known });
    if (result.status === 'invalid') return problems(result.diagnostics);
    if (result.status === 'nothing-to-undo') return { ok: true, kind: 'bulletin', address, resolved: outcome, status: 'nothing-to-undo', before: null, run: null };
    return { ok: true, kind: 'bulletin', address, resolved: outcome, status: 'resolved', before: result.before, run: result.run };
  });
}

async function notInState(ctx: OperationContext, address: string): Promise<Diagnostic> {
  const known = (await ctx.store.resources.list()).map((r) => r.address);
  const suggestion = closestName(address, known);
  return diagnostic('state.not-found', { address, suggestion, target: ctx.target }, { address });
}

function journalOpen(address: string, open: readonly JournalEntry[], target: CommandTarget): Diagnostic {
  return diagnostic('state.journal-open', { address, markers: open.map((j) => j.id), target }, { address });
}
