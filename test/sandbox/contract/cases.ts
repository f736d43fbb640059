/**
 * The conformance table: requests, valid and invalid, for every endpoint, each with the outcome
 * clevertap-api.md documents and the section it comes from. Written from the contract, not from
 * the emulator's code: texts in `error` are CleverTap's own, as the contract quotes them; where the
 * contract gives no text, `emulator` names a word the emulator's own text (prefixed
 * `campaignctl sandbox:`) must hold. Rows marked `issue row N` are the nine acceptances the
 * emulator once let through (where the contract is unverified, the row cites the section and
 * src/clevertap/unverified.ts holds the choice).
 */

/** 2025-07-01 12:00 UTC: the emulator's clock for the whole table. */
export const CLOCK = new Date('2025-07-01T12:00:00Z');
export const TRIGGER_CAMPAIGN = 1695721550;
export const BUSINESS_EVENT = 'Program Released';
export const CONTROL_GROUP = 'holdout';

/** Ids the suite makes before the table runs: a campaign that is pending, one that is completed. */
export interface Made {
  pending: number;
  completed: number;
}

export interface Expect {
  http: number;
  status: 'success' | 'fail';
  /** CleverTap's exact text (quoted by the contract). */
  error?: string;
  /** No text in the contract: the emulator's own, which must say so and hold this word. */
  emulator?: string;
  /** The `code`, or null when the contract says there is none. */
  code?: number | null;
  /** Keys the success body must hold / must not hold. */
  has?: string[];
  lacks?: string[];
}

export interface Case {
  title: string;
  /** clevertap-api.md section(s) the expected outcome comes from. */
  section: string;
  path: string;
  body: Record<string, unknown> | ((made: Made) => Record<string, unknown>);
  /** Content-Type to send; null sends none. Default application/json. */
  contentType?: string | null;
  /** Send the X-CleverTap-Token header (§1.2, /2 External Trigger). */
  token?: boolean;
  /** Send wrong credentials. */
  badAuth?: boolean;
  expect: Expect;
}

const CHANNEL = { platform_specific: { android: { wzrk_cid: 'marketing' } } };

function push(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'cac:conformance:v1',
    target_mode: 'push',
    where: { event_name: 'App Launched', from: 20250601, to: 20250630 },
    content: { title: 'Hello', body: 'World', ...CHANNEL },
    devices: ['android', 'ios'],
    when: 'now',
    ...overrides,
  };
}

function drop(body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...body };
  for (const k of keys) delete copy[k];
  return copy;
}

const identityPush = (extra: Record<string, unknown> = {}) => ({ to: { Identity: ['u1'] }, content: { title: 'Hi', body: 'There', ...CHANNEL }, ...extra });
const trigger = (extra: Record<string, unknown> = {}) => ({ to: { email: ['a@example.com'] }, campaign_id: String(TRIGGER_CAMPAIGN), ExternalTrigger: { plan: 'pro' }, ...extra });
const raise = (extra: Record<string, unknown> = {}) => ({
  business_event: BUSINESS_EVENT,
  name: 'Show X episode 12',
  properties: { program_id: '234567' },
  'c-by': 'admin@example.com',
  when: 'now',
  ...extra,
});

const ok = (extra: Partial<Expect> = {}): Expect => ({ http: 200, status: 'success', ...extra });
const live = (error: string, code?: number | null): Expect => ({ http: 400, status: 'fail', error, ...(code === undefined ? {} : { code }) });
const ours = (word: string, code?: number): Expect => ({ http: 400, status: 'fail', emulator: word, ...(code === undefined ? {} : { code }) });

const CREATE = '/1/targets/create.json';
const ANDROID_9 = 'Notification channel is required for devices having Android 8.0 or above';
const UNPARSEABLE = 'Query specified in where failed to parse';
const FROM_AFTER_TO = 'Query parse failure - The from date cannot be after the to date';

