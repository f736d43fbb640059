/**
 * CleverTap's business event limits on each occurrence's properties. Keys (at most 120
 * characters) and string-only values are enforced by the bulletin schema (propertyNames,
 * additionalProperties); what a schema can not say is the 512-byte limit, since maxLength counts
 * characters and `é` is two bytes in UTF-8.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export const MAX_VALUE_BYTES = 512;

export function bulletinProperties(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const b of ofKind(ctx, 'Bulletin')) {
    const occurrences = b.spec.occurrences;
    if (!Array.isArray(occurrences)) continue;
    occurrences.forEach((o, i) => {
      if (!isRecord(o) || !isRecord(o.properties)) return;
      for (const [key, value] of Object.entries(o.properties)) {
        if (typeof value !== 'string') continue;
        const bytes = Buffer.byteLength(value, 'utf8');
        if (bytes > MAX_VALUE_BYTES) {
          const place = placeOf(ctx, b, ['spec', 'occurrences', i, 'properties', key]);
          out.push(diagnostic('bulletin.value-too-long', { key, bytes, limit: MAX_VALUE_BYTES }, place));
        }
      }
    });
  }
  return out;
}
