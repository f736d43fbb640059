/**
 * Time on the wire. YAML says when in ways people write (`now`, an ISO instant with offset,
 * `YYYY-MM-DD HH:MM` in the account's zone, dates as YYYYMMDD / ISO / `{daysAgo: N}`); CleverTap
 * takes `now` or `YYYYMMDD HH:MM` for `when`, and YYYYMMDD integers in `where`. Impossible dates
 * (February 31st, month 13) are problems, never rolled over. The clock is always an argument.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import { addDays, isValidClock, isValidDate, pad, toYyyymmdd } from './calendar.js';
import { dateInZone, isValidTimeZone, localToInstant, zonedParts } from './zone.js';
import { clonePlain } from '../model/record.js';

export type TimeResult<T> = { ok: true; value: T } | { ok: false; diagnostic: Diagnostic };

export type When = { kind: 'now' } | { kind: 'at'; instant: Date };

/** A problem at a path inside the value that was resolved (e.g. `['advanced_query','did_all',0,'from']`). */
export interface PathProblem {
  path: (string | number)[];
  diagnostic: Diagnostic;
}

/**
 * THE one place that decides which zone CleverTap reads a `YYYYMMDD HH:MM` string in.
 * clevertap-api.md section 13 item 8: no source states it; the inference is the account time
 * zone. If a real account shows otherwise (e.g. UTC), change this function and nothing else:
 * every conversion to and from the wire form goes through it.
 */
export function wireTimeZone(accountTimezone: string): string {
  return accountTimezone;
}

/** An instant as CleverTap's `when` string: `YYYYMMDD HH:MM` (seconds dropped). */
export function instantToWire(instant: Date, accountTimezone: string): string {
  const p = zonedParts(instant, wireTimeZone(accountTimezone));
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** CleverTap's `YYYYMMDD HH:MM` back to an instant (undefined when malformed or skipped by DST). */
export function wireToInstant(wire: string, accountTimezone: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2})$/.exec(wire);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  if (!isValidDate(year, month, day) || !isValidClock(hour, minute)) return undefined;
  const r = localToInstant({ year, month, day, hour, minute, second: 0 }, wireTimeZone(accountTimezone));
  return r.kind === 'gap' ? undefined : r.instant;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const LOCAL_MINUTE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

function invalidWhen(value: string, reason: string): TimeResult<never> {
  return { ok: false, diagnostic: diagnostic('time.invalid-when', { value, reason }) };
}

function invalidDate(value: unknown, reason: string): TimeResult<never> {
  return { ok: false, diagnostic: diagnostic('time.invalid-date', { value, reason }) };
}

function dateReason(year: number, month: number, day: number): string {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  return `${year}-${pad(month)} has no day ${day}`;
}

/** An ISO 8601 instant with an offset, checked field by field (Date.parse rolls Feb 31 into March). */
export function parseIsoInstant(text: string): TimeResult<Date> {
  const m = ISO_INSTANT.exec(text);
  if (!m) return invalidWhen(text, 'expected an ISO 8601 instant with an offset, like 2026-11-01T09:00:00+01:00');
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!isValidDate(year, month, day)) return invalidDate(text, dateReason(year, month, day));
  if (!isValidClock(hour, minute, second)) return invalidWhen(text, `${pad(hour)}:${pad(minute)}:${pad(second)} is not a time of day`);
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8]);
  if (offset && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) return invalidWhen(text, `${m[8]} is not a UTC offset`);
  const t = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(t)) return invalidWhen(text, 'not a parseable instant');
  return { ok: true, value: new Date(t) };
}

/** `YYYY-MM-DD HH:MM` read in `zone`. A time skipped by DST is a problem; a repeated one takes the earlier. */
export function parseLocalMinute(text: string, zone: string): TimeResult<Date> {
  const m = LOCAL_MINUTE.exec(text);
  if (!m) return invalidWhen(text, 'expected YYYY-MM-DD HH:MM');
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  if (!isValidDate(year, month, day)) return invalidDate(text, dateReason(year, month, day));
  if (!isValidClock(hour, minute)) return invalidWhen(text, `${pad(hour)}:${pad(minute)} is not a time of day`);
  const r = localToInstant({ year, month, day, hour, minute, second: 0 }, zone);
  if (r.kind === 'gap') return { ok: false, diagnostic: diagnostic('time.nonexistent-local-time', { value: text, zone }) };
  return { ok: true, value: r.instant };
}

/** zone + `when` -> its instant (ms): a plan reads each campaign's start several times. Bounded. */
const resolvedStarts = new Map<string, number>();

