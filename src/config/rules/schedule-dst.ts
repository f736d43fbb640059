/**
 * A Schedule that meets a clock change within the next 12 months: a warning at its `cron`, saying
 * what happens instead (the first spring-forward gap and the first fall-back repeat it meets).
 * "Now" is the rule context's, never the clock.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { pad } from '../../time/calendar.js';
import { zoneTransitions } from '../../time/transitions.js';
import { zonedParts } from '../../time/zone.js';
import { dstEncounters, type DstEncounter } from '../../time/dst.js';
import { compileCron } from '../../time/cron-dialect.js';
import { clockText, localClockText, utcText } from '../../time/local-time.js';
import { ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function scheduleDst(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ofKind(ctx, 'Schedule')) {
    const timing = timingOf(s);
    if (!timing) continue;
    const met = encountersOf(timing, ctx.now);
    // Placing a finding may read the file again for positions: only for a Schedule that has one.
    if (met.length === 0) continue;
    const at = placeOf(ctx, s, ['spec', 'cron']);
    for (const kind of ['gap', 'repeat'] as const) {
      const e = met.find((m) => m.kind === kind);
      if (e) out.push(warning(timing.cron, timing.timezone, e, at));
    }
  }
  return out;
}

/**
 * The clock changes a cron and zone meet in the year after `now`. A project holds thousands of
 * Schedules but few distinct cron/zone pairs, and a year of a zone's transitions is the costly part:
 * each pair is worked out once per `now`.
 */
const encounters = new Map<string, DstEncounter[]>();
let encountersNow = NaN;
function encountersOf(timing: { cron: string; timezone: string }, now: Date): DstEncounter[] {
  if (now.getTime() !== encountersNow) {
    encounters.clear();
    encountersNow = now.getTime();
  }
  const key = `${timing.cron}\u0000${timing.timezone}`;
  let met = encounters.get(key);
  if (!met) encounters.set(key, (met = dstEncounters(timing, now, yearAfter(now))));
  return met;
}

/**
 * Until when scheduleDst's finding about `r` stands: until the next clock change passes (it may be
 * the one warned about) or until the 12 months reach one more.
 */
export function untilClockChange(r: Resource, ctx: RuleContext): number {
  const timing = timingOf(r);
  if (!timing) return Infinity;
  const key = `${timing.timezone}\u0000${ctx.now.getTime()}`;
  let until = untilByZone.get(key);
  if (until === undefined) {
    if (untilByZone.size > 1000) untilByZone.clear();
    const now = ctx.now.getTime();
    const windowEnd = yearAfter(ctx.now).getTime();
    const changes = zoneTransitions(timing.timezone, now, yearAfter(new Date(windowEnd)).getTime());
    const next = changes[0]?.at ?? Infinity;
    const beyond = changes.find((c) => c.at > windowEnd);
    until = Math.min(next, beyond ? beyond.at - (windowEnd - now) : Infinity);
    untilByZone.set(key, until);
  }
  return until;
}

/** untilClockChange depends only on the zone and `now`: two years of a zone's transitions, once. */
const untilByZone = new Map<string, number>();

/** cron and zone of an enabled Schedule the evaluator reads (others are reported elsewhere or fire nothing). */
export function timingOf(r: Resource): { cron: string; timezone: string } | undefined {
  if (r.kind !== 'Schedule' || r.spec.enabled === false) return undefined;
  const { cron, timezone } = r.spec;
  if (typeof cron !== 'string' || typeof timezone !== 'string') return undefined;
  return compileCron(cron, timezone).ok ? { cron, timezone } : undefined;
}

export function yearAfter(t: Date): Date {
  const d = new Date(t.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}

function warning(cron: string, zone: string, e: DstEncounter, at: Parameters<typeof diagnostic>[2]): Diagnostic {
  const { transition: tr } = e;
  const day = zonedParts(new Date(tr.at), zone);
  const common = {
    cron,
    zone,
    date: `${day.year}-${pad(day.month)}-${pad(day.day)}`,
    named: wallTime(e.named),
    from: wallTime(tr.at + tr.offsetBefore),
    to: wallTime(tr.at + tr.offsetAfter),
  };
  if (e.kind === 'gap') {
    const fire = e.fires[0];
    return diagnostic('schedule.dst-gap', { ...common, fixedTime: e.fixedTime, fire: fire && fireText(fire, zone) }, at);
  }
  return diagnostic('schedule.dst-repeat', { ...common, fires: e.fires.map((f) => fireText(f, zone)) }, at);
}

/** A wall-clock reading kept as UTC ms: `02:30` (`02:30:15` with seconds). */
function wallTime(ms: number): string {
  const d = new Date(ms);
  return clockText(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** `03:00 -04:00 (2027-03-14T07:00:00Z)`: local time with its offset, and the UTC instant. */
function fireText(t: Date, zone: string): string {
  return `${localClockText(t, zone)} (${utcText(t)})`;
}
