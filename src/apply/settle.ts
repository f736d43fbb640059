/**
 * Settling journal rows: the crash-safety core. A create whose outcome is unknown (a timeout, a
 * dropped connection, a 5xx after sending, or a process killed mid-call) is resolved by reading
 * back `targets/list.json` over the row's date window and looking for its marker in a campaign
 * name: found -> the id is adopted; the list answered and it is not there -> `not-created`, and
 * only then may the change be tried again (with a new row and a new marker). Never by guessing,
 * so a campaign is never created twice.
 *
 * Runs for every open row at the start of each plan/apply (under the apply lock), and inline by the
 * executor right after an ambiguous create. Each settlement is one state transaction.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import type { AppliedResource, RemoteCampaign, RenderedRequest } from '../model/applied.js';
import type { Resource } from '../model/resource.js';
import { isSuperseded, supersededAddress } from '../plan/addresses.js';
import type { DesiredResource } from '../plan/types.js';
import type { JournalEntry, JournalOperation, JournalOutcome, JournalWindow, StateStore } from '../state/store.js';
import { markerOf } from './marker.js';
import { appliedCampaign, audit, type Provenance } from '../state/record.js';

export interface SettleDeps {
  store: StateStore;
  client: CleverTapClient;
  provenance: Provenance;
  now: () => Date;
  /** The project's resources by address: an adopted record gets its labels/spec when the hash matches. */
  desired?: ReadonlyMap<string, { desired: DesiredResource; resource: Resource }>;
  onSettled?: (row: SettledRow) => void;
  /**
   * A create row opened less than this long ago is not declared `not-created` when the read-back
   * misses it: the request of a process killed mid-call may still be landing on CleverTap. Default
   * 0 (the emulator commits before it answers); the CLI uses a minute for a real account.
   */
  notCreatedGraceMs?: number;
}

export type RowSettler = (entry: JournalEntry, deps: SettleDeps, lists: ListCache) => Promise<SettleResult>;

export interface SettledRow {
  id: string;
  address: string;
  operation: JournalOperation;
  outcome: JournalOutcome;
  remoteId: number | null;
  message: string;
}

export interface UnsettledRow {
  entry: JournalEntry;
  reason: string;
}

export type SettleResult = { settled: SettledRow } | { unsettled: UnsettledRow };

export interface SettleReport {
  settled: SettledRow[];
  unsettled: UnsettledRow[];
}

