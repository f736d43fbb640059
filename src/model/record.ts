/** A JSON-style object: not null and not an array. The one check every layer uses on parsed values. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
