/**
 * Field-level diff between two canonical values (applied spec vs desired spec), for `replace` and
 * contract `update`. Paths read like `content.title`, `devices[1]`, `where.common_profile_properties`.
 * An absent side is left out (not null), so a field set to null and a field removed stay distinct.
 */
import { canonicalize, type Canonical } from './canonical.js';

export interface FieldDiff {
  path: string;
  /** Absent when the field was added. */
  before?: Canonical;
  /** Absent when the field was removed. */
  after?: Canonical;
}

export function diffSpecs(before: unknown, after: unknown): FieldDiff[] {
  const out: FieldDiff[] = [];
  walk(canonicalize(before), canonicalize(after), '', out, true, true);
  return out;
}

function walk(
  a: Canonical,
  b: Canonical,
  path: string,
  out: FieldDiff[],
  hasA: boolean,
  hasB: boolean,
): void {
  if (hasA && hasB && isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k] ?? null, b[k] ?? null, join(path, k), out, k in a, k in b);
    return;
  }
  if (hasA && hasB && Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i] ?? null, b[i] ?? null, `${path}[${i}]`, out, i < a.length, i < b.length);
    return;
  }
  if (hasA && hasB && JSON.stringify(a) === JSON.stringify(b)) return;
  const entry: FieldDiff = { path: path === '' ? '.' : path };
  if (hasA) entry.before = a;
  if (hasB) entry.after = b;
  out.push(entry);
}

function isObject(v: Canonical): v is { [key: string]: Canonical } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keys that are not plain identifiers are quoted, so a path never becomes ambiguous. */
function join(path: string, key: string): string {
  const part = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return /^[A-Za-z_$]/.test(part) ? part : `[${part}]`;
  return /^[A-Za-z_$]/.test(part) ? `${path}.${part}` : `${path}[${part}]`;
}
