/**
 * What `campaignctl schedules` shows: each applied Schedule with its next fires, its last run and
 * its counts per status, read from state (the ledger) and the one evaluator. No network.
 */
import type { RunRecord, StateStore } from '../state/store.js';
import type { ScheduleSpec } from '../model/specs.js';
import { nextFireTimes } from '../time/fire-times.js';
import { compileCron } from '../time/cron-dialect.js';
import { utcText } from '../time/local-time.js';

export const LISTED_FIRES = 3;

export type CountedStatus = 'done' | 'failed' | 'unknown' | 'refused' | 'missed' | 'skipped';

export interface ScheduleListing {
  address: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  nextFireTimes: string[];
  lastRun: { fireTime: string; status: CountedStatus; campaignId: number | null } | null;
  counts: Record<CountedStatus, number>;
}

/** A run still `claimed` is shown as unknown: whoever claimed it may be sending, or may have died. */
function shownStatus(r: RunRecord): CountedStatus {
  return r.status === 'claimed' ? 'unknown' : r.status;
}

export async function listSchedules(store: StateStore, now: Date): Promise<ScheduleListing[]> {
  const rows = (await store.resources.list()).filter((r) => r.kind === 'Schedule');
  const runs = await store.runs.list({ kind: 'schedule' });
  return rows.map((row) => {
    const spec = row.spec as ScheduleSpec;
    const own = runs.filter((r) => r.subject === row.address);
    const counts: Record<CountedStatus, number> = { done: 0, failed: 0, unknown: 0, refused: 0, missed: 0, skipped: 0 };
    for (const r of own) counts[shownStatus(r)]++;
    // Keys are UTC instants of one format, so the greatest string is the latest tick.
    const last = own.reduce<RunRecord | null>((a, r) => (a === null || r.key > a.key ? r : a), null);
    const enabled = spec.enabled !== false;
    const evaluable = compileCron(spec.cron, spec.timezone).ok;
    return {
      address: row.address,
      cron: spec.cron,
      timezone: spec.timezone,
      enabled,
      nextFireTimes: enabled && evaluable ? nextFireTimes(spec, now, LISTED_FIRES).map(utcText) : [],
      lastRun: last
        ? { fireTime: last.key, status: shownStatus(last), campaignId: typeof last.detail?.campaignId === 'number' ? last.detail.campaignId : null }
        : null,
      counts,
    };
  });
}