/** A Campaign's `when`: `now`, an ISO instant with offset, or `YYYY-MM-DD HH:MM` in the account zone. */
export function resolveWhen(when: unknown, accountTimezone: string): TimeResult<When> {
  if (when === 'now') return { ok: true, value: { kind: 'now' } };
  if (typeof when !== 'string') return invalidWhen(String(when), 'expected a string');
  const key = `${accountTimezone}\u0000${when}`;
  const known = resolvedStarts.get(key);
  if (known !== undefined) return { ok: true, value: { kind: 'at', instant: new Date(known) } };
  if (!isValidTimeZone(accountTimezone)) {
    return { ok: false, diagnostic: diagnostic('time.invalid-zone', { zone: accountTimezone }) };
  }
  const r = when.includes('T') ? parseIsoInstant(when) : parseLocalMinute(when, accountTimezone);
  if (!r.ok) return r;
  if (resolvedStarts.size >= 100_000) resolvedStarts.clear();
  resolvedStarts.set(key, r.value.getTime());
  return { ok: true, value: { kind: 'at', instant: r.value } };
}

/** A bulletin occurrence's `at`: `now` or an ISO instant with offset. */
export function resolveInstantOrNow(at: unknown): TimeResult<When> {
  if (at === 'now') return { ok: true, value: { kind: 'now' } };
  if (typeof at !== 'string') return invalidWhen(String(at), 'expected `now` or an ISO 8601 instant');
  const r = parseIsoInstant(at);
  return r.ok ? { ok: true, value: { kind: 'at', instant: r.value } } : r;
}

/** CleverTap's `when` string for a resolved `when`. */
export function whenToWire(when: When, accountTimezone: string): string {
  return when.kind === 'now' ? 'now' : instantToWire(when.instant, accountTimezone);
}

/**
 * A date in `where` (int YYYYMMDD, ISO `YYYY-MM-DD`, or `{daysAgo: N}` counted back from today in
 * the account zone) as CleverTap's YYYYMMDD integer.
 */
export function resolveCqlDate(value: unknown, now: Date, accountTimezone: string): TimeResult<number> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 10000101 || value > 99991231) {
      return invalidDate(value, 'expected 8 digits YYYYMMDD');
    }
    const year = Math.floor(value / 10000);
    const month = Math.floor(value / 100) % 100;
    const day = value % 100;
    return isValidDate(year, month, day) ? { ok: true, value } : invalidDate(value, dateReason(year, month, day));
  }
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return invalidDate(value, 'expected YYYY-MM-DD');
    const [year, month, day] = m.slice(1).map(Number);
    return isValidDate(year, month, day) ? { ok: true, value: toYyyymmdd({ year, month, day }) } : invalidDate(value, dateReason(year, month, day));
  }
  if (value !== null && typeof value === 'object' && 'daysAgo' in value) {
    const n = (value as { daysAgo: unknown }).daysAgo;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return invalidDate(value, '`daysAgo` must be a whole number of days, 0 or more');
    if (!isValidTimeZone(accountTimezone)) {
      return { ok: false, diagnostic: diagnostic('time.invalid-zone', { zone: accountTimezone }) };
    }
    return { ok: true, value: toYyyymmdd(addDays(dateInZone(now, accountTimezone), -n)) };
  }
  return invalidDate(value, 'expected YYYYMMDD, YYYY-MM-DD or { daysAgo: N }');
}

type Dated = { from?: unknown; to?: unknown };

function resolveDatedInPlace(
  item: Dated,
  path: (string | number)[],
  now: Date,
  zone: string,
  problems: PathProblem[],
): void {
  for (const key of ['from', 'to'] as const) {
    if (item[key] === undefined) continue;
    const r = resolveCqlDate(item[key], now, zone);
    if (r.ok) item[key] = r.value;
    else problems.push({ path: [...path, key], diagnostic: r.diagnostic });
  }
}

/**
 * Resolves every date of a `where` block (base `from`/`to`, and those inside
 * `advanced_query.did_all[]`, `did_none[]`, `did_any.any_events[]`). Returns a copy; problem paths
 * are relative to the `where` object.
 */
export function resolveWhereDates<W extends object>(where: W, now: Date, accountTimezone: string): { where: W; problems: PathProblem[] } {
  const copy = clonePlain(where) as W & Dated & { advanced_query?: Record<string, unknown> };
  const problems: PathProblem[] = [];
  resolveDatedInPlace(copy, [], now, accountTimezone, problems);
  const aq = copy.advanced_query;
  if (aq && typeof aq === 'object') {
    for (const list of ['did_all', 'did_none'] as const) {
      const items = aq[list];
      if (Array.isArray(items)) {
        items.forEach((item, i) => {
          if (item && typeof item === 'object') resolveDatedInPlace(item as Dated, ['advanced_query', list, i], now, accountTimezone, problems);
        });
      }
    }
    const any = aq.did_any as { any_events?: unknown } | undefined;
    if (any && Array.isArray(any.any_events)) {
      any.any_events.forEach((item, i) => {
        if (item && typeof item === 'object') {
          resolveDatedInPlace(item as Dated, ['advanced_query', 'did_any', 'any_events', i], now, accountTimezone, problems);
        }
      });
    }
  }
  return { where: copy, problems };
}

/** Seconds since the epoch, as `targets/trigger.json` takes a scheduled `when`. */
export function unixSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}
