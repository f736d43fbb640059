/**
 * The journal marker inside a CleverTap campaign name. CleverTap has no idempotency key and gives
 * back only id, name, status and start time (clevertap-api.md section 11), so the name is the one
 * place a create can be recognised again: `<title> [cc:<marker>]`, the marker being the journal
 * row's id. ONE function builds the name and ONE parses it; read-back and tests use only these.
 */
import { MARKER_PATTERN } from '../state/ids.js';
import type { Resource } from '../model/resource.js';

/** clevertap-api.md section 11: no documented limit; keep names ASCII-safe and at most 100 characters. */
export const MAX_REMOTE_NAME_LENGTH = 100;

const SUFFIX = (marker: string) => ` [cc:${marker}]`;
const TRAILING_MARKER = /\s\[cc:([0-9a-z]{10})\]$/;

/** `Winter sale push [cc:0a1b2c3d4e]`; a long title is cut (with `...`) so the marker always fits. */
export function remoteCampaignName(title: string, marker: string): string {
  if (!MARKER_PATTERN.test(marker)) throw new RangeError(`not a journal marker: ${JSON.stringify(marker)}`);
  const suffix = SUFFIX(marker);
  const room = MAX_REMOTE_NAME_LENGTH - suffix.length;
  const clean = title.replace(/\s+/g, ' ').trim() || 'campaign';
  const shown = clean.length <= room ? clean : clean.slice(0, room - 3).trimEnd() + '...';
  return shown + suffix;
}

/** The marker a campaign name carries, or null when it is not one campaignctl made. */
export function markerOf(remoteName: string): string | null {
  const m = TRAILING_MARKER.exec(remoteName);
  return m && MARKER_PATTERN.test(m[1]!) ? m[1]! : null;
}

/** What a campaign is called on CleverTap before its marker: `spec.title`, else the resource name. */
export function campaignTitle(resource: Pick<Resource, 'name' | 'spec'>): string {
  const title = (resource.spec as { title?: unknown } | null)?.title;
  return typeof title === 'string' && title.trim() !== '' ? title : resource.name;
}
