/**
 * Every `--json` document and JSON-lines event spells its own keys in snake_case, as
 * `format_version` always did, whatever the camelCase of the TypeScript objects behind it. Scripts
 * then never guess between `estimated_audience` and `estimatedAudience`.
 *
 * Values that are the user's or CleverTap's own data keep their keys byte for byte: a spec as the
 * YAML wrote it (`previousPlan`, JSON Schema's `maxLength`), a request body as it goes on the wire
 * (`to: { Identity: [...] }`), labels, identities keyed by CleverTap's `to` keys, CleverTap's
 * estimate per platform. Only the field that holds them is renamed.
 */

/** Fields (named after conversion) whose value is data, copied verbatim. */
export const VERBATIM_FIELDS: ReadonlySet<string> = new Set([
  'spec',
  'rendered',
  'before',
  'after',
  'body',
  'requests',
  'labels',
  'by_platform',
  'recipients',
  'failed_recipients',
  'unknown_recipients',
]);

/** `estimatedAudience` -> `estimated_audience`; `remoteId` -> `remote_id`; snake_case unchanged. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** A copy of `value` with every key of campaignctl's own objects in snake_case (see above). */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (typeof value !== 'object' || value === null) return value;
  // Dates and other objects with a toJSON say themselves how they serialize.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = snakeCase(k);
    out[key] = VERBATIM_FIELDS.has(key) ? v : snakeKeys(v);
  }
  return out;
}

/** One compact JSON-lines event (`apply --json`), keys as snakeKeys makes them. */
export function jsonLine(event: Record<string, unknown>): string {
  return JSON.stringify(snakeKeys(event));
}
