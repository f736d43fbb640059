/**
 * Which template variables exist where, for the static check: `vars.*` from the environment,
 * `data.*` from a Message's data schema, `schedule.*` in a Schedule, `properties.*` in a bulletin
 * occurrence's name. Paths are dotted; `x.*` means "anything under x".
 */
import { SCHEDULE_SCOPE_KEYS } from './schedule-scope.js';
import { isRecord } from '../model/record.js';

/** Every path of a concrete value: `vars.region`, `vars.links.home`; a list is known as a whole. */
export function valuePaths(prefix: string, value: unknown): string[] {
  if (!isRecord(value)) return [prefix];
  const keys = Object.keys(value);
  if (keys.length === 0) return [prefix];
  return keys.flatMap((k) => valuePaths(`${prefix}.${k}`, value[k]));
}

const varsPathsOf = new WeakMap<Record<string, unknown>, string[]>();

/** The `vars.*` paths of an environment's vars (worked out once per vars object). */
export function varsPaths(vars: Record<string, unknown> | undefined): string[] {
  if (!vars || Object.keys(vars).length === 0) return [];
  let paths = varsPathsOf.get(vars);
  if (!paths) varsPathsOf.set(vars, (paths = valuePaths('vars', vars)));
  return paths;
}

interface SchemaLike {
  type?: unknown;
  properties?: Record<string, SchemaLike>;
  additionalProperties?: unknown;
}

/** Paths a JSON Schema (the Message `data` subset) allows under `prefix`. */
export function schemaPaths(prefix: string, schema: SchemaLike | undefined): string[] {
  if (!schema) return [];
  const out: string[] = [];
  const props = isRecord(schema.properties) ? (schema.properties as Record<string, SchemaLike>) : undefined;
  for (const [name, sub] of Object.entries(props ?? {})) {
    const path = `${prefix}.${name}`;
    out.push(path);
    if (isRecord(sub) && sub.type === 'object') {
      const nested = schemaPaths(path, sub);
      out.push(...(nested.length ? nested : [`${path}.*`]));
    }
  }
  // Unlisted names are allowed only when the schema says so (campaignctl's default is false).
  if (schema.additionalProperties === true) out.push(`${prefix}.*`);
  return [...new Set(out)];
}

export function schedulePaths(): string[] {
  return SCHEDULE_SCOPE_KEYS.map((k) => `schedule.${k}`);
}

export function propertiesPaths(properties: Record<string, unknown> | undefined): string[] {
  return Object.keys(properties ?? {}).map((k) => `properties.${k}`);
}
