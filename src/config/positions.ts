/**
 * Source positions of the nodes of one YAML document, keyed by JSON pointer (`/spec/where/from`).
 * Plain data (a Map of tuples), so a parsed file can be cached or sent across worker threads.
 */

/** [line, column, endLine, endColumn]: 1-based, end exclusive. */
export type Span = [number, number, number, number];

export interface NodeSpans {
  /** The value node. */
  value: Span;
  /** The key of the pair holding the value, when the value sits in a mapping. */
  key?: Span;
}

export type PositionIndex = Map<string, NodeSpans>;

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) out += '/' + escapeSegment(segment);
  return out;
}

export function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function parentPointer(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}

/**
 * The spans of the node at `pointer`, or of its nearest ancestor that has a position (nodes reached
 * through an alias, or values that do not exist, have none). `exact` says which one it is.
 */
export function lookup(index: PositionIndex, pointer: string): { spans: NodeSpans; exact: boolean } | undefined {
  let p = pointer;
  let exact = true;
  for (;;) {
    const spans = index.get(p);
    if (spans) return { spans, exact };
    if (p === '') return undefined;
    p = parentPointer(p);
    exact = false;
  }
}
