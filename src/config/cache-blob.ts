/**
 * How one cached result is stored. JSON when JSON gives the value back exactly (the usual case:
 * JSON.parse is about twice as fast as v8.deserialize on these objects), v8 serialization when it
 * would not (Infinity, NaN, -0 or undefined somewhere in a spec or diagnostic).
 *
 * A value with `resources` (a checked file) keeps its resources' specs apart, after the rest: the
 * specs are two thirds of a checked file, and a plan whose hashes all stand (the first plan after an
 * apply) needs every resource's address, kind and source but the specs of none or few of them.
 * fromBlobDeferringSpecs reads the rest and decodes a blob's specs when one of them is first read.
 * A resource read back has its `spec` last among its keys (no reader depends on the order of keys,
 * and adding it last keeps 10,000 resources in one fast V8 shape: see deferredSpec).
 */
import { deserialize, serialize } from 'node:v8';

/** First byte of a JSON blob; a v8 blob starts with its version tag (0xff). */
const JSON_TAG = 0x4a; // 'J'
/** First byte of a JSON blob whose resources' specs follow the rest: `S` rest `\n` specs. */
const SPLIT_TAG = 0x53; // 'S'

export function toBlob(value: unknown): Uint8Array {
  const blob = blobText(value);
  return typeof blob === 'string' ? Buffer.from(blob, 'utf8') : blob;
}

/**
 * The blob as text (its bytes are that text in UTF-8) when it is JSON, else its bytes: for a
 * writer that encodes text straight into its own buffer (../project-index/persist.ts).
 */
export function blobText(value: unknown): string | Uint8Array {
  if (!isKnownJsonExact(value) && !jsonExact(value)) return serialize(value);
  const resources = resourcesOf(value);
  if (!resources) return 'J' + JSON.stringify(value);
  // JSON.stringify writes no raw newline (one inside a string is escaped): the first one ends the rest.
  const rest = { ...(value as object), resources: resources.map(({ spec: _spec, ...r }) => r) };
  return 'S' + JSON.stringify(rest) + '\n' + JSON.stringify(resources.map((r) => r.spec));
}

/** The value back; undefined when the blob does not decode (the caller treats that as a miss). */
export function fromBlob<T>(blob: Uint8Array): T | undefined {
  try {
    if (blob[0] === JSON_TAG) return JSON.parse(text(blob, 1, blob.byteLength)) as T;
    if (blob[0] === SPLIT_TAG) {
      const split = splitAt(blob);
      const value = JSON.parse(text(blob, 1, split)) as { resources: Record<string, unknown>[] };
      const specs = parseSpecs(blob, split, value.resources.length);
      value.resources.forEach((r, i) => (r.spec = specs[i]));
      return value as T;
    }
    return deserialize(blob) as T;
  } catch {
    return undefined;
  }
}

/**
 * The value back, as fromBlob, except that its resources' specs are decoded only when one is first
 * read (all of the blob's at once, then each `spec` is a plain property again). Pure work on bytes
 * in memory: no file is read. Undefined when the rest does not decode; specs that do not decode
 * throw when read (the caller checked the blob's bytes: see ../project-index/persist.ts).
 */
export function fromBlobDeferringSpecs<T>(blob: Uint8Array): T | undefined {
  if (blob[0] !== SPLIT_TAG) return fromBlob<T>(blob);
  let value: { resources?: unknown };
  let split: number;
  try {
    split = splitAt(blob);
    value = JSON.parse(text(blob, 1, split)) as { resources?: unknown };
  } catch {
    return undefined;
  }
  if (!Array.isArray(value.resources)) return undefined;
  const resources = value.resources as Record<PropertyKey, unknown>[];
  const file: DeferredFile = { blob, split, count: resources.length };
  for (let index = 0; index < resources.length; index++) {
    const r = resources[index]!;
    Object.defineProperty(r, 'spec', DEFERRED_SPEC);
    // Not enumerable: no copy, JSON, structured clone or deep equality sees it.
    Object.defineProperty(r, DEFERRED, { value: { file, index } satisfies Deferred });
  }
  return value as T;
}

