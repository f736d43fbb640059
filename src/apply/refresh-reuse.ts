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
import type { AppliedWithoutSpec, JournalWindow } from '../state/store.js';
import { coveringWindows, windowAround } from './dates.js';
import { assembleRefresh, listWindows, managedCampaigns, type RefreshResult } from './refresh.js';

/** How long a full refresh may stand in for CleverTap's answer to a file-event reconcile. */
export const MAX_AGE_MS = 30_000;

interface Kept {
  revision: string;
  zone: string;
  /** ms since the epoch: the `now` of the plan that made the refresh. */
  at: number;
  refresh: RefreshResult;
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
  keep(revision: string, zone: string, now: Date, refresh: RefreshResult): void {
    this.#kept = { revision, zone, at: now.getTime(), refresh };
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
    const managed = managedCampaigns(q.rows);
    const since = k.at;
    const until = q.now.getTime();
    const startedBetween = (iso: string | null) => {
      if (iso === null) return false;
      const t = Date.parse(iso);
      // A start that can not be read is not known to be outside the span: refresh.
      return Number.isNaN(t) || (t > since && t <= until);
    };
    if (managed.some((a) => startedBetween(a.scheduledFor))) return undefined;
    const touched = managed.filter((a) => q.desired.get(a.address)?.desired.specHash !== a.specHash);
    return async (client) => {
      const ids = new Set(touched.map((a) => a.remoteId));
      const kept = k.refresh.remote.filter((r) => !ids.has(r.id));
      if (touched.length === 0) return assembleRefresh(managed, k.refresh.windows, [kept]);
      const windows: JournalWindow[] = coveringWindows(touched.map((a) => windowAround(new Date(a.scheduledFor ?? a.appliedAt), q.zone)));
      const pages = await listWindows(client, windows);
      const asked = pages.flat().filter((r) => ids.has(r.id));
      // The kept pages' rows, with the touched campaigns' rows as CleverTap gives them now.
      return assembleRefresh(managed, k.refresh.windows, [asked, kept]);
    };
  }
}
