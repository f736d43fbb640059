/**
 * A line diff of two texts for reviewers: unified-diff hunks (`@@ -3,4 +3,5 @@`) with a few lines
 * of context, capped so one long email body can not bury the rest of a plan. Used for rendered
 * request bodies, whose change the spec diff can only show as a changed hash (a `body_file`, a
 * partial). Pure.
 */

export interface TextDiffLine {
  /** ` ` context, `-` only before, `+` only after, `@` a hunk header. */
  sign: ' ' | '-' | '+' | '@';
  text: string;
}

export interface TextDiff {
  lines: TextDiffLine[];
  /** Lines of the diff left out past the cap (shown as "N more lines"). */
  more: number;
}

export interface TextDiffOptions {
  /** Unchanged lines shown around each change. */
  context?: number;
  /** At most this many diff lines (headers included). */
  maxLines?: number;
}

/** Past this many cells the middle is shown as removed-then-added instead of matched line by line. */
const MAX_MATCH_CELLS = 4_000_000;

export function diffText(before: string, after: string, opts: TextDiffOptions = {}): TextDiff {
  const context = opts.context ?? 3;
  const maxLines = opts.maxLines ?? 40;
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineOps(a, b);
  const all = hunks(ops, context);
  return all.length <= maxLines ? { lines: all, more: 0 } : { lines: all.slice(0, maxLines), more: all.length - maxLines };
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

type Op = { sign: ' ' | '-' | '+'; text: string; aLine: number; bLine: number };

/** Every line of both texts in order, each kept, removed or added (a longest common subsequence). */
function lineOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  for (let i = 0; i < start; i++) ops.push({ sign: ' ', text: a[i]!, aLine: i, bLine: i });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  for (const op of matchMiddle(midA, midB)) ops.push({ ...op, aLine: op.aLine + start, bLine: op.bLine + start });
  for (let i = 0; endA + i < a.length; i++) ops.push({ sign: ' ', text: a[endA + i]!, aLine: endA + i, bLine: endB + i });
  return ops;
}

function matchMiddle(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_MATCH_CELLS) {
    return [...a.map((text, i) => ({ sign: '-' as const, text, aLine: i, bLine: 0 })), ...b.map((text, j) => ({ sign: '+' as const, text, aLine: n, bLine: j }))];
  }
  // lcs[i][j]: longest common subsequence of a[i..] and b[j..], one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ sign: ' ', text: a[i]!, aLine: i++, bLine: j++ });
    } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      // Removed lines before added ones within a changed run, as unified diffs read.
      ops.push({ sign: '-', text: a[i]!, aLine: i++, bLine: j });
    } else {
      ops.push({ sign: '+', text: b[j]!, aLine: i, bLine: j++ });
    }
  }
  return ops;
}

/** The changed lines with `context` lines around them, grouped under `@@ -a,n +b,m @@` headers. */
function hunks(ops: Op[], context: number): TextDiffLine[] {
  const changed = ops.map((o, k) => (o.sign !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return [];
  const out: TextDiffLine[] = [];
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k]! - context);
    let to = Math.min(ops.length - 1, changed[k]! + context);
    while (k + 1 < changed.length && changed[k + 1]! - context <= to + 1) {
      k++;
      to = Math.min(ops.length - 1, changed[k]! + context);
    }
    const part = ops.slice(from, to + 1);
    const aCount = part.filter((o) => o.sign !== '+').length;
    const bCount = part.filter((o) => o.sign !== '-').length;
    const aStart = part[0]!.aLine + (aCount > 0 ? 1 : 0);
    const bStart = part[0]!.bLine + (bCount > 0 ? 1 : 0);
    out.push({ sign: '@', text: `@@ -${aStart},${aCount} +${bStart},${bCount} @@` });
    for (const o of part) out.push({ sign: o.sign, text: o.text });
    k++;
  }
  return out;
}