/** Where a resource's spec is: its blob (whose specs are decoded once, for all of its resources) and its place there. */
interface Deferred {
  file: DeferredFile;
  index: number;
}
interface DeferredFile {
  blob: Uint8Array;
  split: number;
  count: number;
  specs?: unknown[];
}

const DEFERRED = Symbol('deferred spec');

/**
 * One getter and setter for every deferred spec, found through a hidden field, added after the
 * other keys: resources made this way share one shape. An accessor of each resource's own, or a
 * data property turned into one, would leave 10,000 objects in V8's slow dictionary mode.
 */
function deferredSpec(this: Record<PropertyKey, unknown>): unknown {
  const { file, index } = this[DEFERRED] as Deferred;
  const spec = (file.specs ??= parseSpecs(file.blob, file.split, file.count))[index];
  settle(this, spec);
  return spec;
}

function replaceSpec(this: Record<PropertyKey, unknown>, spec: unknown): void {
  settle(this, spec);
}

const DEFERRED_SPEC: PropertyDescriptor = { get: deferredSpec, set: replaceSpec, enumerable: true, configurable: true };

/** The spec as a plain property again (a frozen resource keeps the accessor, which reads the decoded specs). */
function settle(target: Record<string, unknown>, spec: unknown): void {
  Reflect.defineProperty(target, 'spec', { value: spec, writable: true, enumerable: true, configurable: true });
}

function splitAt(blob: Uint8Array): number {
  const at = asBuffer(blob).indexOf(0x0a);
  if (at < 0) throw new Error('a split cache blob without its specs');
  return at;
}

function parseSpecs(blob: Uint8Array, split: number, count: number): unknown[] {
  const specs = JSON.parse(text(blob, split + 1, blob.byteLength)) as unknown;
  if (!Array.isArray(specs) || specs.length !== count) throw new Error('a split cache blob whose specs do not match its resources');
  return specs;
}

function text(blob: Uint8Array, from: number, to: number): string {
  return asBuffer(blob).toString('utf8', from, to);
}

/** A Buffer over the blob's bytes (one read from the index file is one already: no view is made). */
function asBuffer(blob: Uint8Array): Buffer {
  return Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
}

/** The resources of a checked file (plain objects, each with its own spec), else undefined. */
function resourcesOf(value: unknown): Record<string, unknown>[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const resources = (value as { resources?: unknown }).resources;
  if (!Array.isArray(resources) || resources.length === 0) return undefined;
  return resources.every((r) => r && typeof r === 'object' && !Array.isArray(r) && Object.hasOwn(r, 'spec')) ? (resources as Record<string, unknown>[]) : undefined;
}

/**
 * Values their maker found JSON-exact while building them (the quick lane's checks, whose every
 * value its guard walks: ./quick-parse.ts), so toBlob need not walk them again (20-40 ms of a cold
 * load of 10,000 files, in process). Checked results are never changed once made; one marked stays JSON-exact.
 */
const knownExact = new WeakSet<object>();

/** Marks `value` (never to be changed after) as one JSON gives back as it is; returns it. */
export function knownJsonExact<T extends object>(value: T): T {
  knownExact.add(value);
  return value;
}

function isKnownJsonExact(value: unknown): boolean {
  return typeof value === 'object' && value !== null && knownExact.has(value);
}

/** True when JSON.parse(JSON.stringify(value)) is a deep copy of value. */
export function jsonExact(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonExact(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      if (Object.getOwnPropertySymbols(value).length > 0) return false;
      for (const key of Object.getOwnPropertyNames(value)) {
        const d = Object.getOwnPropertyDescriptor(value, key)!;
        if (!d.enumerable || !('value' in d) || d.value === undefined || !jsonExact(d.value)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
