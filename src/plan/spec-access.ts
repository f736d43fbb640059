/**
 * Small typed readers for the few spec fields the planner needs. Specs arrive as plain objects
 * (validated upstream against the schemas, but the planner does not rely on that): every reader
 * tolerates a missing or mistyped field and returns undefined/empty instead of throwing.
 */
export interface OccurrenceSpec {
  key: string;
  at: unknown;
  name?: string;
  properties?: Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Campaign `when`: `now` or an ISO date-time (raw, resolved by instant.ts). */
export function campaignWhen(spec: unknown): unknown {
  return record(spec)?.when;
}

/** Campaign `guard.maxAudience`, when it is a non-negative number. */
export function guardMaxAudience(spec: unknown): number | undefined {
  const max = record(record(spec)?.guard)?.maxAudience;
  return typeof max === 'number' && Number.isFinite(max) && max >= 0 ? max : undefined;
}

/** Bulletin `occurrences`; entries without a string `key` are skipped (the schema reports them). */
export function bulletinOccurrences(spec: unknown): OccurrenceSpec[] {
  const list = record(spec)?.occurrences;
  if (!Array.isArray(list)) return [];
  const out: OccurrenceSpec[] = [];
  for (const item of list) {
    const o = record(item);
    if (!o || typeof o.key !== 'string' || o.key === '') continue;
    const occ: OccurrenceSpec = { key: o.key, at: o.at };
    if (typeof o.name === 'string') occ.name = o.name;
    const props = record(o.properties);
    if (props) occ.properties = props;
    out.push(occ);
  }
  return out;
}
