/** Small helpers shared by the rules. */
import type { At } from '../../diagnostics/catalogue.js';
import type { Resource } from '../../model/resource.js';
import type { Range } from '../../diagnostics/diagnostic.js';
import type { RuleContext } from './index.js';
import { isRecord } from '../../model/record.js';

/** A diagnostic location for a node of a resource (falls back to the resource's start). */
export function placeOf(ctx: RuleContext, r: Resource, path: (string | number)[], part: 'value' | 'key' = 'value'): At {
  const range = ctx.locateIn(r, path, part);
  return range ? { ...rangeAt(range), address: r.address } : startOf(r);
}

export function rangeAt(range: Range): At {
  return { file: range.file, line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn };
}

export function startOf(r: Resource): At {
  const { file, line, column } = r.source;
  return { file, line, column, endLine: line, endColumn: column + 1, address: r.address };
}

export function ofKind<K extends Resource['kind']>(ctx: RuleContext, kind: K): Resource[] {
  return ctx.resources.filter((r) => r.kind === kind);
}

export { isRecord };

/**
 * Every campaign-shaped spec with the path that leads to it: a Campaign's spec, and the
 * `campaign` of a Schedule (which has no `when`).
 */
export function campaignSpecs(ctx: RuleContext): { resource: Resource; path: string[]; spec: Record<string, unknown> }[] {
  const out: { resource: Resource; path: string[]; spec: Record<string, unknown> }[] = [];
  for (const r of ctx.resources) {
    if (r.kind === 'Campaign') out.push({ resource: r, path: ['spec'], spec: r.spec });
    else if (r.kind === 'Schedule' && isRecord(r.spec.campaign)) {
      out.push({ resource: r, path: ['spec', 'campaign'], spec: r.spec.campaign });
    }
  }
  return out;
}
