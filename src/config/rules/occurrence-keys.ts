/** Each bulletin occurrence is raised once per `key`, so keys must be unique within a bulletin. */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function duplicateOccurrenceKeys(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const b of ofKind(ctx, 'Bulletin')) {
    const occurrences = b.spec.occurrences;
    if (!Array.isArray(occurrences)) continue;
    const seen = new Map<string, number>();
    occurrences.forEach((o, i) => {
      if (!isRecord(o) || typeof o.key !== 'string') return;
      const first = seen.get(o.key);
      if (first === undefined) {
        seen.set(o.key, i);
        return;
      }
      const there = placeOf(ctx, b, ['spec', 'occurrences', first, 'key']);
      out.push(
        diagnostic('rule.duplicate-occurrence', { key: o.key, firstLine: there.line ?? 0 }, {
          ...placeOf(ctx, b, ['spec', 'occurrences', i, 'key']),
          related: [{ file: there.file!, line: there.line!, column: there.column!, message: `key ${o.key} first used here` }],
        }),
      );
    });
  }
  return out;
}
