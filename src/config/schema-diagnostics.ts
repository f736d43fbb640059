/**
 * ajv errors -> located, human diagnostics. Each error's instancePath is looked up in the
 * document's node positions: values for type/enum/pattern problems, the key for an unknown key,
 * the parent mapping's key for a missing key.
 */
import type { ErrorObject } from 'ajv';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { At } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { collapseErrors } from './collapse.js';
import type { OneOfParams } from './collapse.js';
import { lookup, segmentsOf } from './positions.js';
import type { PositionIndex, Span } from './positions.js';
import type { SchemaSet } from './schemas.js';
import { closest } from '../diagnostics/suggest.js';

export interface DocumentPlace {
  file: string;
  positions: PositionIndex;
  address?: string;
}

/** Validates `value` with a compiled validator and returns located diagnostics (empty when valid). */
export function schemaDiagnostics(
  which: Parameters<SchemaSet['validator']>[0],
  value: unknown,
  schemas: SchemaSet,
  place: DocumentPlace,
): Diagnostic[] {
  const validate = schemas.validator(which);
  if (validate(value)) return [];
  const errors = mergeDependencies(mergeTypos(withoutPropertyNamesWrappers(collapseErrors(validate.errors ?? [], schemas))));
  return errors.map((e) => (e.propertyName !== undefined ? keyDiagnostic(e, place) : toDiagnostic(e, place)));
}

/** ajv reports a bad key twice: the inner error (with `propertyName`) and a generic wrapper. */
function withoutPropertyNamesWrappers(errors: ErrorObject[]): ErrorObject[] {
  const inner = new Set(errors.filter((e) => e.propertyName !== undefined).map((e) => `${e.instancePath}/${e.propertyName}`));
  return errors.filter(
    (e) => !(e.keyword === 'propertyNames' && inner.has(`${e.instancePath}/${String((e.params as { propertyName?: string }).propertyName)}`)),
  );
}

/** A key that breaks `propertyNames` (too long, wrong pattern): pointed at the key itself. */
function keyDiagnostic(e: ErrorObject, place: DocumentPlace): Diagnostic {
  const key = e.propertyName!;
  const detail = e.keyword === 'maxLength' ? `longer than ${String((e.params as { limit?: number }).limit)} characters` : (e.message ?? 'invalid');
  return diagnostic('schema.invalid-key', { path: displayPath(e.instancePath), key, detail }, at(place, childPointer(e.instancePath, key), 'key'));
}

/**
 * `target_mod: push` is one mistake, not two: an unknown key that is a near-miss of a missing
 * required key in the same mapping keeps only the unknown-key error (which suggests the right one).
 */