export const CASES: Case[] = [
  // ---- §1: every request ----
  { title: 'wrong passcode', section: '§12 routing, §9.2 (401)', path: '/1/targets/list.json', body: { from: 20250601, to: 20250630 }, badAuth: true, expect: { http: 401, status: 'fail', code: 401 } },
  { title: 'issue row 9: no Content-Type', section: '§1.2', path: CREATE, body: push(), contentType: null, expect: ours('Content-Type', 400) },
  { title: 'issue row 9: Content-Type text/plain', section: '§1.2', path: '/1/targets/list.json', body: { from: 20250601, to: 20250630 }, contentType: 'text/plain', expect: ours('Content-Type', 400) },
  { title: 'Content-Type with charset is accepted', section: '§1.2 (both forms in use)', path: '/1/targets/list.json', body: { from: 20250601, to: 20250630 }, contentType: 'application/json; charset=utf-8', expect: ok({ has: ['targets'] }) },

  // ---- §2 create: valid ----
  { title: 'push campaign', section: '§2.2, §2.7', path: CREATE, body: push(), expect: ok({ has: ['id', 'estimates'] }) },
  { title: 'estimate only: no id', section: '§2.7', path: CREATE, body: push({ estimate_only: true }), expect: ok({ has: ['estimates'], lacks: ['id'] }) },
  { title: 'skip estimate', section: '§2.7', path: CREATE, body: push({ skip_estimate: true }), expect: ok({ has: ['id', 'estimates'] }) },
  { title: 'iOS only needs no channel', section: '§2.2', path: CREATE, body: push({ devices: ['ios'], content: { title: 'Hi', body: 'There' } }), expect: ok({ has: ['id'] }) },
  { title: 'channel at the top level', section: '§2.2 wzrk_cid', path: CREATE, body: push({ wzrk_cid: 'marketing', content: { title: 'Hi', body: 'There' } }), expect: ok({ has: ['id'] }) },
  { title: 'scheduled in the future', section: '§2.5', path: CREATE, body: push({ when: '20250702 09:00' }), expect: ok({ has: ['id'] }) },
  { title: 'a start at the current instant is not past', section: '§2.5', path: CREATE, body: push({ when: '20250701 12:00' }), expect: ok({ has: ['id'] }) },
  { title: 'segment all without where', section: '§2.2 segment', path: CREATE, body: drop(push({ segment: 'all' }), 'where'), expect: ok({ has: ['id'] }) },
  { title: 'advanced_query with integer dates', section: '§2.3', path: CREATE, body: push({ where: { advanced_query: { did_none: [{ event_name: 'App Uninstalled', from: 20250101, to: 20250131 }] } } }), expect: ok({ has: ['id'] }) },
  { title: 'email campaign', section: '§2.4', path: CREATE, body: { name: 'cac:mail:v1', target_mode: 'email', where: {}, content: { subject: 'S', body: '<p>B</p>', sender_name: 'Shop' }, when: 'now' }, expect: ok({ has: ['id'] }) },
  { title: 'sms campaign', section: '§2.4', path: CREATE, body: { name: 'cac:sms:v1', target_mode: 'sms', where: {}, content: { body: 'B' }, when: 'now' }, expect: ok({ has: ['id'] }) },
  { title: 'webpush campaign', section: '§2.4', path: CREATE, body: { name: 'cac:web:v1', target_mode: 'webpush', where: {}, content: { title: 'T', body: 'B' }, when: 'now' }, expect: ok({ has: ['id'] }) },
  { title: 'known custom control group', section: '§2.2 control_group', path: CREATE, body: push({ control_group: { type: 'custom', name: CONTROL_GROUP } }), expect: ok({ has: ['id'] }) },

  // ---- §2 create: what the contract quotes ----
  { title: 'no name', section: '§2.2 [QA]', path: CREATE, body: drop(push(), 'name'), expect: live('Field name is empty') },
  { title: 'no when', section: '§2.2 [QA]', path: CREATE, body: drop(push(), 'when'), expect: live('Field when is empty') },
  { title: 'no where', section: '§2.2 [QA]', path: CREATE, body: drop(push(), 'where'), expect: live(UNPARSEABLE) },
  { title: 'push without title', section: '§2.2 [QA]', path: CREATE, body: push({ content: { body: 'B', ...CHANNEL } }), expect: live('Field title is empty (inside content)') },
  { title: 'email without subject', section: '§2.2 [QA]', path: CREATE, body: { name: 'n', target_mode: 'email', where: {}, content: { body: 'B', sender_name: 'S' }, when: 'now' }, expect: live('Field subject is empty (inside content)') },
  { title: 'sms without body', section: '§2.2 [QA]', path: CREATE, body: { name: 'n', target_mode: 'sms', where: {}, content: {}, when: 'now' }, expect: live('Field body is empty (inside content)') },
  { title: 'from after to', section: '§2.2 [QA]', path: CREATE, body: push({ where: { event_name: 'E', from: 20250630, to: 20250601 } }), expect: live(FROM_AFTER_TO) },
  { title: 'unknown custom control group', section: '§2.2 [QA]', path: CREATE, body: push({ control_group: { type: 'custom', name: 'nope' } }), expect: live('No custom control group with name nope is defined') },
  { title: 'android without channel', section: '§2.2, §1.4 [RUBY]', path: CREATE, body: push({ content: { title: 'Hi', body: 'There' } }), expect: live(ANDROID_9, 9) },

  // ---- issue row 1: devices ----
  { title: 'issue row 1: devices missing', section: '§2.2 devices', path: CREATE, body: drop(push({ wzrk_cid: 'marketing' }), 'devices'), expect: ours('devices', 400) },
  { title: 'issue row 1: devices empty', section: '§2.2 devices', path: CREATE, body: push({ devices: [] }), expect: ours('devices', 400) },
  { title: 'issue row 1: devices not a list', section: '§2.2 devices', path: CREATE, body: push({ devices: 'android' }), expect: ours('devices', 400) },
  { title: 'issue row 1: unknown platform', section: '§2.2 devices', path: CREATE, body: push({ devices: ['android', 'blackberry'] }), expect: ours('blackberry', 400) },
  // ---- issue row 2: no devices, no channel ----
  { title: 'issue row 2: no devices and no wzrk_cid', section: '§1.4, §2.2 (with no devices, Android is in)', path: CREATE, body: drop(push({ content: { title: 'Hi', body: 'There' } }), 'devices'), expect: live(ANDROID_9, 9) },
  { title: 'issue row 2: identity push without wzrk_cid', section: '§3, §1.4', path: '/1/send/push.json', body: { to: { Identity: ['u1'] }, content: { title: 'Hi', body: 'There' } }, expect: live(ANDROID_9, 9) },
  // ---- issue row 3 ----
  { title: 'issue row 3: where and segment together', section: '§2.2 segment', path: CREATE, body: push({ segment: 'all' }), expect: ours('segment', 400) },
  // ---- issue row 4: impossible dates ----
  { title: 'issue row 4: 20250231 in where', section: '§2.3', path: CREATE, body: push({ where: { event_name: 'E', from: 20250201, to: 20250231 } }), expect: ours('20250231', 400) },
  { title: 'issue row 4: month 13 in where', section: '§2.3', path: CREATE, body: push({ where: { event_name: 'E', from: 20251301, to: 20251302 } }), expect: ours('20251301', 400) },
  { title: 'issue row 4: 20250231 in list.json', section: '§4', path: '/1/targets/list.json', body: { from: 20250201, to: 20250231 }, expect: ours('20250231', 400) },
  // ---- issue row 5: advanced_query dates ----
  { title: 'issue row 5: a string date in advanced_query', section: '§2.3 (same rules as the base query)', path: CREATE, body: push({ where: { advanced_query: { did_all: [{ event_name: 'Charged', from: '20250101', to: 20250131 }] } } }), expect: live(UNPARSEABLE) },
  { title: 'issue row 5: from after to in advanced_query', section: '§2.3, §2.2', path: CREATE, body: push({ where: { advanced_query: { did_none: [{ event_name: 'Charged', from: 20250131, to: 20250101 }] } } }), expect: live(FROM_AFTER_TO) },
  { title: 'issue row 5: impossible date in did_any', section: '§2.3', path: CREATE, body: push({ where: { advanced_query: { did_any: { any_events: [{ event_name: 'Charged', from: 20250229, to: 20250301 }] } } } }), expect: ours('20250229', 400) },
  // ---- issue row 6: past when ----
  { title: 'issue row 6: when in the past', section: '§2.5', path: CREATE, body: push({ when: '20250701 11:59' }), expect: ours('past', 400) },
  { title: 'issue row 6: object form in the past', section: '§2.5 (object form)', path: CREATE, body: push({ when: { type: 'later', delivery_date_time: ['20250630 09:00'] } }), expect: ours('past', 400) },
  // ---- issue row 7: c-by ----
  { title: 'issue row 7: c-by not an email', section: '§8.2', path: '/1/targets/trigger.json', body: raise({ 'c-by': 'admin' }), expect: ours('c-by', 400) },
  // ---- issue row 8: unlisted fields (strict) ----
  { title: 'issue row 8: skip_to on create', section: '§2.2, §13.9', path: CREATE, body: push({ skip_to: 'x' }), expect: ours('skip_to', 400) },
  { title: 'issue row 8: create fields on an identity send', section: '§3', path: '/1/send/push.json', body: identityPush({ where: {}, estimate_only: true }), expect: ours('where', 400) },
  { title: 'issue row 8: extra key on an External Trigger', section: '§7', path: '/1/send/externaltrigger.json', body: trigger({ priority: 'high' }), expect: ours('priority', 400) },

  // ---- §4 list ----
  { title: 'list a range', section: '§4', path: '/1/targets/list.json', body: { from: 20250601, to: 20250731 }, expect: ok({ has: ['targets'] }) },
  { title: 'list without to', section: '§4 (required)', path: '/1/targets/list.json', body: { from: 20250601 }, expect: ours('from and to', 400) },
  { title: 'list from after to', section: '§4, §2.2', path: '/1/targets/list.json', body: { from: 20250702, to: 20250701 }, expect: live(FROM_AFTER_TO) },

  // ---- §5 stop ----
  { title: 'stop a pending campaign', section: '§5', path: '/1/targets/stop.json', body: (m) => ({ id: m.pending }), expect: ok() },
  { title: 'stop an unknown id', section: '§5 (invalid id: fail)', path: '/1/targets/stop.json', body: { id: 1234567890 }, expect: { http: 400, status: 'fail' } },
  { title: 'stop a negative id', section: '§5', path: '/1/targets/stop.json', body: { id: -5 }, expect: { http: 400, status: 'fail' } },

  // ---- §6 result ----
  { title: 'report of a completed campaign', section: '§6', path: '/1/targets/result.json', body: (m) => ({ id: m.completed }), expect: ok({ has: ['result'] }) },
  { title: 'report of an unfinished campaign', section: '§6 [SNIP] (no code)', path: '/1/targets/result.json', body: (m) => ({ id: m.pending }), expect: live("This target hasn't been completed", null) },

  // ---- §3 identity sends ----
  { title: 'identity push', section: '§3', path: '/1/send/push.json', body: identityPush({ tag_group: 'cac', respect_frequency_caps: false }), expect: ok({ has: ['message'] }) },
  { title: 'identity webpush', section: '§3', path: '/1/send/webpush.json', body: { to: { Email: ['a@example.com'] }, content: { title: 'T', body: 'B' } }, expect: ok() },
  { title: 'identity email', section: '§3', path: '/1/send/email.json', body: { to: { Identity: ['u1'] }, content: { subject: 'S', body: 'B', sender_name: 'N' } }, expect: ok() },
  { title: 'identity sms', section: '§3', path: '/1/send/sms.json', body: { to: { Identity: ['u1'] }, content: { body: 'B' } }, expect: ok() },
  { title: 'identity whatsapp', section: '§3 (3P)', path: '/1/send/whatsapp.json', body: { to: { Identity: ['u1'] }, content: { body: 'B' } }, expect: ok() },
  { title: 'identity webpush without title', section: '§3 (content as §2.4), §2.2 [QA]', path: '/1/send/webpush.json', body: { to: { Email: ['a@example.com'] }, content: { body: 'B' } }, expect: live('Field title is empty (inside content)', 400) },
  { title: 'identity email without subject', section: '§3 (content as §2.4), §2.2 [QA]', path: '/1/send/email.json', body: { to: { Identity: ['u1'] }, content: { body: 'B', sender_name: 'N' } }, expect: live('Field subject is empty (inside content)', 400) },
  { title: 'identity whatsapp without recipients', section: '§3 (2016 sample)', path: '/1/send/whatsapp.json', body: { to: {}, content: { body: 'B' } }, expect: live('Invalid recipients', 84) },
  { title: 'identity send with an unknown key in to', section: '§3 (2016 sample)', path: '/1/send/sms.json', body: { to: { Phone: ['1'] }, content: { body: 'B' } }, expect: live('Invalid recipients', 84) },
  { title: 'identity send above 1000 ids', section: '§3 limit', path: '/1/send/sms.json', body: { to: { Identity: Array.from({ length: 1001 }, (_, i) => `u${i}`) }, content: { body: 'B' } }, expect: { http: 400, status: 'fail' } },

  // ---- §7 External Trigger ----
  { title: 'external trigger', section: '§7', path: '/1/send/externaltrigger.json', body: trigger(), expect: ok() },
  { title: 'external trigger of an unknown campaign', section: '§7, §12', path: '/1/send/externaltrigger.json', body: trigger({ campaign_id: '999' }), expect: { http: 400, status: 'fail' } },
  { title: '/2 external trigger', section: '§7 (/2)', path: '/2/send/externaltrigger.json', body: { to: { email: ['a@example.com'] }, campaign_id_list: [TRIGGER_CAMPAIGN], ExternalTrigger: { plan: 'pro' } }, token: true, expect: ok() },
  { title: '/2 external trigger without the token', section: '§1.2, §7', path: '/2/send/externaltrigger.json', body: { to: { email: ['a@example.com'] }, campaign_id_list: [TRIGGER_CAMPAIGN], ExternalTrigger: {} }, expect: { http: 401, status: 'fail' } },

  // ---- §8.2 raise ----
  { title: 'raise a business event', section: '§8.2', path: '/1/targets/trigger.json', body: raise(), expect: ok() },
  { title: 'raise an unknown business event', section: '§8.2', path: '/1/targets/trigger.json', body: raise({ business_event: 'Nope' }), expect: { http: 400, status: 'fail' } },
  { title: 'raise a non-string property', section: '§8.2 (string values)', path: '/1/targets/trigger.json', body: raise({ properties: { n: 5 } }), expect: { http: 400, status: 'fail' } },
];
