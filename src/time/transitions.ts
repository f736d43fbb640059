/**
 * A zone's clock changes (DST starting or ending, or a zone moving its standard offset) between two
 * instants, found from Intl's offsets: pure, no clock.
 *
 * Validating a project asks for the same few zones' next two years thousands of times (once per
 * cron and zone, once per zone for how long a finding stands): the transitions are worked out once
 * per zone and fixed span of time (CHUNK_MS, aligned to the epoch) and kept, so a request only
 * filters the spans it covers. A span is sampled exactly as a request would be (every STEP_MS, each
 * change then narrowed to the second), so the answer is the one sampling the request itself gives.
 */
import { wallReadingOffset } from './zone.js';

export interface ZoneTransition {
  /** The first instant on the new offset (ms since the epoch). */
  at: number;
  /** Offset from UTC before and from `at` on, in ms. */
  offsetBefore: number;
  offsetAfter: number;
}

/** Offsets are sampled this far apart; no zone changes its clocks twice within 6 hours. */
const STEP_MS = 6 * 3_600_000;
/** The span worked out at once: 28 days (a multiple of STEP_MS, so every span starts on a sample). */
const CHUNK_MS = 112 * STEP_MS;
/** Spans kept in all; cleared when full (a long-running daemon moves through time). */
const MAX_CHUNKS = 5_000;
const chunks = new Map<string, Map<number, readonly ZoneTransition[]>>();
let chunkCount = 0;

/** Every transition of `zone` with from < at <= until, in order. */
export function zoneTransitions(zone: string, from: number, until: number): ZoneTransition[] {
  if (!(until > from)) return [];
  const out: ZoneTransition[] = [];
  for (let c = Math.floor(from / CHUNK_MS); c * CHUNK_MS < until; c++) {
    for (const tr of chunkOf(zone, c)) if (tr.at > from && tr.at <= until) out.push({ ...tr });
  }
  return out;
}

/** The transitions of span `c`: c * CHUNK_MS < at <= (c + 1) * CHUNK_MS. */
function chunkOf(zone: string, c: number): readonly ZoneTransition[] {
  let byChunk = chunks.get(zone);
  if (!byChunk) chunks.set(zone, (byChunk = new Map()));
  let found = byChunk.get(c);
  if (!found) {
    if (chunkCount >= MAX_CHUNKS) {
      chunks.clear();
      chunks.set(zone, (byChunk = new Map()));
      chunkCount = 0;
    }
    found = sampled(zone, c * CHUNK_MS, (c + 1) * CHUNK_MS);
    byChunk.set(c, found);
    chunkCount++;
  }
  return found;
}

/** The transitions with from < at <= until, sampled every STEP_MS from `from`. */
function sampled(zone: string, from: number, until: number): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  let t = from;
  let offset = wallReadingOffset(t, zone);
  while (t < until) {
    const next = Math.min(t + STEP_MS, until);
    const nextOffset = wallReadingOffset(next, zone);
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
    if (wallReadingOffset(mid * 1000, zone) === offset) b = mid;
    else a = mid;
  }
  return b * 1000;
}
