/** Two resources with one address (same kind, same name): reported at the later one, pointing back at the first. */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function duplicateAddress(ctx: RuleContext): Diagnostic[] {
  const first = new Map<string, Resource>();
  const out: Diagnostic[] = [];
  for (const r of ctx.resources) {
    const earlier = first.get(r.address);
    if (!earlier) {
      first.set(r.address, r);
      continue;
    }
    const there = placeOf(ctx, earlier, ['metadata', 'name']);
    out.push(
      diagnostic('rule.duplicate-address', { address: r.address }, {
        ...placeOf(ctx, r, ['metadata', 'name']),
        related: [{ file: there.file!, line: there.line!, column: there.column!, message: `${r.address} is first defined here` }],
      }),
    );
  }
  return out;
}