function mergeTypos(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const extra of errors) {
    if (extra.keyword !== 'additionalProperties' && extra.keyword !== 'unevaluatedProperties') continue;
    const key = unknownKeyOf(extra);
    const missing = errors.filter((e) => e.keyword === 'required' && e.instancePath === extra.instancePath);
    const near = closest(key, missing.map((e) => (e.params as { missingProperty: string }).missingProperty));
    if (near !== undefined) {
      for (const m of missing) if ((m.params as { missingProperty: string }).missingProperty === near) dropped.add(m);
      (extra.params as Record<string, unknown>).suggestion = near;
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

/** `event_name` without `from` and `to` is one mistake: one error naming both. */
function mergeDependencies(errors: ErrorObject[]): ErrorObject[] {
  const first = new Map<string, ErrorObject>();
  return errors.filter((e) => {
    if (e.keyword !== 'dependentRequired') return true;
    const p = e.params as { property: string; missingProperty: string; missing?: string[] };
    const key = `${e.instancePath}\u0000${p.property}`;
    const kept = first.get(key);
    if (!kept) {
      p.missing = [p.missingProperty];
      first.set(key, e);
      return true;
    }
    (kept.params as { missing: string[] }).missing.push(p.missingProperty);
    return false;
  });
}

function unknownKeyOf(e: ErrorObject): string {
  const p = e.params as { additionalProperty?: string; unevaluatedProperty?: string };
  return p.additionalProperty ?? p.unevaluatedProperty ?? '';
}

function toDiagnostic(e: ErrorObject, place: DocumentPlace): Diagnostic {
  const path = e.instancePath;
  const shown = displayPath(path);
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const key = String(p.missingProperty);
      return diagnostic('schema.required', { key, path: shown }, at(place, path, 'container'));
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = unknownKeyOf(e);
      const allowed = Object.keys((parent.properties as object | undefined) ?? {});
      const suggestion = (p.suggestion as string | undefined) ?? closest(key, allowed);
      return diagnostic(
        'schema.additional-property',
        { key, path: shown, allowed, suggestion },
        at(place, childPointer(path, key), 'key'),
      );
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const suggestion = typeof e.data === 'string' ? closest(e.data, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      return diagnostic('schema.enum', { path: shown, value: e.data, allowed, suggestion }, at(place, path));
    }
    case 'const':
      return diagnostic('schema.const', { path: shown, value: e.data, expected: p.allowedValue }, at(place, path));
    case 'type': {
      const expected = String(p.type).split(',').map(yamlTypeName);
      return diagnostic('schema.type', { path: shown, expected: [...new Set(expected)], actual: typeOf(e.data) }, at(place, path));
    }
    case 'pattern':
      return diagnostic(
        'schema.pattern',
        { path: shown, value: e.data, pattern: String(p.pattern), description: firstSentence(parent.description) },
        at(place, path),
      );
    case 'format':
      return diagnostic('schema.format', { path: shown, value: e.data, format: String(p.format) }, at(place, path));
    case 'oneOf':
    case 'anyOf': {
      const o = p as unknown as OneOfParams;
      return diagnostic('schema.one-of', { path: shown, keys: o.keys, many: o.many }, at(place, path, 'container'));
    }
    case 'not': {
      const keys = (e.schema as { required?: string[] } | undefined)?.required;
      if (keys?.length === 1) return diagnostic('schema.not-allowed', { path: shown, key: keys[0] }, at(place, childPointer(path, keys[0]), 'key'));
      return diagnostic('schema.invalid', { path: shown, detail: 'is not allowed in this form' }, at(place, path));
    }
    case 'false schema': {
      const segments = segmentsOf(path);
      const key = segments.pop() ?? '';
      return diagnostic('schema.not-allowed', { path: displayPath(segments.map((s) => '/' + s).join('')), key }, at(place, path, 'key'));
    }
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return diagnostic('schema.too-short', { path: shown, limit: Number(p.limit), unit: unitOf(e.keyword) }, at(place, path));
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return diagnostic('schema.too-long', { path: shown, limit: Number(p.limit), unit: unitOf(e.keyword) }, at(place, path));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return diagnostic(
        'schema.range',
        { path: shown, value: e.data, comparison: comparisonWords(String(p.comparison)), limit: Number(p.limit) },
        at(place, path),
      );
    case 'uniqueItems':
      return diagnostic('schema.unique', { path: shown, i: Number(p.i), j: Number(p.j) }, at(place, path));
    case 'dependentRequired':
      return diagnostic(
        'schema.dependency',
        { path: shown, key: String(p.property), requires: (p.missing as string[] | undefined) ?? [String(p.missingProperty)] },
        at(place, childPointer(path, String(p.property)), 'key'),
      );
    default:
      return diagnostic('schema.invalid', { path: shown, detail: e.message ?? 'is invalid' }, at(place, path));
  }
}

type Target = 'value' | 'key' | 'container';

/**
 * The place to point at. `key`: the key of the pair (an unknown key). `container`: a mapping that
 * lacks something, shown by its own key, or by its first line when it has none (document root,
 * list item).
 */
function at(place: DocumentPlace, pointer: string, target: Target = 'value'): At {
  const found = lookup(place.positions, pointer);
  const where: At = { file: place.file, address: place.address };
  if (!found) return where;
  const { spans, exact } = found;
  let s: Span;
  if (exact && target === 'key' && spans.key) s = spans.key;
  else if (target === 'container' || !exact) s = spans.key ?? firstLineOf(spans.value);
  else s = spans.value;
  return { ...where, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] };
}

function firstLineOf(s: Span): Span {
  return [s[0], s[1], s[0], s[2] === s[0] ? s[3] : s[1] + 1];
}

function childPointer(pointer: string, key: string): string {
  return pointer + '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `/spec/occurrences/0/key` -> `spec.occurrences[0].key`. */
export function displayPath(pointer: string): string {
  let out = '';
  for (const s of segmentsOf(pointer)) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else out += (out ? '.' : '') + s;
  }
  return out;
}

function yamlTypeName(t: string): string {
  if (t === 'object') return 'mapping';
  if (t === 'array') return 'list';
  return t;
}

export function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function unitOf(keyword: string): string {
  if (keyword.endsWith('Length')) return 'characters';
  if (keyword.endsWith('Items')) return 'items';
  return 'keys';
}

function comparisonWords(c: string): string {
  return { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' }[c] ?? c;
}

function firstSentence(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(.*?[.!?])(\s|$)/s.exec(text);
  return (m ? m[1] : text).replace(/\s+/g, ' ');
}
