/**
 * The refresh keeper: the daemon's last full refresh (every managed campaign's CleverTap status),
 * reused by a reconcile that only file events asked for. Editing one file then asks CleverTap only
 * about the campaigns the edit touches, instead of listing every window again.
 *
 * Reused only when all of these hold (else the refresh is full, and kept for the next time):
 *   - the reconcile was asked for by file events only: the periodic resync, polls, webhooks and
 *     POST /v1/reconcile always refresh in full;
 *   - state's revision is the one the kept refresh was made on (no row moved: same campaigns,
 *     same ids, same recorded statuses), and the account time zone is the same;
 *   - the kept refresh is less than MAX_AGE_MS old, and no managed campaign's start (as state
 *     recorded it) fell between then and now: a start is when CleverTap moves a campaign from
 *     scheduled to running by itself;
 * and even then the campaigns whose desired spec no longer matches state (edited) or that left the
 * project (removed) are asked again, over their own windows: their statuses decide a replace or a
 * stop. A plan made on reused statuses that holds a stop is planned again on a full refresh
 * (../operations/plan.ts), and apply always plans on a full refresh of its own: what is sent or
 * stopped is never decided on a reused status.
 *
 * Staleness, stated: a plan on reused statuses shows, for the campaigns the edit did not touch,
 * what CleverTap said at most MAX_AGE_MS before (someone stopping a campaign in CleverTap's
 * dashboard in that time shows at the next full refresh, as it would have without the edit).
 */
import type { CleverTapClient } from '../clevertap/client.js';
import type { DesiredResource } from '../plan/types.js';
import type { RemoteCampaign } from '../model/applied.js';
import { mapRemoteStatus } from '../plan/remote-status.js';
import type { AppliedWithoutSpec, JournalWindow } from '../state/store.js';
import { coveringWindows, windowAround } from './dates.js';
import { assembleRefresh, listWindows, managedCampaigns, pagesOf, type RefreshResult } from './refresh.js';
import { AddressIndex } from './address-index.js';

/** How long a full refresh may stand in for CleverTap's answer to a file-event reconcile. */
export const MAX_AGE_MS = 30_000;

interface Kept {
  revision: string;
  zone: string;
  /** ms since the epoch: the `now` of the plan that made the refresh. */
  at: number;
  refresh: RefreshResult;
  /** The state rows it was made for (the same array while the revision stands: ./refresh.ts keeps them). */
  rows: readonly AppliedWithoutSpec[];
  /** The first start state recorded after `at` (ms; `at` itself when one can not be read): reused only before it. */
  nextStart: number;
  /** Where each address's status and each id's row are in `refresh`, to put the re-asked ones in place. */
  statusAt: Map<string, number>;
  remoteAt: Map<number, number>;
  /** The managed campaigns of `rows`, and where each is among them (made when first needed). */
  managed?: (AppliedWithoutSpec & { remoteId: number })[];
  managedAt?: Map<string, number>;
  /** The edited campaigns found for the last desired state asked about (see touchedCampaigns). */
  touched?: { desired: ReuseRequest['desired']; list: (AppliedWithoutSpec & { remoteId: number })[] };
}

export interface ReuseRequest {
  /** State's revision, read before its rows were. */
  revision: string;
  zone: string;
  now: Date;
  rows: readonly AppliedWithoutSpec[];
  desired: ReadonlyMap<string, { desired: Pick<DesiredResource, 'specHash'> }>;
}

export class RefreshKeeper {
  #kept: Kept | undefined;

  /** A full refresh made on state at `revision` (rows read after it), for later reconciles. */
  keep(revision: string, zone: string, now: Date, refresh: RefreshResult, rows: readonly AppliedWithoutSpec[]): void {
    const at = now.getTime();
    // Frozen: the planner indexes a frozen array once (../plan/plan.ts), and plans on it while the re-asked rows stay as they were.
    Object.freeze(refresh.remote);
    const statusAt = new Map(refresh.statuses.map((x, i) => [x.address, i]));
    const remoteAt = new Map(refresh.remote.map((r, i) => [r.id, i]));
    this.#kept = { revision, zone, at, refresh, rows, nextStart: nextStartAfter(rows, at), statusAt, remoteAt };
  }

  /** CleverTap's rows of the kept refresh (frozen): what reuse gives back while the re-asked rows are as they were. */
  keptRemote(): RefreshResult['remote'] | undefined {
    return this.#kept?.refresh.remote;
  }

  /** Forgets the kept refresh (a plan failed, or state moved under it). */
  forget(): void {
    this.#kept = undefined;
  }

  /** Whether a refresh is kept that may still stand at `now` for this revision and zone (the rows are looked at later). */
  mayReuse(revision: string, zone: string, now: Date): boolean {
    const k = this.#kept;
    const age = now.getTime() - (k?.at ?? 0);
    return k !== undefined && k.revision === revision && k.zone === zone && age >= 0 && age < MAX_AGE_MS;
  }

