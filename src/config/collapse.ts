/**
 * ajv with allErrors reports every failing branch of a oneOf/anyOf plus the combinator itself,
 * and an `if` error beside each failing `then`: five errors for one mistake. This turns them into
 * the one error a person needs:
 * - each combinator's branches are re-validated on their own (by schema object identity), so we
 *   know exactly which errors belong to which branch, even through $refs;
 * - branches whose type (or discriminating const) does not even match are dropped; of the rest
 *   the branch with the deepest, then fewest, errors wins;
 * - when no branch comes close, one synthesized error says what was expected (the union of types,
 *   or "one of `where`, `segment`" for presence alternatives).
 */
import type { ErrorObject } from 'ajv';
import type { SchemaSet } from './schemas.js';
import { isRecord } from '../model/record.js';

/** Synthesized by the collapse: a presence or shape alternative, with the keys when known. */
export interface OneOfParams {
  many: boolean;
  keys?: string[];
}

export function collapseErrors(errors: readonly ErrorObject[], schemas: SchemaSet): ErrorObject[] {
  const items: (ErrorObject | undefined)[] = errors.filter((e) => e.keyword !== 'if');
  const out: ErrorObject[] = [];
  // Walk backwards: a combinator's branch errors always precede it, so the last combinator seen
  // is the outermost still unresolved one.
  for (let i = items.length - 1; i >= 0; i--) {
    const e = items[i];
    if (!e) continue;
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') {
      out.push(e);
      continue;
    }
    const branches = branchErrors(e, schemas);
    if (!branches) {
      out.push(synthesizedOneOf(e, { many: false }));
      continue;
    }
    for (const raw of branches.raw.flat()) removeOneMatch(items, i - 1, raw);
    const chosen = chooseBranch(e, branches.raw.map((b) => collapseErrors(b, schemas)));
    for (let k = chosen.length - 1; k >= 0; k--) out.push(chosen[k]);
  }
  return dedupe(out.reverse());
}

interface Branches {
  /** The errors of each branch on its own, instance paths made absolute. */
  raw: ErrorObject[][];
}

function branchErrors(c: ErrorObject, schemas: SchemaSet): Branches | undefined {
  const alternatives = c.schema;
  if (!Array.isArray(alternatives)) return undefined;
  const raw: ErrorObject[][] = [];
  for (const alt of alternatives) {
    if (alt === true) {
      raw.push([]);
      continue;
    }
    const validate = schemas.fragment(alt);
    if (!validate) return undefined;
    validate(c.data);
    raw.push((validate.errors ?? []).map((e) => ({ ...e, instancePath: c.instancePath + e.instancePath })));
  }
  return { raw };
}

/** Removes from items[0..from] the one entry that is the same error as `e` (seen from the whole document). */
function removeOneMatch(items: (ErrorObject | undefined)[], from: number, e: ErrorObject): void {
  const sig = signature(e);
  for (let j = from; j >= 0; j--) {
    const candidate = items[j];
    if (candidate && signature(candidate) === sig) {
      items[j] = undefined;
      return;
    }
  }
}

function signature(e: ErrorObject): string {
  return `${e.instancePath}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}\u0000${e.message ?? ''}`;
}

function chooseBranch(c: ErrorObject, branches: ErrorObject[][]): ErrorObject[] {
  const alternatives = c.schema as unknown[];
  const params = c.params as { passingSchemas?: number[] | null };
  if (Array.isArray(params.passingSchemas)) {
    // oneOf matched several alternatives: name them when they are presence alternatives.
    const keys = params.passingSchemas.flatMap((i) => presenceKeys(alternatives[i]) ?? []);
    return [synthesizedOneOf(c, { many: true, keys: keys.length ? keys : undefined })];
  }
  const presence = alternatives.map(presenceKeys);
  if (presence.every((k) => k !== undefined)) {
    const keys = [...new Set(presence.flat() as string[])];
    const data = c.data && typeof c.data === 'object' ? (c.data as Record<string, unknown>) : {};
    const present = keys.filter((k) => Object.hasOwn(data, k));
    return [present.length > 1 ? synthesizedOneOf(c, { many: true, keys: present }) : synthesizedOneOf(c, { many: false, keys })];
  }
  const depthOf = (p: string) => (p === '' ? 0 : p.split('/').length - 1);
  const base = depthOf(c.instancePath);
  const mismatch = (errs: ErrorObject[]) =>
    errs.some(
      (e) =>
        (e.keyword === 'type' && e.instancePath === c.instancePath) ||
        // A const on a direct child is a discriminator (`type: later`): that branch is not meant.
        (e.keyword === 'const' && depthOf(e.instancePath) <= base + 1),
    );
  const candidates = branches
    .map((errs, index) => ({ errs, index }))
    .filter((b) => b.errs.length > 0 && !mismatch(b.errs));
  if (candidates.length === 0) {
    const types = branches.every((errs) => errs.some((e) => e.keyword === 'type' && e.instancePath === c.instancePath))
      ? [...new Set(branches.flatMap((errs) => errs.filter((e) => e.keyword === 'type' && e.instancePath === c.instancePath).flatMap((e) => typesOf(e))))]
      : undefined;
    if (types) {
      return [{ ...c, keyword: 'type', params: { type: types.join(',') }, message: `must be ${types.join(' or ')}` }];
    }
    return [synthesizedOneOf(c, { many: false })];
  }
  const maxDepth = (errs: ErrorObject[]) => Math.max(...errs.map((e) => depthOf(e.instancePath)));
  candidates.sort((a, b) => maxDepth(b.errs) - maxDepth(a.errs) || a.errs.length - b.errs.length || a.index - b.index);
  return candidates[0].errs;
}

function typesOf(e: ErrorObject): string[] {
  const t = (e.params as { type?: string | string[] }).type;
  return Array.isArray(t) ? t : String(t).split(',');
}

/** `{ required: [where] }`-style alternatives (exactly-one-of by presence): their keys. */
function presenceKeys(schema: unknown): string[] | undefined {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as Record<string, unknown>;
  const allowed = new Set(['required', 'not', 'title', 'description', '$comment', 'properties']);
  if (!Array.isArray(s.required) || !Object.keys(s).every((k) => allowed.has(k))) return undefined;
  // `properties: { where: {} }` only declares the key (strict mode wants that); it checks nothing.
  const props = s.properties;
  if (props !== undefined && !(isRecord(props) && Object.values(props).every(isEmptySchema))) return undefined;
  return s.required as string[];
}

function isEmptySchema(v: unknown): boolean {
  return v === true || (isRecord(v) && Object.keys(v).every((k) => k === 'description' || k === 'title'));
}

function synthesizedOneOf(c: ErrorObject, params: OneOfParams): ErrorObject {
  return { ...c, keyword: 'oneOf', params: params as unknown as Record<string, unknown> };
}

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const s = signature(e);
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
}
