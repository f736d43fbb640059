/**
 * How a file's checked result (StoredCheck) is kept in the load cache: the specs apart from the
 * rest, so that a run decodes a spec only when something reads it. A warm plan whose rules and
 * hashes are remembered (./memo.ts) reads almost none, and decoding 10,000 specs, with the
 * garbage that makes, was a large part of its time.
 *
 * Layout (when JSON gives the value back exactly, see ./cache-blob.ts): 'S', uint32 LE length of
 * the head, the head as JSON (the StoredCheck with every resource's spec left out), then the specs
 * as one JSON array in resource order. Otherwise the general form of ./cache-blob.ts (decoded at
 * once).
 */
import type { Resource } from '../model/resource.js';
import { fromBlob, jsonExact, toBlob } from './cache-blob.js';
import type { StoredCheck } from './stored-check.js';

const SPLIT_TAG = 0x53; // 'S'

export function toCheckBlob(check: StoredCheck): Uint8Array {
  if (!jsonExact(check)) return toBlob(check);
  const head = Buffer.from(JSON.stringify({ ...check, resources: check.resources.map(({ spec: _spec, ...rest }) => rest) }), 'utf8');
  const specs = Buffer.from(JSON.stringify(check.resources.map((r) => r.spec)), 'utf8');
  const out = Buffer.allocUnsafe(5 + head.length + specs.length);
  out[0] = SPLIT_TAG;
  out.writeUInt32LE(head.length, 1);
  head.copy(out, 5);
  specs.copy(out, 5 + head.length);
  return out;
}

/**
 * The StoredCheck back, its resources' specs decoded on first read; undefined when the head does
 * not decode (a miss). A spec part that does not decode, found late, is reported as a damaged cache.
 */
export function fromCheckBlob(blob: Uint8Array): StoredCheck | undefined {
  if (blob[0] !== SPLIT_TAG) return fromBlob<StoredCheck>(blob);
  if (blob.byteLength < 5) return undefined;
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const headEnd = 5 + bytes.readUInt32LE(1);
  if (headEnd > bytes.length) return undefined;
  let head: StoredCheck;
  try {
    head = JSON.parse(bytes.toString('utf8', 5, headEnd)) as StoredCheck;
  } catch {
    return undefined;
  }
  if (!Array.isArray(head.resources)) return undefined;
  let specs: Record<string, unknown>[] | undefined;
  const specAt = (i: number): Record<string, unknown> => {
    if (!specs) {
      try {
        specs = JSON.parse(bytes.toString('utf8', headEnd)) as Record<string, unknown>[];
      } catch {
        throw new Error('the load cache is damaged (a spec does not decode): delete .campaignctl/cache and run again');
      }
    }
    return specs[i] ?? {};
  };
  head.resources = head.resources.map((r, i) => withLazySpec(r as Omit<Resource, 'spec'>, () => specAt(i)));
  return head;
}

function withLazySpec(head: Omit<Resource, 'spec'>, read: () => Record<string, unknown>): Resource {
  let spec: Record<string, unknown> | undefined;
  return {
    ...head,
    get spec() {
      spec ??= read();
      return spec;
    },
  };
}
