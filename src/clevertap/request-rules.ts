/**
 * What CleverTap refuses in a request, as pure checks over the body it would receive
 * (clevertap-api.md). One table with two readers: the sandbox emulator answers each refusal, and
 * validate's rules report the ones that can be known offline, located in the YAML. Neither reader
 * imports the other; both import this, so the two can not disagree about what is refused.
 *
 * Each rule names the contract section it comes from. Where the contract quotes CleverTap's own
 * error text, that is the text; where it gives none, the text says it is the emulator's own
 * (`campaignctl sandbox: ...`) so nobody mistakes it for CleverTap's words.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isRecord } from '../model/record.js';
import { fromYyyymmdd, impossibleDate } from '../time/calendar.js';
import { ANDROID_WITHOUT_DEVICES, CONTENT_TYPE_TEXT, PUSH_DEVICES } from './unverified.js';

/** The prefix of every refusal text the contract does not give. */
export const EMULATOR_TEXT = 'campaignctl sandbox:';
const ours = (text: string): string => `${EMULATOR_TEXT} ${text}`;

export interface RequestRule {
  /** Where the contract says it (clevertap-api.md). */
  section: string;
  /** The contract's words the rule rests on. */
  contract: string;
  /** CleverTap's `code`, where the contract records one. */
  code?: number;
  /**
   * The validate diagnostic code that reports the same mistake in YAML, when it can be known
   * offline; null when it can not (a header; a date type the YAML never sends, since render
   * writes every date as an integer). The invalid-fixture corpus proves each one against the
   * emulator (test/sandbox/contract/fixtures.test.ts).
   */
  offline: string | null;
}

export const REQUEST_RULES = {
  'devices-missing': { section: '§2.2', contract: '`devices` | string[] | yes for push', code: 400, offline: 'schema.required' },
  'devices-not-list': { section: '§2.2', contract: '`devices` | string[] | yes for push', code: 400, offline: 'schema.type' },
  'devices-empty': { section: '§2.2', contract: '`devices` | string[] | yes for push', code: 400, offline: 'schema.too-short' },
  'device-unknown': { section: '§2.2', contract: 'Push platforms: `android`, `ios` (`windows` legacy: see unverified.ts)', code: 400, offline: 'schema.enum' },
  'android-channel-missing': {
    section: '§2.2, §1.4',
    contract: 'Android 8+ push needs a channel: missing -> fail code 9',
    code: 9,
    offline: 'rule.android-channel-missing',
  },
  'where-with-segment': { section: '§2.2', contract: '`segment`: not together with `where`', code: 400, offline: 'schema.one-of' },
  'date-not-integer': { section: '§2.3, §4', contract: '`from` and `to`, both integers in YYYYMMDD form', offline: null },
  'date-impossible': { section: '§2.3, §4', contract: 'both integers in YYYYMMDD form (a real date)', code: 400, offline: 'time.invalid-date' },
  'from-after-to': { section: '§2.2', contract: '`where.from` later than `where.to` fails', offline: 'rule.from-after-to' },
  'when-in-past': { section: '§2.5', contract: '`"now"`, or a future local datetime string', code: 400, offline: 'rule.when-in-past' },
  'c-by-not-email': { section: '§8.2', contract: '`c-by`: Creator: an email address', code: 400, offline: 'schema.format' },
  'content-type': { section: '§1.2', contract: '`Content-Type: application/json`: required on every request', code: 400, offline: null },
  'field-unlisted': { section: '§2.2, §3, §7, §8.2', contract: 'unverified fields: the engine must not send them', code: 400, offline: 'rule.wire-unlisted-field' },
} as const satisfies Record<string, RequestRule>;

export type RequestRuleId = keyof typeof REQUEST_RULES;

/** One refused request: the rule, CleverTap's answer, and the body path it is about. */
export interface RequestRefusal {
  rule: RequestRuleId;
  error: string;
  code?: number;
  path: (string | number)[];
}

/** CleverTap's own texts, as the contract quotes them (live, [QA] and [RUBY]). */
export const LIVE_TEXT = {
  androidChannelMissing: 'Notification channel is required for devices having Android 8.0 or above',
  whereUnparseable: 'Query specified in where failed to parse',
  fromAfterTo: 'Query parse failure - The from date cannot be after the to date',
} as const;

