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
