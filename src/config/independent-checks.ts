/**
 * What else is wrong with a document that failed its schema, so that one `validate` reports every
 * independent problem instead of one stage at a time. A resource that fails its schema never
 * reaches the rules, and a mistyped `target_mode` leaves `content` unchecked (its shape depends on
 * the channel). Two findings do not depend on the fix, and are added here:
 *   - `content` (and the rest) checked as if the mistyped channel were the one it is closest to
 *     (the one the did-you-mean hint names); with no close channel, the content waits for the fix;
 *   - impossible calendar dates in `when` and `where` (`from: 20261301`), which no schema fix can
 *     make valid: the rules' own check, run on the document as written.
 * Findings inside a node the schema already flagged are dropped: they wait for its fix.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Kind, Resource } from '../model/resource.js';
import { isRecord } from '../model/record.js';
import { resolveEnvironment } from './environment.js';
import { lookup, pointerOf, type PositionIndex } from './positions.js';
import { instantDates } from './rules/instant-dates.js';
import type { RuleContext } from './rules/index.js';
import { whereDates } from './rules/where-dates.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import type { SchemaSet } from './schemas.js';
import { closest } from '../diagnostics/suggest.js';

const CHANNELS = ['push', 'webpush', 'email', 'sms'];

export function independentProblems(
  file: string,
  kind: Kind,
  value: Record<string, unknown>,
  found: readonly Diagnostic[],
  schemas: SchemaSet,
  place: { positions: PositionIndex; address?: string },
  resource: Resource | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set(found.map(keyOf));
  const add = (d: Diagnostic) => {
    if (seen.has(keyOf(d)) || found.some((f) => inside(d, f))) return;
    seen.add(keyOf(d));
    out.push(d);
  };
  const guessed = withClosestChannel(value);
  if (guessed) for (const d of schemaDiagnostics(kind, guessed, schemas, { file, ...place })) add(d);
  if (resource) for (const d of calendarDates(resource, place.positions)) add(d);
  return out;
}

/** The document with a mistyped `target_mode` (of the spec, or of a Schedule's campaign) replaced by the closest channel. */
function withClosestChannel(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = value.spec;
  if (!isRecord(spec)) return undefined;
  const owner = isRecord(spec.campaign) ? spec.campaign : spec;
  const mode = owner.target_mode;
  if (typeof mode !== 'string' || CHANNELS.includes(mode)) return undefined;
  const channel = closest(mode, CHANNELS);
  if (channel === undefined) return undefined;
  const copy = structuredClone(value) as { spec: Record<string, unknown> };
  const target = isRecord(copy.spec.campaign) ? copy.spec.campaign : copy.spec;
  target.target_mode = channel;
  return copy;
}

/** The rules' impossible-date findings (`time.invalid-date`): they need no environment and no clock. */
function calendarDates(resource: Resource, positions: PositionIndex): Diagnostic[] {
  const ctx: RuleContext = {
    root: '',
    resources: [resource],
    environment: resolveEnvironment('validate', {}, { root: '', cwd: '', environ: {} }),
    partials: {},
    locate: () => undefined,
    locateIn: (_r, nodePath, part = 'value') => {
      const found = lookup(positions, pointerOf(nodePath));
      if (!found) return undefined;
      const s = part === 'key' && found.exact && found.spans.key ? found.spans.key : found.spans.value;
      return { file: resource.source.file, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] };
    },
    now: new Date(0),
  };
  return [...instantDates(ctx), ...whereDates(ctx)].filter((d) => d.code === 'time.invalid-date');
}

function keyOf(d: Diagnostic): string {
  return `${d.code}\0${d.line}:${d.column}\0${d.message}`;
}

/** `d` starts inside the span of `outer` (a node the schema flagged). */
function inside(d: Diagnostic, outer: Diagnostic): boolean {
  if (d.line === undefined || outer.line === undefined || outer.endLine === undefined) return false;
  const at = [d.line, d.column ?? 0];
  const after = (a: number[], b: number[]) => a[0]! > b[0]! || (a[0] === b[0] && a[1]! >= b[1]!);
  return after(at, [outer.line, outer.column ?? 0]) && !after(at, [outer.endLine, outer.endColumn ?? 0]);
}