  /**
   * The refresh for these rows and desired resources from the kept one, asking CleverTap only
   * about the edited and removed campaigns; undefined when the kept one may not stand (see the
   * file comment): the caller then refreshes in full.
   */
  reuse(q: ReuseRequest): ((client: CleverTapClient) => Promise<RefreshResult>) | undefined {
    const k = this.#kept;
    if (!k || !this.mayReuse(q.revision, q.zone, q.now)) return undefined;
    const sameRows = q.rows === k.rows;
    // Equal revisions mean equal rows; rows read again (not kept) are looked at again all the same.
    const nextStart = sameRows ? k.nextStart : nextStartAfter(q.rows, k.at);
    if (q.now.getTime() >= nextStart) return undefined;
    const managed = sameRows ? (k.managed ??= managedCampaigns(q.rows)) : managedCampaigns(q.rows);
    const touched = sameRows ? touchedCampaigns(k, managed, q.desired) : edited(managed, q.desired);
    return async (client) => {
      if (touched.length === 0 && sameRows) return k.refresh;
      const ids = new Set(touched.map((a) => a.remoteId));
      const windows: JournalWindow[] = coveringWindows(touched.map((a) => windowAround(new Date(a.scheduledFor ?? a.appliedAt), q.zone)));
      const asked = touched.length === 0 ? [] : pagesOf(await listWindows(client, windows)).flat().filter((r) => ids.has(r.id));
      return (sameRows && patched(k, touched, asked)) || assembleRefresh(managed, k.refresh.windows, [asked, k.refresh.remote.filter((r) => !ids.has(r.id))]);
    };
  }
}

type Managed = AppliedWithoutSpec & { remoteId: number };

/** The managed campaigns whose desired spec is not the one applied, or that left the project. */
function edited(managed: readonly Managed[], desired: ReuseRequest['desired']): Managed[] {
  return managed.filter((a) => desired.get(a.address)?.desired.specHash !== a.specHash);
}

/**
 * edited() on the kept rows, from the last answer when both desired states are indexes over one
 * base (../apply/address-index.ts: the daemon's plans after small edits): only the addresses put
 * over it can differ, so only those are looked at again, instead of 10,000 look-ups per edit.
 * The same campaigns in the same order (that of the rows) as edited() gives.
 */
function touchedCampaigns(k: Kept, managed: readonly Managed[], desired: ReuseRequest['desired']): Managed[] {
  const last = k.touched;
  const differing = last && desired instanceof AddressIndex && last.desired instanceof AddressIndex ? desired.differingFrom(last.desired) : undefined;
  let list: Managed[];
  if (last === undefined || differing === undefined) list = edited(managed, desired);
  else {
    const at = (k.managedAt ??= new Map(managed.map((a, i) => [a.address, i])));
    list = last.list.filter((a) => !differing.has(a.address));
    for (const address of differing) {
      const i = at.get(address);
      if (i !== undefined && desired.get(address)?.desired.specHash !== managed[i]!.specHash) list.push(managed[i]!);
    }
    list.sort((x, y) => at.get(x.address)! - at.get(y.address)!);
  }
  k.touched = { desired, list };
  return list;
}

/**
 * The kept refresh with the re-asked campaigns' statuses and rows put in place (the same rows, so
 * the same statuses in the same order); undefined when a re-asked row is new to it (then the
 * caller assembles the whole refresh again).
 */
function patched(k: Kept, touched: readonly { address: string; remoteId: number }[], asked: readonly RemoteCampaign[]): RefreshResult | undefined {
  if (asked.some((r) => !k.remoteAt.has(r.id))) return undefined;
  const byId = new Map(asked.map((r) => [r.id, r]));
  const remote = k.refresh.remote.slice();
  const statuses = k.refresh.statuses.slice();
  const gone = new Set<number>();
  let moved = false;
  for (const a of touched) {
    const found = byId.get(a.remoteId) ?? null;
    const at = k.statusAt.get(a.address);
    if (at === undefined) return undefined;
    statuses[at] = { address: a.address, remoteId: a.remoteId, remote: found, state: found ? mapRemoteStatus(found.status) : 'missing' };
    if (found) {
      const i = k.remoteAt.get(found.id)!;
      if (!moved && !sameRow(remote[i]!, found)) moved = true;
      remote[i] = found;
    } else gone.add(a.remoteId);
  }
  // CleverTap's rows as they were (an edit rarely moves what CleverTap says): the kept, frozen
  // array, whose index the planner already holds.
  const kept = gone.size > 0 ? remote.filter((r) => !gone.has(r.id)) : moved ? remote : k.refresh.remote;
  return { remote: kept, windows: k.refresh.windows, statuses, missing: statuses.filter((x) => x.remote === null).map((x) => x.address) };
}

/** The same row as CleverTap gave it before (its JSON: the rows are plain data). */
function sameRow(a: RemoteCampaign, b: RemoteCampaign): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The first campaign start state recorded after `at` (ms); `at` when one can not be read (so nothing is reused). */
function nextStartAfter(rows: readonly AppliedWithoutSpec[], at: number): number {
  let next = Infinity;
  for (const a of rows) {
    if (a.kind !== 'Campaign' || a.remoteId === null || a.scheduledFor === null) continue;
    const t = Date.parse(a.scheduledFor);
    if (Number.isNaN(t)) return at;
    if (t > at && t < next) next = t;
  }
  return next;
}
