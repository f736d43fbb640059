/** A JSON-style object: not null and not an array. The one check every layer uses on parsed values. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A deep copy of parsed YAML/JSON data (plain objects, arrays and primitives, acyclic: the loader
 * refuses deeper nesting than it allows), values kept exactly (-0, NaN, Infinity). structuredClone
 * gives the same for such data at several times the cost, which a plan of 10,000 campaigns pays
 * on every `where` and pass-through field.
 */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // Never a prototype: the loader refuses the key, and a copy must not turn it into one.
    if (key === '__proto__') Object.defineProperty(out, key, { value: clonePlain(value[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = clonePlain(value[key]);
  }
  return out as T;
}
