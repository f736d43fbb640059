/**
 * What a campaign replace does to the text CleverTap will show people, when the spec diff can only
 * say that a hash moved: a `body_file`'s contents, a partial, a variable. Compares the request
 * `content` recorded at the last apply with the one rendered now, field by field. Pure.
 */
import type { FieldDiff, RenderedDiff } from './types.js';
import { diffText, type TextDiffOptions } from './text-diff.js';

/**
 * `before` is the content state recorded at apply (undefined on rows applied before it was
 * recorded), `after` the content rendered for this plan. A field whose change the spec diff
 * already shows as a plain one-line edit is left out, so nothing is said twice.
 */
export function renderedDiffs(diff: readonly FieldDiff[], before: unknown, after: unknown, opts: TextDiffOptions = {}): RenderedDiff[] {
  if (before === undefined) {
    // Only worth saying when the spec diff shows nothing but hashes for the text.
    return diff.some((d) => d.path.startsWith('$inputs') || d.path.endsWith('body_file')) ? [{ field: 'content', diff: null }] : [];
  }
  const old = textLeaves(before, 'content');
  const now = textLeaves(after, 'content');
  const shownPlainly = new Set(diff.filter(isPlainTextEdit).map((d) => d.path));
  const out: RenderedDiff[] = [];
  for (const field of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(field) ?? '';
    const b = now.get(field) ?? '';
    if (a === b || shownPlainly.has(field)) continue;
    out.push({ field, diff: diffText(a, b, opts) });
  }
  return out;
}

/** A spec edit of one line of plain text on each side (no template): its field diff says it all. */
function isPlainTextEdit(d: FieldDiff): boolean {
  const plain = (v: unknown) => typeof v === 'string' && !v.includes('\n') && !v.includes('{{');
  return plain(d.before) && plain(d.after);
}

/** Every string leaf by its path (`content.platform_specific.ios.deep_link`). */
function textLeaves(value: unknown, path: string, out = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string') out.set(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => textLeaves(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) textLeaves(v, `${path}.${k}`, out);
  return out;
}
