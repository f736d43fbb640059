/**
 * The JSON Schemas of schemas/ compiled once per process (ajv draft 2020-12, strict, allErrors).
 * The folder is found relative to this installed package, never the working directory, so a
 * project validates against the schemas of the campaignctl that runs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';
import type { Kind } from '../model/resource.js';
import { packageSchemasDir } from './package-dir.js';

/**
 * ajv and ajv-formats (both CommonJS), loaded synchronously on first use: the quick lane validates
 * with the generated validators (./quick-validators.ts), so most runs, and most worker threads of a
 * cold one, never compile a schema and need not load ajv (~35 ms a thread).
 */
function ajvLib(): { Ajv2020: typeof Ajv2020; addFormats: typeof addFormatsModule.default } {
  const require = createRequire(import.meta.url);
  return {
    Ajv2020: (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020,
    addFormats: (require('ajv-formats') as { default: typeof addFormatsModule.default }).default,
  };
}

export const SCHEMA_FILES: Record<Kind | 'config', string> = {
  Campaign: 'campaign.schema.json',
  Message: 'message.schema.json',
  ExternalTrigger: 'external-trigger.schema.json',
  Bulletin: 'bulletin.schema.json',
  Schedule: 'schedule.schema.json',
  config: 'config.schema.json',
};

export interface SchemaSet {
  readonly dir: string;
  validator(which: Kind | 'config'): ValidateFunction;
  /**
   * A validator for one subschema (a oneOf/anyOf branch), found by object identity; used to
   * re-check each branch on its own when collapsing ajv's combinator errors.
   */
  fragment(schema: unknown): ValidateFunction | undefined;
}

/** The options every campaignctl schema must compile under (tests use the same). */
export function createAjv(opts: { strict?: boolean } = {}): Ajv2020 {
  // verbose: errors carry the failing (sub)schema and data, which the diagnostics need for
  // allowed keys, descriptions and "got a list" messages.
  const { Ajv2020, addFormats } = ajvLib();
  const ajv = new Ajv2020({ strict: opts.strict ?? true, allErrors: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

/**
 * The options of the standalone validators the build generates (scripts/gen-validators.mjs,
 * ./quick-validators.ts): the same schemas, formats and strictness, but only a yes or no, so the
 * first error ends validation and no error objects are built. Whether a value is valid does not
 * depend on allErrors or verbose.
 */
export function createStandaloneAjv(): Ajv2020 {
  const { Ajv2020, addFormats } = ajvLib();
  const ajv = new Ajv2020({ strict: true, allErrors: false, code: { source: true } });
  addFormats(ajv);
  return ajv;
}

/** Every *.schema.json of `dir`, parsed, with the id it is registered under, by file name. */
export function readSchemaDocuments(dir: string): { name: string; id: string; schema: object }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const schema = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { $id?: string };
      return { name, id: schema.$id ?? name, schema };
    });
}

const cache = new Map<string, SchemaSet>();

/** Compiles (once per folder per process) every *.schema.json of `dir`. */
export function loadSchemas(dir: string = packageSchemasDir()): SchemaSet {
  const cached = cache.get(dir);
  if (cached) return cached;
  const ajv = createAjv();
  const locations = new Map<object, string>();
  const ids = new Map<string, string>();
  const documents: { schema: object; id: string }[] = [];
  for (const { name, id, schema } of readSchemaDocuments(dir)) {
    ajv.addSchema(schema, id);
    ids.set(name, id);
    documents.push({ schema, id });
    indexLocations(schema, id + '#', locations);
  }
  // Branches are compiled out of their context (a `{ required: [where] }` branch has no `type`
  // of its own), which strict mode rejects; the main instance has already checked them strictly.
  let fragmentAjv: Ajv2020 | undefined;
  const forFragments = (): Ajv2020 => {
    if (!fragmentAjv) {
      fragmentAjv = createAjv({ strict: false });
      for (const d of documents) fragmentAjv.addSchema(d.schema, d.id);
    }
    return fragmentAjv;
  };
  const validators = new Map<string, ValidateFunction>();
  const fragments = new Map<object, ValidateFunction>();
  const set: SchemaSet = {
    dir,
    validator(which) {
      let v = validators.get(which);
      if (!v) {
        const id = ids.get(SCHEMA_FILES[which]);
        v = id === undefined ? undefined : ajv.getSchema(id);
        if (!v) throw new Error(`schema ${SCHEMA_FILES[which]} is missing from ${dir}`);
        validators.set(which, v);
      }
      return v;
    },
    fragment(schema) {
      if (!schema || typeof schema !== 'object') return undefined;
      let v = fragments.get(schema);
      if (!v) {
        const ref = locations.get(schema);
        v = ref === undefined ? undefined : forFragments().getSchema(ref);
        if (!v) return undefined;
        fragments.set(schema, v);
      }
      return v;
    },
  };
  cache.set(dir, set);
  return set;
}

/** Every object inside a schema document -> its absolute JSON pointer URI. */
function indexLocations(node: unknown, pointer: string, out: Map<object, string>): void {
  if (!node || typeof node !== 'object') return;
  out.set(node, pointer);
  const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
  for (const [k, v] of entries) {
    indexLocations(v, pointer + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'), out);
  }
}

export { packageSchemasDir } from './package-dir.js';
