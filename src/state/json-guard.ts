/**
 * Every JSON value the store persists passes through here, so that (1) what a backend stores is
 * plain JSON that SQLite text and PostgreSQL jsonb round-trip alike, and (2) nothing that looks
 * like one of campaignctl's own secrets is written to state. The record types leave no field for
 * headers or passcodes; this is the check behind them for the free-form parts (specs, details,
 * outbox payloads).
 */
import { StateError } from './errors.js';

/**
 * Keys that only ever hold credentials or request headers, matched on the key lower-cased without
 * `-`, `_` and spaces: `passcode`, `X-CleverTap-Passcode`, `api_token`, `Authorization`, `headers`.
 */
const SECRET_KEY = /(passcode|password|passwd|authorization|apitoken|accesstoken|bearertoken|cookie)$|^headers?$/;

/** scheme://user:password@host */
const CREDENTIALED_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function check(value: unknown, path: string, what: string, seen: Set<object>): void {
  const refuse = (why: string) => {
    throw new StateError('not-storable', `${what}: ${why} at ${path || '(root)'}; refused, nothing was written`);
  };
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse('non-finite number');
    return;
  }
  if (typeof value === 'string') {
    if (CREDENTIALED_URL.test(value)) refuse('a URL with credentials');
    return;
  }
  if (typeof value !== 'object') return refuse(`a ${typeof value} is not JSON`);
  if (seen.has(value)) refuse('a circular reference');
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v === undefined) refuse('undefined in an array');
      check(v, `${path}[${i}]`, what, seen);
    });
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) refuse(`a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON`);
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(normalizeKey(k))) refuse(`secret-looking key "${k}"`);
      if (v !== undefined) check(v, path ? `${path}.${k}` : k, what, seen);
    }
  }
  seen.delete(value);
}

/** Checks `value` and returns its JSON text; throws StateError('not-storable') otherwise. */
export function toStorableJson(value: unknown, what: string): string {
  check(value, '', what, new Set());
  return JSON.stringify(value);
}

/** Checks a plain string field (messages, names) for embedded credentials. */
export function checkStorableText(value: string | null | undefined, what: string): void {
  if (value != null) check(value, '', what, new Set());
}
