/** A schedule that sends to a fixed list may list at most 1000 identifiers (all `to` lists together). */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export const MAX_STATIC_IDENTITIES = 1000;

export function staticIdentities(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ofKind(ctx, 'Schedule')) {
    for (const field of ['message', 'trigger'] as const) {
      const send = s.spec[field];
      if (!isRecord(send) || !isRecord(send.to)) continue;
      const count = Object.values(send.to).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
      if (count > MAX_STATIC_IDENTITIES) {
        out.push(diagnostic('rule.too-many-identities', { count, limit: MAX_STATIC_IDENTITIES }, placeOf(ctx, s, ['spec', field, 'to'], 'key')));
      }
    }
  }
  return out;
}
