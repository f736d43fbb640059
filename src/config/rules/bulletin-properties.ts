/**
 * CleverTap's business event limits, checked on each occurrence's properties: keys at most 120
 * characters, values strings of at most 512 bytes (UTF-8; the schema can only count characters),
 * and on the property names the bulletin's `properties` schema declares.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { typeOf } from '../schema-diagnostics.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export const MAX_KEY_CHARS = 120;
export const MAX_VALUE_BYTES = 512;

export function bulletinProperties(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const b of ofKind(ctx, 'Bulletin')) {
    const declared = isRecord(b.spec.properties) ? b.spec.properties.properties : undefined;
    if (isRecord(declared)) checkKeys(ctx, b, Object.keys(declared), ['spec', 'properties', 'properties'], out);
    const occurrences = b.spec.occurrences;
    if (!Array.isArray(occurrences)) continue;
    occurrences.forEach((o, i) => {
      if (!isRecord(o) || !isRecord(o.properties)) return;
      const path = ['spec', 'occurrences', i, 'properties'];
      checkKeys(ctx, b, Object.keys(o.properties), path, out);
      for (const [key, value] of Object.entries(o.properties)) {
        if (typeof value !== 'string') {
          out.push(diagnostic('bulletin.value-not-string', { key, actual: typeOf(value) }, placeOf(ctx, b, [...path, key])));
          continue;
        }
        const bytes = Buffer.byteLength(value, 'utf8');
        if (bytes > MAX_VALUE_BYTES) {
          out.push(diagnostic('bulletin.value-too-long', { key, bytes, limit: MAX_VALUE_BYTES }, placeOf(ctx, b, [...path, key])));
        }
      }
    });
  }
  return out;
}

function checkKeys(ctx: RuleContext, b: Resource, keys: string[], path: (string | number)[], out: Diagnostic[]): void {
  for (const key of keys) {
    if (key.length <= MAX_KEY_CHARS) continue;
    // Point at the key itself, not its value.
    const at = placeOf(ctx, b, [...path, key], 'key');
    out.push(diagnostic('bulletin.key-too-long', { key, length: key.length, limit: MAX_KEY_CHARS }, at));
  }
}
