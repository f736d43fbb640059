/** A Schedule's `timezone` must be an IANA zone this runtime knows (campaignctl.yaml's zones are checked with the config). */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { closest } from '../../diagnostics/suggest.js';
import { isKnownZone, knownZones } from '../calendar.js';
import { ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function timeZones(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ofKind(ctx, 'Schedule')) {
    const zone = s.spec.timezone;
    if (typeof zone !== 'string' || isKnownZone(zone)) continue;
    out.push(
      diagnostic('time.invalid-zone', { zone, suggestion: closest(zone, knownZones()) }, placeOf(ctx, s, ['spec', 'timezone'])),
    );
  }
  return out;
}
