/**
 * A Campaign (or a Schedule's campaign) pushing to Android, or a push Message (identity sends
 * reach Android devices too), needs a notification channel id:
 * CleverTap refuses the create with code 9 otherwise (clevertap-api.md section 2.2, seen on the
 * wire). Catching it here turns a failed apply into a located error before anything is sent. The
 * check is the emulator's own (src/clevertap/request-rules.ts), so the two agree.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { androidChannelRefusal, hasAndroidChannel } from '../../clevertap/request-rules.js';
import { campaignSpecs, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function androidChannel(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { resource, path, spec } of campaignSpecs(ctx)) {
    if (spec.target_mode !== 'push' || hasAndroidChannel(spec.wire) || !androidChannelRefusal(spec, spec.devices)) continue;
    const where = path.length > 1 ? `the campaign of ${resource.address}` : resource.address;
    out.push(diagnostic('rule.android-channel-missing', { where }, placeOf(ctx, resource, [...path, 'devices'], 'key')));
  }
  // An identity push has no `devices`: it reaches every device of each user, Android included.
  for (const m of ofKind(ctx, 'Message')) {
    if (m.spec.target_mode !== 'push' || hasAndroidChannel(m.spec.wire) || !androidChannelRefusal(m.spec, undefined)) continue;
    out.push(diagnostic('rule.android-channel-missing', { where: m.address }, placeOf(ctx, m, ['spec', 'target_mode'])));
  }
  return out;
}
