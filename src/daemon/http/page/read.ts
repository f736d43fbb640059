/**
 * DaemonStatus carries the pending plan and the schedules as the JSON documents `plan --json` and
 * `schedules --json` give (`unknown` in the type, so the daemon never imports src/cli). The page
 * reads the few fields it shows from them here, tolerating a missing field (shown as a dash)
 * rather than failing the whole page: the status page is what someone opens when things are wrong.
 */

export interface PendingRow {
  address: string;
  kind: string;
  action: string;
  reason: string;
  irreversible: boolean;
  estimate: number | null;
  estimateStatus: string | null;
  startsAt: string | null;
  nextFireTimes: string[];
  /** The paths of the fields that changed (`diff[].path`). */
  changedFields: string[];
}

export interface ScheduleRow {
  address: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  nextFireTimes: string[];
  lastRun: { fireTime: string; status: string; campaignId: number | null; sent: number | null; clicked: number | null } | null;
  counts: [string, number][];
  unknownFireTimes: string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The plan JSON spells keys in snake_case; a camelCase Change (the planner's own) reads the same. */
function field(o: Json, snake: string, camel: string): unknown {
  return o[snake] !== undefined ? o[snake] : o[camel];
}

export function pendingRows(pending: readonly unknown[]): PendingRow[] {
  return pending.filter(isObject).map((c) => {
    const estimate = c.estimate;
    const startsAt = field(c, 'starts_at', 'startsAt');
    return {
      address: text(c.address, '(no address)'),
      kind: text(c.kind),
      action: text(c.action),
      reason: text(c.reason),
      irreversible: c.irreversible === true,
      estimate: isObject(estimate) ? num(estimate.total) : null,
      estimateStatus: text(field(c, 'estimate_status', 'estimateStatus')) || null,
      startsAt: isObject(startsAt) ? text(startsAt.instant, text(startsAt.kind)) || null : text(startsAt) || null,
      nextFireTimes: strings(field(c, 'next_fire_times', 'nextFireTimes')),
      changedFields: Array.isArray(c.diff) ? c.diff.filter(isObject).map((d) => text(d.path)).filter((x) => x !== '') : [],
    };
  });
}

/** `schedules --json` is `{ schedules: [...] }` in snake_case; the bare list, or camelCase ScheduleListings, read the same. */
export function scheduleRows(schedules: unknown): ScheduleRow[] {
  const list = Array.isArray(schedules) ? schedules : isObject(schedules) && Array.isArray(schedules.schedules) ? schedules.schedules : [];
  return list.filter(isObject).map((s) => {
    const last = field(s, 'last_run', 'lastRun');
    const counts = isObject(s.counts) ? Object.entries(s.counts).filter((e): e is [string, number] => typeof e[1] === 'number') : [];
    return {
      address: text(s.address, '(no address)'),
      cron: text(s.cron),
      timezone: text(s.timezone),
      enabled: s.enabled !== false,
      nextFireTimes: strings(field(s, 'next_fire_times', 'nextFireTimes')),
      lastRun: isObject(last)
        ? {
            fireTime: text(field(last, 'fire_time', 'fireTime')),
            status: text(last.status),
            campaignId: num(field(last, 'campaign_id', 'campaignId')),
            sent: num(last.sent),
            clicked: num(last.clicked),
          }
        : null,
      counts,
      unknownFireTimes: strings(field(s, 'unknown_fire_times', 'unknownFireTimes')),
    };
  });
}
