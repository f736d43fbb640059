/**
 * A Schedule change's fire times as the plan views show them: local time in the schedule's zone
 * with its offset, beside the UTC instant; before and after an update that moves them.
 */
import { localFireText, utcText } from '../time/local-time.js';
import type { PlanChange } from './types.js';

export interface FireSection {
  /** `next fires, in Europe/Berlin`, `next fires before this change, in ...`, ... */
  title: string;
  /** `Mon 2026-03-09 09:00 +01:00  2026-03-09T08:00:00Z`, one per fire. */
  lines: string[];
}

function zoneOf(spec: unknown): string {
  const zone = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>).timezone : undefined;
  return typeof zone === 'string' ? zone : 'UTC';
}

function section(title: string, times: string[], zone: string): FireSection {
  if (times.length === 0) return { title: `${title}: none (enabled: false)`, lines: [] };
  return { title: `${title}, in ${zone}`, lines: times.map((t) => fireLine(t, zone)) };
}

/**
 * Fire lines by zone and instant. A project's Schedules share few (cron, zone) pairs (the bench's
 * mixed corpus: 2,955 Schedules, 24 pairs), so a plan of thousands of creates prints the same few
 * hundred lines again and again: each is made once. Bounded; a function of its key alone.
 */
const fireLines = new Map<string, string>();
const FIRE_LINES_MAX = 4096;

function fireLine(t: string, zone: string): string {
  const key = `${zone}\0${t}`;
  let line = fireLines.get(key);
  if (line === undefined) {
    const at = new Date(t);
    line = `${localFireText(at, zone)}  ${utcText(at)}`;
    if (fireLines.size >= FIRE_LINES_MAX) fireLines.clear();
    fireLines.set(key, line);
  }
  return line;
}

export function fireSections(c: PlanChange): FireSection[] {
  if (!c.nextFireTimes) return [];
  const zone = zoneOf(c.after);
  const before = c.nextFireTimesBefore;
  if (!before) return [section('next fires', c.nextFireTimes, zone)];
  const zoneBefore = zoneOf(c.before);
  if (zoneBefore === zone && before.join() === c.nextFireTimes.join()) return [section('next fires (unchanged)', c.nextFireTimes, zone)];
  return [section('next fires before this change', before, zoneBefore), section('next fires after it', c.nextFireTimes, zone)];
}

/** The first fire as a fact on the change's own line: `next fire Mon 2026-03-09 09:00 +01:00`. */
export function firstFireFact(c: PlanChange): string | undefined {
  const first = c.nextFireTimes?.[0];
  if (c.nextFireTimes === undefined) return undefined;
  return first === undefined ? 'fires nothing (enabled: false)' : `next fire ${localFireText(new Date(first), zoneOf(c.after))}`;
}
