/**
 * Send-time data checked against the resource's own contract (a Message's `data`, an
 * ExternalTrigger's `payload`, a Bulletin's `properties`) with ajv, defaults filled in. Also the
 * example data `render` uses when it is given none (each property's first `examples` entry or its
 * `default`).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * campaignctl's contract schemas default `additionalProperties` to false (unknown data is an
 * error, as the resource schemas describe), where JSON Schema defaults to true: make it explicit
 * on every object level that lists its properties and says nothing.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties' && v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, closed(sub)]))
      : k === 'items' ? closed(v) : v;
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    // Not strict: these are user-written contract schemas (the resource schema already limits
    // their keywords); useDefaults fills `default` values into the data.
    ajv ??= addFormats(new Ajv2020({ strict: false, allErrors: true, useDefaults: true }));
    v = ajv.compile(closed(schema) as object);
    compiled.set(key, v);
  }
  return v;
}

function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function describe(e: ErrorObject): { path: string; detail: string } {
  const at = dotted(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: join(at, String(p.missingProperty)), detail: 'is required' };
    case 'additionalProperties':
      return { path: join(at, String(p.additionalProperty)), detail: 'is not in the schema' };
    case 'type':
      return { path: at, detail: `must be ${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)}` };
    case 'enum':
      return { path: at, detail: `must be one of ${(p.allowedValues as unknown[]).map((v) => '`' + String(v) + '`').join(', ')}` };
    case 'format':
      return { path: at, detail: `must be a valid ${String(p.format)}` };
    default:
      return { path: at, detail: e.message ?? e.keyword };
  }
}

/**
 * Validates a copy of `data` (defaults filled in). Problems are `render.data-invalid`, one per
 * violation, naming the field path and the rule.
 */
export function validateData(schema: object | undefined, data: unknown): { data: unknown; diagnostics: Diagnostic[] } {
  const copy = data === undefined ? {} : structuredClone(data);
  if (!schema) return { data: copy, diagnostics: [] };
  const validate = validatorFor(schema);
  if (validate(copy)) return { data: copy, diagnostics: [] };
  const diagnostics = (validate.errors ?? []).map((e) => diagnostic('render.data-invalid', describe(e)));
  return { data: copy, diagnostics };
}

interface ExampleSchema {
  type?: unknown;
  properties?: Record<string, ExampleSchema>;
  items?: ExampleSchema;
  examples?: unknown[];
  default?: unknown;
  enum?: unknown[];
}

/** Example data from a contract schema: examples[0], else default, else enum[0], else nested examples. */
export function exampleData(schema: ExampleSchema | undefined): unknown {
  if (!schema) return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return structuredClone(schema.examples[0]);
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return structuredClone(schema.enum[0]);
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(schema.properties ?? {})) {
      const v = exampleData(sub);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (schema.type === 'array' && schema.items) {
    const item = exampleData(schema.items);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}
