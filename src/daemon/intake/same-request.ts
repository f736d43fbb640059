/**
 * Whether a request sent again under the same Idempotency-Key asks for the same send: the same
 * kind, contract and payload, keys in any order. JSON only (what the outbox holds).
 */
import type { JsonValue, OutboxItem } from '../../state/store.js';

export function sameRequest(item: Pick<OutboxItem, 'kind' | 'address' | 'payload'>, kind: string, address: string, payload: JsonValue): boolean {
  return item.kind === kind && item.address === address && canonical(item.payload) === canonical(payload);
}

/** JSON text with object keys sorted at every depth. */
export function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
