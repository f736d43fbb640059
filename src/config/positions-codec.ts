/**
 * A PositionIndex as one short string, for the project index and for results coming back from worker
 * threads. A 10,000-file project has ~400,000 nodes: as a Map of tuples that is 20+ MB to clone or
 * deserialize on every run, while `locate` only ever needs the few files a diagnostic points into.
 * So positions travel encoded (~1 KB a file) and are decoded on first use.
 *
 * Encoding, per entry in the index's own order (the parser's depth-first order, so a pointer
 * shares most of its text with the previous one):
 *   flags,suffixLength,line,column,endLine-line,endColumn[,keyLine-line,keyColumn,keyEndLine-keyLine,keyEndColumn]:suffix
 * numbers in decimal; flags = sharedPrefixLength * 2 + (has key span ? 1 : 0); the pointer is the
 * first sharedPrefixLength characters of the previous pointer followed by `suffix` (any characters:
 * its length is given, nothing in it is parsed).
 */
import type { NodeSpans, PositionIndex, Span } from './positions.js';

export function encodePositions(index: PositionIndex): string {
  // Plain concatenation of decimal numbers: V8's fastest number-to-string path, no arrays.
  let out = '';
  let previous = '';
  for (const [pointer, spans] of index) {
    const shared = commonPrefix(previous, pointer);
    const v = spans.value;
    const k = spans.key;
    out += (shared * 2 + (k ? 1 : 0)) + ',' + (pointer.length - shared) + ',' + v[0] + ',' + v[1] + ',' + (v[2] - v[0]) + ',' + v[3];
    if (k) out += ',' + (k[0] - v[0]) + ',' + k[1] + ',' + (k[2] - k[0]) + ',' + k[3];
    out += ':' + (shared === 0 ? pointer : pointer.slice(shared));
    previous = pointer;
  }
  return out;
}

export function decodePositions(encoded: string): PositionIndex {
  const index: PositionIndex = new Map();
  const n = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let previous = '';
  let i = 0;
  while (i < encoded.length) {
    // The numbers, read by hand: split/map/parseInt per entry dominated decoding.
    let count = 0;
    for (;;) {
      let negative = false;
      let value = 0;
      let digits = 0;
      if (encoded.charCodeAt(i) === 45 /* - */) {
        negative = true;
        i++;
      }
      for (let c = encoded.charCodeAt(i); c >= 48 && c <= 57; c = encoded.charCodeAt(++i)) {
        value = value * 10 + (c - 48);
        digits++;
      }
      if (digits === 0 || count === 10) throw new Error('malformed position encoding');
      n[count++] = negative ? -value : value;
      const sep = encoded.charCodeAt(i++);
      if (sep === 58 /* : */) break;
      if (sep !== 44 /* , */) throw new Error('malformed position encoding');
    }
    const hasKey = (n[0]! & 1) === 1;
    if (count !== (hasKey ? 10 : 6) || i + n[1]! > encoded.length) throw new Error('malformed position encoding');
    const pointer = previous.slice(0, n[0]! >> 1) + encoded.slice(i, i + n[1]!);
    const value: Span = [n[2]!, n[3]!, n[2]! + n[4]!, n[5]!];
    const spans: NodeSpans = hasKey ? { value, key: [n[2]! + n[6]!, n[7]!, n[2]! + n[6]! + n[8]!, n[9]!] } : { value };
    index.set(pointer, spans);
    previous = pointer;
    i += n[1]!;
  }
  return index;
}

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