function refusal(rule: RequestRuleId, error: string, path: (string | number)[]): RequestRefusal {
  const code = (REQUEST_RULES[rule] as RequestRule).code;
  return code === undefined ? { rule, error, path } : { rule, error, code, path };
}

/** A string with something besides white space (the emulator's checks use it too). */
export function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

// ---- devices and the Android channel (push) ----

/** A push create's `devices`: present, a list, not empty, only known platforms (§2.2). */
export function devicesRefusal(body: Record<string, unknown>): RequestRefusal | null {
  const devices = body.devices;
  if (devices === undefined) return refusal('devices-missing', ours('field devices is required for push (clevertap-api.md §2.2)'), ['devices']);
  if (!Array.isArray(devices)) return refusal('devices-not-list', ours('field devices must be a list of platforms (clevertap-api.md §2.2)'), ['devices']);
  if (devices.length === 0) return refusal('devices-empty', ours('field devices must name at least one platform (clevertap-api.md §2.2)'), ['devices']);
  const i = devices.findIndex((d) => typeof d !== 'string' || !(PUSH_DEVICES as readonly string[]).includes(d));
  if (i >= 0) {
    return refusal('device-unknown', ours(`unknown device ${JSON.stringify(devices[i])}; known: ${PUSH_DEVICES.join(', ')} (clevertap-api.md §2.2)`), ['devices', i]);
  }
  return null;
}

/** Whether a push may reach Android: `devices` names it, or there is no `devices` at all. */
export function mayReachAndroid(devices: unknown): boolean {
  if (devices === undefined) return ANDROID_WITHOUT_DEVICES;
  return Array.isArray(devices) && devices.includes('android');
}

/** `wzrk_cid` where CleverTap reads it: top level, or `content.platform_specific.android` (§2.2). */
export function hasAndroidChannel(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if (nonEmptyString(body.wzrk_cid)) return true;
  const content = isRecord(body.content) ? body.content : {};
  const ps = isRecord(content.platform_specific) ? content.platform_specific : {};
  const android = isRecord(ps.android) ? ps.android : {};
  return nonEmptyString(android.wzrk_cid);
}

/** A push that may reach Android without a channel: CleverTap's code 9 (§1.4, §2.2). */
export function androidChannelRefusal(body: Record<string, unknown>, devices: unknown): RequestRefusal | null {
  if (!mayReachAndroid(devices) || hasAndroidChannel(body)) return null;
  return refusal('android-channel-missing', LIVE_TEXT.androidChannelMissing, ['devices']);
}

// ---- audience ----

/** `where` and `segment` together (§2.2: "not together with `where`"; the Node SDK refuses it). */
export function whereWithSegmentRefusal(body: Record<string, unknown>): RequestRefusal | null {
  if (body.where === undefined || body.segment === undefined) return null;
  return refusal('where-with-segment', ours('where and segment can not be sent together (clevertap-api.md §2.2)'), ['segment']);
}

/** The base query and each advanced_query event condition of a `where`, with their paths below it (§2.3). */
export function whereDateQueries(where: Record<string, unknown>): { query: Record<string, unknown>; path: (string | number)[] }[] {
  const found: { query: Record<string, unknown>; path: (string | number)[] }[] = [{ query: where, path: [] }];
  const advanced = where.advanced_query;
  if (!isRecord(advanced)) return found;
  for (const list of ['did_all', 'did_none'] as const) {
    const items = advanced[list];
    if (Array.isArray(items)) items.forEach((q, i) => isRecord(q) && found.push({ query: q, path: ['advanced_query', list, i] }));
  }
  const any = isRecord(advanced.did_any) ? advanced.did_any.any_events : undefined;
  if (Array.isArray(any)) any.forEach((q, i) => isRecord(q) && found.push({ query: q, path: ['advanced_query', 'did_any', 'any_events', i] }));
  return found;
}

/** Why a YYYYMMDD integer is not a real date (`February 2025 has 28 days`), or undefined. */
export function impossibleYmd(n: number): string | undefined {
  if (n < 1000_01_01 || n > 9999_12_31) return 'not a YYYYMMDD date';
  return impossibleDate(fromYyyymmdd(n));
}

