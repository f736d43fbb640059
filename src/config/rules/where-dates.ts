/**
 * Dates in `where` (base query and every advanced_query event): each must be a real calendar
 * date, and `from` must not be after `to`. `{ daysAgo: N }` is resolved against ctx.now in the
 * account's time zone, as render will. Which queries hold dates, what a real date is and the
 * order of the ends are the emulator's own checks (src/clevertap/request-rules.ts).
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { impossibleYmd, isFromAfterTo, whereDateQueries } from '../../clevertap/request-rules.js';
import { addDays, dateInZone, fromIsoDate, toYyyymmdd, zonedTimeToInstant } from '../calendar.js';
import type { YMD } from '../calendar.js';
import { campaignSpecs, isRecord, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function whereDates(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { resource, path, spec } of campaignSpecs(ctx)) {
    if (!isRecord(spec.where)) continue;
    // `daysAgo` counts back from today in the account's zone: one day for every query.
    const today = todayIn(ctx);
    for (const q of dateQueries(spec.where, [...path, 'where'])) checkRange(ctx, today, resource, q.query, q.path, out);
  }
  return out;
}

/**
 * The account's day at ctx.now. The project index runs this rule once per resource, so the day
 * (an Intl lookup) is worked out once per clock and zone, and only for a resource with a `where`:
 * per resource it cost ~25 µs, a quarter of a second over 10,000 resources of which most have none.
 */
let lastDay: { now: number; zone: string; day: YMD } | undefined;
function todayIn(ctx: RuleContext): YMD {
  const now = ctx.now.getTime();
  const zone = ctx.environment.accountTimezone;
  if (lastDay?.now !== now || lastDay.zone !== zone) lastDay = { now, zone, day: dateInZone(ctx.now, zone) };
  return lastDay.day;
}

/**
 * Until when whereDates' findings about `r` stand: a `daysAgo` moves with the account's day, so
 * until that day ends (an hour early, so a DST change can never make it late); dates alone never
 * move. In that last hour the early time has passed: the finding then stands until the first
 * minute of the next day, found exactly (else every run in that hour would run it again).
 */
export function untilTomorrow(r: Resource, ctx: RuleContext): number {
  const relative = campaignSpecs({ ...ctx, resources: [r] }).some(
    ({ spec, path }) => isRecord(spec.where) && dateQueries(spec.where, path).some(({ query }) => isRelative(query.from) || isRelative(query.to)),
  );
  if (!relative) return Infinity;
  const now = ctx.now.getTime();
  const zone = ctx.environment.accountTimezone;
  // The same for every resource with a `daysAgo` at one clock and zone: worked out once (in the
  // day's last hour it is a search of ~8 Intl lookups, per resource ~20 MB for the collector on
  // 10,000 of them).
  if (lastUntil?.now !== now || lastUntil.zone !== zone) {
    const today = todayIn(ctx);
    const early = zonedTimeToInstant(addDays(today, 1), 0, 0, zone).getTime() - HOUR;
    lastUntil = { now, zone, until: early > now ? early : nextDayStart(now, today, zone) };
  }
  return lastUntil.until;
}

let lastUntil: { now: number; zone: string; until: number } | undefined;

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * The first whole minute after `now` on which the zone's date is no longer `today` (days change
 * on whole minutes in every zone). Searched within 3 hours, which always holds it once the day's
 * last hour has begun; should it not, 3 hours on is still `today`, so it is a safe answer.
 */
function nextDayStart(now: number, today: YMD, zone: string): number {
  const sameDay = (t: number) => {
    const d = dateInZone(new Date(t), zone);
    return d.year === today.year && d.month === today.month && d.day === today.day;
  };
  let lo = Math.floor(now / MINUTE); // a minute still of `today` (at or before now)
  let hi = lo + 180; // 3 hours on
  if (sameDay(hi * MINUTE)) return hi * MINUTE;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (sameDay(mid * MINUTE)) lo = mid;
    else hi = mid;
  }
  return hi * MINUTE;
}

function isRelative(value: unknown): boolean {
  return isRecord(value) && 'daysAgo' in value;
}

/** The base query and each advanced_query event condition, with their paths. */
function dateQueries(where: Record<string, unknown>, path: (string | number)[]) {
  return whereDateQueries(where).map((q) => ({ query: q.query, path: [...path, ...q.path] }));
}

function checkRange(ctx: RuleContext, today: YMD, r: Resource, q: Record<string, unknown>, path: (string | number)[], out: Diagnostic[]) {
  const from = resolve(ctx, today, r, q.from, [...path, 'from'], out);
  const to = resolve(ctx, today, r, q.to, [...path, 'to'], out);
  if (from !== undefined && to !== undefined && isFromAfterTo(from, to)) {
    out.push(diagnostic('rule.from-after-to', { from, to }, placeOf(ctx, r, [...path, 'from'])));
  }
}

/** The date as YYYYMMDD, or undefined (absent, or impossible: then reported). */
function resolve(ctx: RuleContext, today: YMD, r: Resource, value: unknown, path: (string | number)[], out: Diagnostic[]): number | undefined {
  let ymd: number | undefined;
  if (typeof value === 'number') ymd = value;
  else if (typeof value === 'string') {
    const date = fromIsoDate(value);
    ymd = date && toYyyymmdd(date);
  } else if (isRecord(value) && typeof value.daysAgo === 'number') {
    return toYyyymmdd(addDays(today, -value.daysAgo));
  }
  if (ymd === undefined) return undefined;
  const reason = impossibleYmd(ymd);
  if (reason) {
    out.push(diagnostic('time.invalid-date', { value, reason }, placeOf(ctx, r, path)));
    return undefined;
  }
  return ymd;
}
