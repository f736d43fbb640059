/**
 * Offsets, lines and columns inside one template string, and the map from the Handlebars source
 * (Liquid replaced by helper calls of another length) back to the author's string.
 */

export interface Replacement {
  /** Range in the original string. */
  oStart: number;
  oEnd: number;
  /** Range of the stand-in in the transformed string. */
  tStart: number;
  tEnd: number;
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** 1-based line, 1-based column of an offset. */
export function lineColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

export class PositionMap {
  private readonly tStarts: number[];
  readonly oStarts: number[];

  constructor(
    readonly original: string,
    readonly transformed: string,
    private readonly replacements: readonly Replacement[],
  ) {
    this.tStarts = lineStarts(transformed);
    this.oStarts = lineStarts(original);
  }

  /** Handlebars positions (1-based line, 0-based column) in the transformed source -> original offset. */
  fromHandlebars(line: number, column: number): number {
    const lineStart = this.tStarts[Math.min(Math.max(line - 1, 0), this.tStarts.length - 1)];
    return this.toOriginal(Math.min(lineStart + Math.max(column, 0), this.transformed.length));
  }

  toOriginal(tOffset: number): number {
    let delta = 0;
    for (const r of this.replacements) {
      if (tOffset < r.tStart) break;
      if (tOffset < r.tEnd) return r.oStart;
      delta = r.oEnd - r.tEnd;
    }
    return tOffset + delta;
  }

  lineColumn(offset: number): { line: number; column: number } {
    return lineColumn(this.oStarts, offset);
  }
}
