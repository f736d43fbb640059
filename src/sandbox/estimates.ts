/**
 * Deterministic reach estimates: a hash of the audience query (`where` or `segment`, key order
 * ignored) picks the number, so the same query always gives the same estimate and plans are
 * reproducible. `where: {}` and `segment: "all"` reach the configured "everyone" audience.
 */
import { canonicalJson, hash32, seededRandom } from './random.js';

/** The audience a query reaches in total. Non-empty queries reach 1%..60% of everyone. */
export function audienceSize(query: { where?: unknown; segment?: unknown }, everyone: number, hash = queryHash(query)): number {
  const where = query.where;
  const isEveryone =
    (where !== undefined && isEmptyObject(where)) || (where === undefined && (query.segment === undefined || query.segment === 'all'));
  if (isEveryone) return everyone;
  const share = 0.01 + (hash % 5901) / 10_000; // 0.01 .. 0.60
  return Math.floor(everyone * share);
}

/** The stable hash of an audience query; key order does not matter. */
export function queryHash(query: { where?: unknown; segment?: unknown }): number {
  return hash32(canonicalJson({ where: query.where ?? null, segment: query.segment ?? null }));
}

/**
 * Splits the audience over the keys CleverTap reports for the channel (§2.7): the push `devices`,
 * `chrome` for webpush, `web` for email and SMS (and the other channels).
 */
export function estimateKeys(targetMode: string, devices: unknown): string[] {
  if (targetMode === 'push') {
    const list = Array.isArray(devices) ? devices.filter((d): d is string => typeof d === 'string') : [];
    return list.length > 0 ? [...new Set(list)] : ['android', 'ios'];
  }
  if (targetMode === 'webpush') return ['chrome'];
  return ['web'];
}

/** Per-key numbers that add up to the total; the split is deterministic too (seeded by the query). */
export function splitEstimate(total: number, keys: readonly string[], seed: number): Record<string, number> {
  const random = seededRandom(seed);
  const weights = keys.map(() => 1 + Math.floor(random() * 100));
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  let given = 0;
  keys.forEach((k, i) => {
    const n = i === keys.length - 1 ? total - given : Math.floor((total * weights[i]!) / sum);
    out[k] = n;
    given += n;
  });
  return out;
}

function isEmptyObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}
