/**
 * What `campaignctl schedules` shows: each applied Schedule with its next fires, its last run and
 * its counts per status, read from state (the ledger) and the one evaluator; and, for the campaigns
 * its latest ticks created, sent and clicked from CleverTap's report (./results.ts: asked only for
 * those not yet final, kept once final).
 */
import type { RunRecord, StateStore } from '../state/store.js';
import type { ScheduleSpec } from '../model/specs.js';
import { nextFireTimes } from '../time/fire-times.js';
import { compileCron } from '../time/cron-dialect.js';
import { utcText } from '../time/local-time.js';
import { campaignFigures, campaignIdOf, type CampaignFigures, type OpenReader, type ResultState } from './results.js';

export const LISTED_FIRES = 3;
/** How many of a schedule's latest created campaigns show their figures. */
export const LISTED_CAMPAIGNS = 3;

export type CountedStatus = 'done' | 'failed' | 'unknown' | 'refused' | 'missed' | 'skipped';

export interface ScheduleListing {
  address: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  nextFireTimes: string[];
  /** sent and clicked: the figures of the campaign the last run created, null when there are none (yet). */
  lastRun: { fireTime: string; status: CountedStatus; campaignId: number | null; sent: number | null; clicked: number | null } | null;
  counts: Record<CountedStatus, number>;
  /** The latest campaigns the schedule's ticks created, newest first, with CleverTap's figures where final. */
  campaignResults: CampaignResult[];
  /** Ticks whose outcome is unknown (a pass died mid-fire, or CleverTap's answer was lost): never resent, waiting for `state resolve`. */
  unknownFireTimes: string[];
}

export interface CampaignResult {
  fireTime: string;
  campaignId: number;
  sent: number | null;
  clicked: number | null;
  result: ResultState;
  /** Why the figures are missing (not completed yet, or could not ask). */
  detail?: string;
}

export interface ListOptions {
  /** Opens the connection CleverTap's reports are read through (only when a shown campaign's figures are not kept yet). */
  reports?: OpenReader;
}

function resultOf(fireTime: string, campaignId: number, f: CampaignFigures | undefined): CampaignResult {
  if (!f) return { fireTime, campaignId, sent: null, clicked: null, result: 'not-fetched', detail: 'CleverTap was not asked' };
  if (f.result === 'final') return { fireTime, campaignId, sent: f.sent, clicked: f.clicked, result: 'final' };
  return { fireTime, campaignId, sent: null, clicked: null, result: f.result, detail: f.detail };
}

/** A run still `claimed` is shown as unknown: whoever claimed it may be sending, or may have died. */
function shownStatus(r: RunRecord): CountedStatus {
  return r.status === 'claimed' ? 'unknown' : r.status;
}

export async function listSchedules(store: StateStore, now: Date, options: ListOptions = {}): Promise<ScheduleListing[]> {
  const rows = (await store.resources.list()).filter((r) => r.kind === 'Schedule');
  const runs = await store.runs.list({ kind: 'schedule' });
  const bySchedule = new Map(rows.map((row) => [row.address, runs.filter((r) => r.subject === row.address)]));
  // Keys are UTC instants of one format: sorting them newest first is sorting the strings.
  const shownCampaigns = new Map(
    [...bySchedule].map(([address, own]) => [address, own.filter((r) => campaignIdOf(r) !== null).sort((a, b) => (a.key < b.key ? 1 : -1)).slice(0, LISTED_CAMPAIGNS)]),
  );
  const figures = await campaignFigures(store, [...shownCampaigns.values()].flat(), options.reports);
  return rows.map((row) => {
    const spec = row.spec as ScheduleSpec;
    const own = bySchedule.get(row.address)!;
    const campaignResults = shownCampaigns.get(row.address)!.map((r) => resultOf(r.key, campaignIdOf(r)!, figures.get(`${r.subject}#${r.key}`)));
    const counts: Record<CountedStatus, number> = { done: 0, failed: 0, unknown: 0, refused: 0, missed: 0, skipped: 0 };
    for (const r of own) counts[shownStatus(r)]++;
    // Keys are UTC instants of one format, so the greatest string is the latest tick.
    const last = own.reduce<RunRecord | null>((a, r) => (a === null || r.key > a.key ? r : a), null);
    const lastFigures = last ? campaignResults.find((c) => c.fireTime === last.key) : undefined;
    const enabled = spec.enabled !== false;
    const evaluable = compileCron(spec.cron, spec.timezone).ok;
    return {
      address: row.address,
      cron: spec.cron,
      timezone: spec.timezone,
      enabled,
      nextFireTimes: enabled && evaluable ? nextFireTimes(spec, now, LISTED_FIRES).map(utcText) : [],
      lastRun: last
        ? {
            fireTime: last.key,
            status: shownStatus(last),
            campaignId: typeof last.detail?.campaignId === 'number' ? last.detail.campaignId : null,
            sent: lastFigures?.sent ?? null,
            clicked: lastFigures?.clicked ?? null,
          }
        : null,
      counts,
      campaignResults,
      unknownFireTimes: own.filter((r) => shownStatus(r) === 'unknown').map((r) => r.key),
    };
  });
}
