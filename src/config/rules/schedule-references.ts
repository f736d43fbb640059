/** A Schedule's `message.name` / `trigger.name` must name a Message / ExternalTrigger of this project. */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Kind } from '../../model/resource.js';
import { closest } from '../../diagnostics/suggest.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

const REFERENCES: { field: 'message' | 'trigger'; kind: Kind; label: string }[] = [
  { field: 'message', kind: 'Message', label: 'Message' },
  { field: 'trigger', kind: 'ExternalTrigger', label: 'ExternalTrigger' },
];

export function scheduleReferences(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ref of REFERENCES) {
    const known = ofKind(ctx, ref.kind).map((r) => r.name);
    const names = new Set(known);
    for (const schedule of ofKind(ctx, 'Schedule')) {
      const send = schedule.spec[ref.field];
      if (!isRecord(send) || typeof send.name !== 'string' || names.has(send.name)) continue;
      out.push(
        diagnostic(
          'rule.unknown-reference',
          { kind: ref.label, name: send.name, known, suggestion: closest(send.name, known) },
          placeOf(ctx, schedule, ['spec', ref.field, 'name']),
        ),
      );
    }
  }
  return out;
}
