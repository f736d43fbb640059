/**
 * A Campaign (or a Schedule's campaign) pushing to Android needs a notification channel id:
 * CleverTap refuses the create with code 9 otherwise (clevertap-api.md section 2.2, seen on the
 * wire). Catching it here turns a failed apply into a located error before anything is sent.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { campaignSpecs, isRecord, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}

/** `wzrk_cid` where CleverTap reads it: top level, or `content.platform_specific.android`. */
function channelIn(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if (nonEmpty(body.wzrk_cid)) return true;
  const content = isRecord(body.content) ? body.content : undefined;
  const ps = content && isRecord(content.platform_specific) ? content.platform_specific : undefined;
  const android = ps && isRecord(ps.android) ? ps.android : undefined;
  return android !== undefined && nonEmpty(android.wzrk_cid);
}

export function androidChannel(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { resource, path, spec } of campaignSpecs(ctx)) {
    const targetsAndroid = spec.target_mode === 'push' && Array.isArray(spec.devices) && spec.devices.includes('android');
    if (!targetsAndroid || channelIn(spec) || channelIn(spec.wire)) continue;
    const where = path.length > 1 ? `the campaign of ${resource.address}` : resource.address;
    out.push(diagnostic('rule.android-channel-missing', { where }, placeOf(ctx, resource, [...path, 'devices'], 'key')));
  }
  return out;
}
