/**
 * Which of a schedule's ticks since its cursor a runner pass fires, and which it records as missed
 * or skipped. Pure: the spec, the cursor and `now` come from the caller.
 *
 * - `enabled: false`: nothing fires; the ticks are skipped (reason `disabled`) and the cursor moves on.
 * - catch-up `skip`: only the latest tick, and only within GRACE_MS after it (GC pauses, slow starts).
 * - catch-up `latest` with `window`: the latest tick if it is no older than the window.
 * - every other tick since the cursor is `missed`. Ticks are never replayed one by one, and a pass
 *   looks at no more than MAX_TICKS_PER_PASS of them (older ones are passed over unrecorded).
 */
import { parseDuration } from '../time/duration.js';
import type { ScheduleSpec } from '../model/specs.js';
import { recentFireTimes } from '../time/fire-times.js';

/** How late a tick may still fire under catch-up `skip` (and the least any `window` allows). */
export const GRACE_MS = 60_000;
/** The most ticks one pass records per schedule: a minutely schedule left alone for a year must not write 500,000 rows. */
export const MAX_TICKS_PER_PASS = 100;

export type SkipReason = 'missed' | 'disabled';

export interface TickPlan {
  /** The tick to fire now, if any. */
  fire: Date | null;
  /** Ticks not fired, newest first, with why. */
  passed: { at: Date; reason: SkipReason; detail: string }[];
}

/** How late the latest tick may fire under the schedule's catch-up policy, in ms. */
export function catchUpWindowMs(spec: Pick<ScheduleSpec, 'catchUp'>): number {
  if (spec.catchUp?.policy !== 'latest' || spec.catchUp.window === undefined) return GRACE_MS;
  return Math.max(GRACE_MS, parseDuration(String(spec.catchUp.window)) ?? 0);
}

export function planTicks(spec: ScheduleSpec, cursor: Date, now: Date): TickPlan {
  const ticks = recentFireTimes(spec, cursor, now, MAX_TICKS_PER_PASS);
  if (ticks.length === 0) return { fire: null, passed: [] };
  if (spec.enabled === false) {
    return { fire: null, passed: ticks.map((at) => ({ at, reason: 'disabled', detail: 'the schedule is disabled (enabled: false)' })) };
  }
  const window = catchUpWindowMs(spec);
  const [latest, ...older] = ticks as [Date, ...Date[]];
  const lateBy = now.getTime() - latest.getTime();
  const policy = spec.catchUp?.policy ?? 'skip';
  const tooLate = (at: Date) => ({
    at,
    reason: 'missed' as const,
    detail: `${Math.round((now.getTime() - at.getTime()) / 1000)} s late; catch-up ${policy} fires a tick only within ${Math.round(window / 1000)} s of it`,
  });
  const superseded = (at: Date) => ({ at, reason: 'missed' as const, detail: 'a later tick came before it was fired; only the latest is ever fired' });
  if (lateBy <= window) return { fire: latest, passed: older.map(superseded) };
  return { fire: null, passed: [tooLate(latest), ...older.map(superseded)] };
}
