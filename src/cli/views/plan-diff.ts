/**
 * The lines under a change in the text and markdown plans: the field diff, and the rendered text
 * of a campaign's request old against new (`--- content.body (as applied)` / `+++ ... (now)`,
 * unified-diff hunks). A value is only ever shortened at its end, with an ellipsis; a path, a key
 * or a name is never cut: an added or removed object (a new bulletin occurrence) is spelled out
 * one field per line.
 */
import type { Canonical } from '../../plan/canonical.js';
import type { FieldDiff, PlanChange, RenderedDiff } from '../../plan/types.js';

export type DiffSign = '~' | '+' | '-' | ' ' | '@';

export interface DiffLine {
  sign: DiffSign;
  text: string;
}

/** One change's field diff, objects and lists spelled out leaf by leaf. */
export function fieldDiffLines(diff: readonly FieldDiff[], max: number): DiffLine[] {
  return diff.flatMap((d) => {
    const hasBefore = 'before' in d;
    const hasAfter = 'after' in d;
    if (hasBefore && hasAfter && isScalar(d.before!) && isScalar(d.after!)) {
      return [{ sign: '~' as const, text: `${d.path}: ${shortValue(d.before!, max)} -> ${shortValue(d.after!, max)}` }];
    }
    const lines: DiffLine[] = [];
    if (hasBefore) for (const [path, v] of leaves(d.before!, d.path)) lines.push({ sign: '-', text: `${path}: ${shortValue(v, max)}` });
    if (hasAfter) for (const [path, v] of leaves(d.after!, d.path)) lines.push({ sign: '+', text: `${path}: ${shortValue(v, max)}` });
    return lines;
  });
}

/** The rendered-text diffs of a change, each under its `---`/`+++` header, with "N more lines". */
export function renderedDiffLines(change: Pick<PlanChange, 'renderedDiff'>): DiffLine[] {
  return (change.renderedDiff ?? []).flatMap((r) => renderedLines(r));
}

function renderedLines(r: RenderedDiff): DiffLine[] {
  if (r.diff === null) {
    return [{ sign: '@', text: `(${r.field}: the rendered text as applied is not in state, as it was applied before campaignctl recorded it; the next apply records it)` }];
  }
  const lines: DiffLine[] = [
    { sign: '@', text: `--- ${r.field} (as applied)` },
    { sign: '@', text: `+++ ${r.field} (rendered now)` },
    ...r.diff.lines.map((l) => ({ sign: l.sign, text: l.sign === '@' ? l.text : `${l.sign}${l.text}` })),
  ];
  if (r.diff.more > 0) lines.push({ sign: '@', text: `... ${r.diff.more} more line${r.diff.more === 1 ? '' : 's'}` });
  return lines;
}

function isScalar(v: Canonical): boolean {
  return v === null || typeof v !== 'object';
}

/** [path, scalar] of every leaf; an empty object or list is a leaf of its own. */
function leaves(v: Canonical, path: string, out: [string, Canonical][] = []): [string, Canonical][] {
  if (Array.isArray(v) && v.length > 0) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) leaves(x, /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, out);
  } else out.push([path, v]);
  return out;
}

/** A scalar as JSON; a long string keeps its start and ends in an ellipsis inside the quotes. */
export function shortValue(v: Canonical, max: number): string {
  const text = JSON.stringify(v);
  if (text.length <= max || typeof v !== 'string') return text;
  let keep = v.slice(0, Math.max(1, max - 3));
  while (JSON.stringify(keep).length > max - 2 && keep.length > 1) keep = keep.slice(0, -1);
  return `${JSON.stringify(keep).slice(0, -1)}…"`;
}
