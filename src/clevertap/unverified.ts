/**
 * Every CleverTap fact the client relies on that no primary source confirms (clevertap-api.md §13)
 * lives here, one named constant or function each, so that checking a real account means editing
 * one line. The emulator (src/sandbox/) mirrors these guesses independently.
 */

/**
 * EU host: the docs list `api.clevertap.com`, the official Node SDK builds `eu1.api.clevertap.com`
 * (§1.1, §13.11). Both are believed to serve EU accounts; we use the documented one.
 */
export const EU_API_HOST = 'api.clevertap.com';

/** Every other region is `<region>.api.clevertap.com` (§1.1, verified for in1/sg1/us1/aps3/mec1). */
export function regionalApiHost(region: string): string {
  return region === 'eu1' ? EU_API_HOST : `${region}.api.clevertap.com`;
}

/**
 * The start-time field of a `targets/list.json` row (§4, §13.2): two third-party tools call it
 * `scheduled_on`; its format is unknown. The client passes it through raw as `scheduledOn`.
 */
export const LIST_START_TIME_FIELD = 'scheduled_on';

/**
 * Reads the placeholder format of `scheduled_on`: an integer YYYYMMDDHHmm in the account's time
 * zone (the guess in §4's example, also what the emulator returns). Returns the wall-clock parts,
 * or null for anything else, so a caller can fall back to its own record of the schedule.
 */
export function parseScheduledOn(
  raw: unknown,
): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const text = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : typeof raw === 'string' ? raw : '';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute };
}

// CleverTap's campaign status strings (§4, §13.2) are mapped in ONE place, the pure planner's
// src/plan/remote-status.ts, because the planner reasons about them.

/**
 * The report error for a campaign that has not finished (§6, V-ct sample; §13.3 says its HTTP
 * status is unknown). The client recognises it by text so that `campaignReport` can return
 * `{ completed: false }` instead of throwing.
 */
export const REPORT_NOT_COMPLETED_ERROR = "This target hasn't been completed";

export function isReportNotCompleted(errorText: string): boolean {
  return errorText.trim().toLowerCase().startsWith(REPORT_NOT_COMPLETED_ERROR.toLowerCase());
}

/**
 * The 429 body is unverified (§9.1, §13.6). The client treats HTTP 429, or a failure envelope
 * with `code: 429`, as "too many concurrent requests" whatever the text says.
 */
export function isRateLimited(httpStatus: number, code: number | null): boolean {
  return httpStatus === 429 || code === 429;
}

/**
 * Identities per External Trigger call (§7, §13.4): undocumented; real scripts batch 1,000, the
 * same limit as the identity sends (§3, two third-party sources agreeing).
 */
export const MAX_IDENTITIES_PER_SEND = 1000;
export const MAX_IDENTITIES_PER_EXTERNAL_TRIGGER = 1000;

/**
 * Response bodies of `send/externaltrigger.json` and `targets/trigger.json` are unverified
 * (§13.4, §13.5): the client only requires `status: "success"` and keeps `message` if present.
 */
export function optionalMessage(body: Record<string, unknown>): string | undefined {
  return typeof body.message === 'string' ? body.message : undefined;
}

// ---- What the sandbox emulator refuses where the contract leaves a choice (request-rules.ts) ----

/**
 * Push platforms a `devices` list may name (§2.2): `android` and `ios`, both seen on a live
 * account. The contract also lists `windows` as legacy, with no live evidence; the YAML schema
 * does not accept it, and the emulator refuses it too so that validate and the emulator agree.
 */
export const PUSH_DEVICES = ['android', 'ios'] as const;

/**
 * A push with no `devices` may reach Android, so without a channel it is refused with code 9
 * (§1.4: "With no `devices`, Android is in"), before the missing `devices` itself is reported.
 */
export const ANDROID_WITHOUT_DEVICES = true;

/**
 * A request without `Content-Type: application/json` (§1.2, "required on every request"): the
 * contract gives no answer for it; the emulator answers 400 with this text (prefixed as its own).
 */
export const CONTENT_TYPE_TEXT = 'Content-Type: application/json is required on every request (clevertap-api.md §1.2)';

/**
 * The top-level request fields the contract lists, per endpoint, with the section that lists them.
 * Fields listed from third-party sources only (`async_estimate`, `users_limit_per_run`, the channel
 * extras of §2.2) count as listed: the contract names them, so the emulator accepts them. `skip_to`
 * is named only to say there is no evidence of it (§2.2, §13.9), so it is not listed. The identity
 * sends list only their own table (§3): create-campaign fields sent there are unverified (§3).
 * `estimate_only` is the client's own switch on create (§2.7).
 */
const CREATE_FIELDS = [
  'name', 'target_mode', 'provider_nick_name', 'provider_group_nickname', 'where', 'segment', 'content', 'devices', 'when',
  'estimate_only', 'skip_estimate', 'async_estimate', 'respect_frequency_caps', 'respect_throttle', 'labels', 'conversion_goal',
  'ttl', 'time_to_live', 'wzrk_cid', 'wzrk_bc', 'wzrk_bi', 'wzrk_acts', 'system_control_group_include', 'control_group',
  'send_to_all_devices', 'users_limit_overall', 'users_limit_per_run', 'upper_cap_for_target_segment', 'tag_group',
  'webhook_endpoint_name', 'webhook_fields', 'webhook_key_value', 'subscription_groups', 'send_email_to_opted_out_users',
  'draft', 'dnd', 'template_type', 'orientation', 'badge_id', 'badge_icon', 'pa_webhook_name',
] as const;

const IDENTITY_SEND_FIELDS = [
  'to', 'content', 'tag_group', 'respect_frequency_caps', 'provider_nick_name', 'campaign_id',
  'wzrk_cid', 'badge_id', 'badge_icon', 'mutable-content', 'notification_sent', 'message_id',
] as const;

export const LISTED_FIELDS: Record<string, { section: string; fields: readonly string[] }> = {
  '/1/targets/create.json': { section: '§2.2', fields: CREATE_FIELDS },
  '/1/targets/list.json': { section: '§4', fields: ['from', 'to'] },
  '/1/targets/stop.json': { section: '§5', fields: ['id'] },
  '/1/targets/result.json': { section: '§6', fields: ['id'] },
  '/1/send/push.json': { section: '§3', fields: IDENTITY_SEND_FIELDS },
  '/1/send/webpush.json': { section: '§3', fields: IDENTITY_SEND_FIELDS },
  '/1/send/email.json': { section: '§3', fields: IDENTITY_SEND_FIELDS },
  '/1/send/sms.json': { section: '§3', fields: IDENTITY_SEND_FIELDS },
  '/1/send/whatsapp.json': { section: '§3', fields: IDENTITY_SEND_FIELDS },
  '/1/send/externaltrigger.json': { section: '§7', fields: ['to', 'campaign_id', 'ExternalTrigger'] },
  '/2/send/externaltrigger.json': { section: '§7', fields: ['to', 'campaign_id_list', 'ExternalTrigger'] },
  '/1/targets/trigger.json': { section: '§8.2', fields: ['business_event', 'name', 'properties', 'c-by', 'when'] },
};
