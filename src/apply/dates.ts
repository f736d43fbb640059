/**
 * Date windows for `targets/list.json`, which takes `from`/`to` as YYYYMMDD integers (both ends
 * included) and has no paging (clevertap-api.md section 4): reads are split into bounded windows.
 * Which zone CleverTap reads those dates in is unverified, so every window is widened by a day on
 * each side: a campaign is never missed because of the zone, at the cost of a few extra rows.
 */
import { addDays, fromYyyymmdd, toYyyymmdd } from '../time/calendar.js';
import { dateInZone, offsetMsAt } from '../time/zone.js';
import type { JournalWindow } from '../state/store.js';
import type { StartsAt } from '../plan/types.js';

/** At most this many days per list call. */
export const MAX_WINDOW_DAYS = 31;
/** Days added before and after a campaign's start date. */
export const WINDOW_MARGIN_DAYS = 1;

export type Ymd = number;

export function ymdOf(instant: Date, zone: string): Ymd {
  return toYyyymmdd(dateInZone(instant, zone));
}

export function shiftYmd(ymd: Ymd, days: number): Ymd {
  return toYyyymmdd(addDays(fromYyyymmdd(ymd), days));
}

/** Days from a to b (b - a), calendar days. */
export function daysBetween(a: Ymd, b: Ymd): number {
  const ms = (ymd: Ymd) => {
    const { year, month, day } = fromYyyymmdd(ymd);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((ms(b) - ms(a)) / 86_400_000);
}

/** The start instant of a campaign: its `at`, or `now` for one that starts when created. */
export function startInstant(start: StartsAt | null | undefined, now: Date): Date {
  return start && start.kind === 'at' ? new Date(start.instant) : now;
}

/**
 * The window a journal row records for its read-back: the start date, widened by the margin.
 * (Date arithmetic on the local reading, without intermediate objects: a refresh computes one per
 * managed campaign.)
 */
export function windowAround(instant: Date, zone: string): JournalWindow {
  const t = instant.getTime();
  const local = new Date(t + offsetMsAt(t, zone));
  const at = (days: number) => {
    const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days));
    return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  };
  return { from: at(-WINDOW_MARGIN_DAYS), to: at(WINDOW_MARGIN_DAYS) };
}

/**
 * Covers every given window with few list calls, none spanning more than maxDays: sorted, then
 * merged greedily while the merged span stays within the bound (a gap inside a window costs
 * nothing but a few foreign rows, a call costs a slot of CleverTap's 3 concurrent requests).
 */
export function coveringWindows(windows: readonly JournalWindow[], maxDays: number = MAX_WINDOW_DAYS): JournalWindow[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: JournalWindow[] = [];
  for (const w of sorted) {
    let from = w.from;
    const last = out[out.length - 1];
    if (last) {
      if (w.to <= last.to) continue; // already covered
      if (daysBetween(last.from, w.to) < maxDays) {
        last.to = w.to;
        continue;
      }
      if (from <= last.to) from = shiftYmd(last.to, 1);
    }
    // A window longer than the bound is split into pieces of maxDays.
    while (from <= w.to) {
      const to = Math.min(w.to, shiftYmd(from, maxDays - 1));
      out.push({ from, to });
      from = shiftYmd(to, 1);
    }
  }
  return out;
}
