/**
 * The canonical form of a spec: what the planner compares and hashes. Only values matter, so YAML
 * formatting, key order and comments can never cause a change.
 *
 * Rules: object keys sorted (code-unit order, locale independent), `undefined` members dropped,
 * arrays kept in order (order is meaningful: devices, segments, steps), `undefined` array items and
 * non-finite numbers become null (as JSON would), -0 becomes 0, Dates become ISO strings.
 */
import { hash } from 'node:crypto';

export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

export function canonicalize(value: unknown): Canonical {
  const canonical = canonicalOf(value);
  if (typeof canonical === 'object' && canonical !== null) made.add(canonical);
  return canonical;
}

/**
 * The canonical forms canonicalize made (their roots). A canonical form is never changed once made,
 * so canonicalizing one again (the planner's change records take the desired state's canonical
 * spec) may hand it back as it is instead of copying all of it: 10,000 creates made 10,000 more
 * copies, key lists and sorts for the collector.
 */
const made = new WeakSet<object>();

/** canonicalize(value), or value itself when it is a canonical form canonicalize made. */
export function canonicalized(value: unknown): Canonical {
  return typeof value === 'object' && value !== null && made.has(value) ? (value as Canonical) : canonicalize(value);
}

function canonicalOf(value: unknown): Canonical {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return null;
      return Object.is(value, -0) ? 0 : value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // functions and symbols are not data; they never belong in a spec
      return null;
  }
  if (Array.isArray(value)) return value.map((item) => canonicalOf(item));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const out: { [key: string]: Canonical } = {};
  for (const key of sortedKeys(value as object)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out[key] = canonicalOf(member);
  }
  return out;
}

/** Keys at most this many are sorted in place here; more go to Array.prototype.sort. */
const INSERTION_SORT_MAX = 32;

/**
 * The object's keys in UTF-16 code-unit order (`<` on strings, as the default sort compares).
 * A spec's objects have a few keys each: sorted in place by insertion, without the working copy
 * Array.prototype.sort makes of every array it sorts (~90 MB of the ~750 MB a cold plan of the
 * bench's 10,000 files allocated).
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** JSON text of the canonical form: the exact bytes that are hashed. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalOf(value));
}

/** `sha256:<hex>` of the canonical JSON. */
export function hashCanonical(value: unknown): string {
  return hashOfCanonical(canonicalOf(value));
}

/** hashCanonical of a value that is already canonical (canonicalize's output): no second pass. */
export function hashOfCanonical(value: Canonical): string {
  // crypto.hash: one call, no Hash object (half the cost of createHash on 10,000 small specs).
  return 'sha256:' + hash('sha256', JSON.stringify(value));
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
