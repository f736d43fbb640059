/**
 * The data a command passes to a contract: `--data FILE` (JSON or YAML, `-` for stdin) and
 * `--set key=value` (repeatable, dotted keys for nesting, later flags win, applied over --data).
 * Shared by `render`, `send`, `trigger` and `raise` so that every command reads data the same way.
 *
 * `--set` values are text on the command line; where the contract's schema says a value is a
 * number, integer or boolean it is converted, and where it says object or array the text is read
 * as JSON. Everything else stays a string (so `--set id=007` keeps its zeros). A value holding
 * Liquid (`{{`, `{%`) is refused, located at its flag, by the checks every runtime input passes
 * (../../operations/runtime-input.ts).
 */
import { text as streamText } from 'node:stream/consumers';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { MAX_FILE_BYTES } from '../../config/guards.js';
import { isRecord } from '../../model/record.js';
import { FORBIDDEN_KEYS, forbiddenKey, liquidFields } from '../../operations/runtime-input.js';

export interface DataInputOptions {
  /** `--data FILE`; `-` reads standard input. */
  dataFile?: string;
  /** `--set key=value` in the order given. */
  sets?: readonly string[];
  /** The contract (data / payload / properties schema) that types the --set values. */
  schema?: unknown;
  /** Relative paths are resolved here (default process.cwd()). */
  cwd?: string;
  /** Standard input, for `--data -` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Flag names in messages (`raise` calls its values properties). */
  labels?: { data?: string; set?: string };
}

export interface DataInput {
  /** The merged value; undefined when neither --data nor --set was given. */
  value: Record<string, unknown> | undefined;
  diagnostics: Diagnostic[];
}

export async function readDataInput(opts: DataInputOptions): Promise<DataInput> {
  const diagnostics: Diagnostic[] = [];
  const dataLabel = opts.labels?.data ?? '--data';
  const setLabel = opts.labels?.set ?? '--set';
  let value: Record<string, unknown> | undefined;

  if (opts.dataFile !== undefined) {
    const read = await readDataFile(opts.dataFile, opts.cwd ?? process.cwd(), opts.stdin ?? process.stdin);
    if (!read.ok) diagnostics.push(diagnostic('input.invalid', { option: `${dataLabel} ${opts.dataFile}`, detail: read.detail }));
    else {
      value = read.value;
      for (const field of liquidFields(value, [])) diagnostics.push(diagnostic('input.liquid-in-data', { option: `${dataLabel} ${opts.dataFile}`, field }));
    }
  }

  for (const text of opts.sets ?? []) {
    const parsed = parseSet(text, opts.schema);
    if (!parsed.ok) {
      diagnostics.push(diagnostic('input.invalid', { option: `${setLabel} ${text}`, detail: parsed.detail, hint: parsed.hint }));
      continue;
    }
    const liquid = liquidFields(parsed.value, parsed.path);
    if (liquid.length > 0) {
      for (const field of liquid) diagnostics.push(diagnostic('input.liquid-in-data', { option: `${setLabel} ${text}`, field }));
      continue;
    }
    value ??= {};
    const clash = setPath(value, parsed.path, parsed.value);
    if (clash) diagnostics.push(diagnostic('input.invalid', { option: `${setLabel} ${text}`, detail: clash }));
  }
  return { value, diagnostics };
}

type Read = { ok: true; value: Record<string, unknown> } | { ok: false; detail: string };

async function readDataFile(file: string, cwd: string, stdin: NodeJS.ReadableStream): Promise<Read> {
  let text: string;
  try {
    text = file === '-' ? await streamText(stdin) : await readFile(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, detail: e.code === 'ENOENT' ? 'no such file' : `can not read it (${e.code ?? e.message})` };
  }
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) return { ok: false, detail: `larger than ${MAX_FILE_BYTES} bytes` };
  let parsed: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both.
    parsed = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, detail: `not valid JSON or YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (parsed === null || parsed === undefined) return { ok: true, value: {} };
  if (!isRecord(parsed)) return { ok: false, detail: 'must hold a mapping (an object) of named values' };
  const bad = forbiddenKey(parsed);
  if (bad) return { ok: false, detail: `the key ${bad} is not allowed` };
  return { ok: true, value: parsed };
}

type SetParse = { ok: true; path: string[]; value: unknown } | { ok: false; detail: string; hint?: string };

/** `a.b=text` -> path [a, b] and the value typed by the schema at that path. */
export function parseSet(text: string, schema?: unknown): SetParse {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, detail: 'expected key=value', hint: 'e.g. --set orderId=SN-104233 or --set address.city=Berlin' };
  const path = text.slice(0, eq).trim().split('.');
  if (path.some((s) => s.trim() === '')) return { ok: false, detail: 'the key has an empty part', hint: 'dotted keys look like address.city' };
  const forbidden = path.find((s) => FORBIDDEN_KEYS.has(s));
  if (forbidden) return { ok: false, detail: `the key ${forbidden} is not allowed` };
  const raw = text.slice(eq + 1);
  const type = schemaTypeAt(schema, path);
  switch (type) {
    case 'number':
    case 'integer': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      // Left as text when it is not a number: the contract check then names the rule it breaks.
      return { ok: true, path, value: Number.isFinite(n) ? n : raw };
    }
    case 'boolean':
      return { ok: true, path, value: raw === 'true' ? true : raw === 'false' ? false : raw };
    case 'object':
    case 'array':
      try {
        return { ok: true, path, value: JSON.parse(raw) as unknown };
      } catch {
        return { ok: false, detail: `the contract expects ${type === 'array' ? 'a list' : 'an object'} here, given as JSON`, hint: `e.g. --set '${path.join('.')}=${type === 'array' ? '["a","b"]' : '{"k":"v"}'}' or use --data FILE` };
      }
    default:
      return { ok: true, path, value: raw };
  }
}

/** The `type` the schema gives the value at `path`, following `properties`; undefined if unknown. */
function schemaTypeAt(schema: unknown, path: readonly string[]): string | undefined {
  let node: unknown = schema;
  for (const seg of path) {
    const props = isRecord(node) && isRecord(node.properties) ? node.properties : undefined;
    node = props && Object.hasOwn(props, seg) ? props[seg] : undefined;
    if (node === undefined) return undefined;
  }
  return isRecord(node) && typeof node.type === 'string' ? node.type : undefined;
}

/** Sets a dotted path; returns a problem when a value on the way is not a mapping. */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): string | undefined {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = node[seg];
    if (next === undefined) node = node[seg] = {};
    else if (isRecord(next)) node = next;
    else return `${path.slice(0, i + 1).join('.')} already holds a value that is not a mapping`;
  }
  node[path[path.length - 1]!] = value;
  return undefined;
}