/** Both ends are inclusive days, so only a `from` after `to` is refused (§2.2). */
export function isFromAfterTo(from: number, to: number): boolean {
  return from > to;
}

/**
 * One wire date (`from` or `to`): an integer that is a real YYYYMMDD date. `parseText` is what
 * CleverTap answers for a value that is no integer at all.
 */
function dateRefusal(value: unknown, path: (string | number)[], parseText: string): RequestRefusal | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return refusal('date-not-integer', parseText, path);
  const reason = impossibleYmd(value);
  return reason ? refusal('date-impossible', ours(`${value} at ${path.join('.')} is not a real date: ${reason} (clevertap-api.md §2.3)`), path) : null;
}

/** Every date of a `where` (base query and advanced_query events), first problem first (§2.2, §2.3). */
export function whereDatesRefusal(where: Record<string, unknown>): RequestRefusal | null {
  for (const { query, path } of whereDateQueries(where)) {
    const at = ['where', ...path];
    for (const end of ['from', 'to'] as const) {
      if (query[end] === undefined) continue;
      const problem = dateRefusal(query[end], [...at, end], LIVE_TEXT.whereUnparseable);
      if (problem) return problem;
    }
    if (typeof query.from === 'number' && typeof query.to === 'number' && isFromAfterTo(query.from, query.to)) {
      return refusal('from-after-to', LIVE_TEXT.fromAfterTo, [...at, 'from']);
    }
  }
  return null;
}

/** `targets/list.json`: `from` and `to` required, real YYYYMMDD integers, `from` not after `to` (§4). */
export function listRangeRefusal(body: Record<string, unknown>): RequestRefusal | null {
  const missing = ours('fields from and to are required as YYYYMMDD integers (clevertap-api.md §4)');
  for (const end of ['from', 'to'] as const) {
    const problem = dateRefusal(body[end], [end], missing);
    if (problem) return problem;
  }
  if (isFromAfterTo(body.from as number, body.to as number)) return refusal('from-after-to', LIVE_TEXT.fromAfterTo, ['from']);
  return null;
}

// ---- time ----

/** A scheduled start before `now` (§2.5: "a future local datetime string"; `now` itself is not past). */
export function isPastStart(start: Date, now: Date): boolean {
  return start.getTime() < now.getTime();
}

export function whenInPastRefusal(start: Date, now: Date, path: (string | number)[] = ['when']): RequestRefusal | null {
  if (!isPastStart(start, now)) return null;
  return refusal('when-in-past', ours(`when ${start.toISOString()} is in the past (now ${now.toISOString()}); it must be "now" or a future time (clevertap-api.md §2.5)`), path);
}

// ---- people ----

/** The same email test as the YAML schema's `format: email` (ajv-formats, full mode: a RegExp). */
const EMAIL = fullFormats.email as RegExp;

export function isEmailAddress(v: unknown): v is string {
  return typeof v === 'string' && EMAIL.test(v);
}

/** `c-by` of a business event raise: an email address (§8.2). */
export function createdByRefusal(body: Record<string, unknown>): RequestRefusal | null {
  const cBy = body['c-by'];
  if (cBy === undefined || isEmailAddress(cBy)) return null;
  return refusal('c-by-not-email', ours(`c-by ${JSON.stringify(cBy)} is not an email address (clevertap-api.md §8.2)`), ['c-by']);
}

// ---- the request itself ----

/** `Content-Type: application/json` on every request (§1.2); `; charset=utf-8` is in use too. */
export function contentTypeRefusal(contentType: string | undefined): RequestRefusal | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' ? null : refusal('content-type', ours(CONTENT_TYPE_TEXT), []);
}

/** Top-level fields of a body that the contract does not list for this endpoint. */
export function unlistedFields(body: Record<string, unknown>, listed: readonly string[]): string[] {
  return Object.keys(body).filter((k) => !listed.includes(k));
}

export function unlistedFieldRefusal(path: string, fields: readonly string[], section: string): RequestRefusal | null {
  if (fields.length === 0) return null;
  const names = fields.map((f) => JSON.stringify(f)).join(', ');
  return refusal('field-unlisted', ours(`strict mode: ${names} ${fields.length === 1 ? 'is' : 'are'} not among the fields clevertap-api.md ${section} lists for ${path}`), [fields[0]!]);
}
