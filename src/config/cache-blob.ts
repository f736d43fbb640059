/**
 * How one cached result is stored. JSON when JSON gives the value back exactly (the usual case:
 * JSON.parse is about twice as fast as v8.deserialize on these objects), v8 serialization when it
 * would not (Infinity, NaN, -0 or undefined somewhere in a spec or diagnostic).
 */
import { deserialize, serialize } from 'node:v8';

/** First byte of a JSON blob; a v8 blob starts with its version tag (0xff). */
const JSON_TAG = 0x4a; // 'J'

export function toBlob(value: unknown): Uint8Array {
  return jsonExact(value) ? Buffer.from('J' + JSON.stringify(value), 'utf8') : serialize(value);
}

/** The value back; undefined when the blob does not decode (the caller treats that as a miss). */
export function fromBlob<T>(blob: Uint8Array): T | undefined {
  try {
    if (blob[0] === JSON_TAG) return JSON.parse(Buffer.from(blob.buffer, blob.byteOffset + 1, blob.byteLength - 1).toString('utf8')) as T;
    return deserialize(blob) as T;
  } catch {
    return undefined;
  }
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