/** One list call per window per settlement pass. */
export class ListCache {
  readonly #calls = new Map<string, Promise<RemoteCampaign[]>>();
  constructor(private readonly client: CleverTapClient) {}
  list(w: JournalWindow): Promise<RemoteCampaign[]> {
    const key = `${w.from}-${w.to}`;
    let p = this.#calls.get(key);
    if (!p) {
      p = this.client.listCampaigns(w.from, w.to);
      // A failed read is not cached: the next caller asks again.
      p.catch(() => this.#calls.delete(key));
      this.#calls.set(key, p);
    }
    return p;
  }
}

/** Settles every open row it can, oldest first; rows it can not settle stay open and are reported. */
export async function settleOpenJournal(deps: SettleDeps): Promise<SettleReport> {
  const report: SettleReport = { settled: [], unsettled: [] };
  const lists = new ListCache(deps.client);
  for (const entry of await deps.store.journal.listOpen()) {
    const settler = SETTLERS[entry.operation];
    const result = settler
      ? await settler(entry, deps, lists)
      : { unsettled: { entry, reason: `no settlement for ${entry.operation} rows in this command` } };
    if ('settled' in result) {
      report.settled.push(result.settled);
      deps.onSettled?.(result.settled);
    } else report.unsettled.push(result.unsettled);
  }
  return report;
}

/** What a create was about, enough to write the resource row if the campaign is found. */
export interface CreateContext {
  address: string;
  specHash: string;
  spec: unknown;
  resource?: Pick<Resource, 'labels' | 'protect' | 'source'>;
  /** ISO instant the campaign starts (for `now`: when it was created). */
  scheduledFor: string;
  startsNow: boolean;
  /** The state row being replaced (a replace creates first, then stops this one). */
  replacing?: AppliedResource;
  /** The request's content as sent, recorded with the row (a read-back adoption does not know it). */
  rendered?: RenderedRequest;
}

export type ReadBack = { found: RemoteCampaign } | { absent: true } | { failed: string };

export async function readBack(entry: Pick<JournalEntry, 'id' | 'window'>, lists: ListCache): Promise<ReadBack> {
  if (!entry.window) return { failed: 'the journal row has no date window to read back' };
  try {
    const rows = await lists.list(entry.window);
    const mine = rows.filter((r) => markerOf(r.name) === entry.id).sort((a, b) => a.id - b.id);
    return mine.length > 0 ? { found: mine[0]! } : { absent: true };
  } catch (err) {
    if (err instanceof CleverTapError) return { failed: `reading back targets/list.json failed: ${err.message}` };
    throw err;
  }
}

/**
 * Settles an open create row by read-back. Adopted: the resource row is written (and the replaced
 * campaign kept under `address@oldId` so the next plan stops it) in the same transaction.
 */
export async function settleCreate(entry: JournalEntry, ctx: CreateContext, deps: SettleDeps, lists: ListCache): Promise<SettleResult> {
  const result = await readBack(entry, lists);
  if ('failed' in result) return { unsettled: { entry, reason: result.failed } };
  if ('absent' in result) {
    const age = deps.now().getTime() - Date.parse(entry.openedAt);
    const grace = deps.notCreatedGraceMs ?? 0;
    if (age < grace) {
      const wait = Math.ceil((grace - age) / 1000);
      return { unsettled: { entry, reason: `not found yet, but the write is only ${Math.round(age / 1000)} s old and may still be landing; try again in ${wait} s` } };
    }
    const message = `read back over ${entry.window!.from}-${entry.window!.to}: no campaign carries marker ${entry.id}; not created`;
    await deps.store.journal.settle({
      id: entry.id,
      outcome: 'not-created',
      message,
      audit: audit(deps.provenance, entry.address, 'create', { marker: entry.id, readBack: 'absent' }),
    });
    return { settled: { id: entry.id, address: entry.address, operation: 'create', outcome: 'not-created', remoteId: null, message } };
  }
  const remote = result.found;
  const row = appliedCampaign(deps.provenance, {
    address: ctx.address,
    specHash: ctx.specHash,
    spec: ctx.spec,
    resource: ctx.resource,
    remoteId: remote.id,
    remoteName: remote.name,
    scheduledFor: ctx.scheduledFor,
    startsNow: ctx.startsNow,
    appliedAt: deps.now().toISOString(),
    ...(ctx.rendered ? { rendered: ctx.rendered } : {}),
  });
  const message = `read back: campaign ${remote.id} carries marker ${entry.id}; adopted`;
  await deps.store.transaction(async (tx) => {
    await tx.journal.settle({
      id: entry.id,
      outcome: 'adopted',
      remoteId: remote.id,
      message,
      resource: { put: row },
      audit: audit(deps.provenance, ctx.address, ctx.replacing ? 'replace' : 'create', {
        marker: entry.id,
        remoteId: remote.id,
        readBack: 'found',
      }),
    });
    if (ctx.replacing?.remoteId != null) await tx.resources.put(supersededRow(ctx.replacing));
  });
  return { settled: { id: entry.id, address: entry.address, operation: 'create', outcome: 'adopted', remoteId: remote.id, message } };
}

/** The old campaign of a replace, kept until its stop succeeds. */
export function supersededRow(old: AppliedResource): AppliedResource {
  return { ...old, address: supersededAddress(old.address, old.remoteId!) };
}

/** A create row found open at start-up: its context comes from the row, state and the YAML. */
async function settleOpenCreate(entry: JournalEntry, deps: SettleDeps, lists: ListCache): Promise<SettleResult> {
  const req = entry.request;
  if (!req.specHash) return { unsettled: { entry, reason: 'the journal row does not say what was created' } };
  const current = await deps.store.resources.get(entry.address);
  const wanted = deps.desired?.get(entry.address);
  let spec: unknown = null;
  let resource: CreateContext['resource'];
  if (wanted && wanted.desired.specHash === req.specHash) {
    spec = wanted.desired.canonicalSpec;
    resource = wanted.resource;
  } else if (current && current.specHash === req.specHash) {
    spec = current.spec;
  }
  if (!resource && current) resource = { labels: current.labels, protect: current.protect, source: { file: current.file ?? '', documentIndex: 0, line: 1, column: 1 } };
  const startsNow = !req.scheduledFor || req.scheduledFor === 'now';
  const ctx: CreateContext = {
    address: entry.address,
    specHash: req.specHash,
    spec,
    resource,
    scheduledFor: startsNow ? entry.openedAt : req.scheduledFor!,
    startsNow,
  };
  if (req.remoteId !== undefined && current?.remoteId === req.remoteId) ctx.replacing = current;
  return settleCreate(entry, ctx, deps, lists);
}

/**
 * A stop row found open: stop is idempotent (stopping a stopped campaign succeeds), so the stop is
 * simply sent again. What follows depends on why it was stopped, not on the YAML of this run:
 * an emergency stop (`campaignctl stop`, whose row records the spec hash the resource keeps) leaves
 * the resource recorded as stopped; the stop of a removed or superseded campaign forgets it, as the
 * uninterrupted run would have, even if the YAML has the address again by now (the next plan then
 * creates it afresh instead of keeping it stopped forever).
 */
async function settleOpenStop(entry: JournalEntry, deps: SettleDeps): Promise<SettleResult> {
  const id = entry.request.remoteId;
  if (id === undefined) return { unsettled: { entry, reason: 'the journal row does not name the campaign stopped' } };
  try {
    await deps.client.stopCampaign(id);
  } catch (err) {
    if (err instanceof CleverTapError) return { unsettled: { entry, reason: `stopping ${id} again failed: ${err.message}` } };
    throw err;
  }
  const current = await deps.store.resources.get(entry.address);
  const message = `stop of ${id} sent again after an interrupted run; it succeeded`;
  let resource: { put: AppliedResource } | { delete: string } | undefined;
  if (current && current.remoteId === id) {
    const keep = entry.request.specHash !== undefined && !isSuperseded(entry.address);
    resource = keep ? { put: { ...current, status: 'stopped' } } : { delete: entry.address };
  }
  await deps.store.journal.settle({
    id: entry.id,
    outcome: 'succeeded',
    message,
    ...(resource ? { resource } : {}),
    audit: audit(deps.provenance, entry.address, 'stop', { remoteId: id, resent: true }),
  });
  return { settled: { id: entry.id, address: entry.address, operation: 'stop', outcome: 'succeeded', remoteId: id, message } };
}

/** Rows of other operations (`raise`, `import`: nothing journals them today) stay open and are reported. */
const SETTLERS: Partial<Record<JournalOperation, RowSettler>> = {
  create: settleOpenCreate,
  stop: (entry, deps) => settleOpenStop(entry, deps),
};
