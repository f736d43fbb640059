/**
 * Durations as campaignctl.yaml writes them (schemas/defs.schema.json `duration`): `90s`, `15m`,
 * `1h30m`, `1d`, `250ms`, or ISO 8601 `PT2H` / `P1D`. Returns milliseconds, undefined if malformed.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const compact = /^(?:\d+(?:ms|s|m|h|d))+$/.test(text);
  if (compact) {
    let total = 0;
    for (const m of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
    return total;
  }
  const iso = /^P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!iso) return undefined;
  const [d, h, m, s] = iso.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return d * UNIT_MS.d! + h * UNIT_MS.h! + m * UNIT_MS.m! + s * UNIT_MS.s!;
}
