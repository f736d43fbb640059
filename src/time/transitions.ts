/**
 * A zone's clock changes (DST starting or ending, or a zone moving its standard offset) between two
 * instants, found from Intl's offsets: pure, no clock.
 */
import { offsetMsAt } from './zone.js';

export interface ZoneTransition {
  /** The first instant on the new offset (ms since the epoch). */
  at: number;
  /** Offset from UTC before and from `at` on, in ms. */
  offsetBefore: number;
  offsetAfter: number;
}

/** Offsets are sampled this far apart; no zone changes its clocks twice within 6 hours. */
const STEP_MS = 6 * 3_600_000;

/** Every transition of `zone` with from < at <= until, in order. */
export function zoneTransitions(zone: string, from: number, until: number): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  let t = from;
  let offset = offsetMsAt(t, zone);
  while (t < until) {
    const next = Math.min(t + STEP_MS, until);
    const nextOffset = offsetMsAt(next, zone);
    if (nextOffset !== offset) out.push({ at: firstOnOffset(zone, t, next, nextOffset), offsetBefore: offset, offsetAfter: nextOffset });
    t = next;
    offset = nextOffset;
  }
  return out;
}

/** The first whole second in (lo, hi] with `offset` (hi has it, lo does not). */
function firstOnOffset(zone: string, lo: number, hi: number, offset: number): number {
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetMsAt(mid * 1000, zone) === offset) b = mid;
    else a = mid;
  }
  return b * 1000;
}
