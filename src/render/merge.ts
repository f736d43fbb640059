/**
 * `spec.wire`, CleverTap fields campaignctl does not model, merged into the body last: objects
 * merge key by key (so `wire: { content: { platform_specific: ... } }` adds to the rendered
 * content), anything else replaces. Wire values are not templated: they go out as written.
 */
import { clonePlain, isRecord } from '../model/record.js';

export function mergeWire<T extends Record<string, unknown>>(body: T, wire: unknown): T {
  if (!isRecord(wire)) return body;
  const out: Record<string, unknown> = { ...body };
  for (const [k, v] of Object.entries(wire)) {
    // The loader refuses these keys in YAML; never let one reach an object's prototype here.
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = isRecord(out[k]) && isRecord(v) ? mergeWire(out[k] as Record<string, unknown>, v) : clonePlain(v);
  }
  return out as T;
}
