/**
 * The template engine: Handlebars for campaignctl's own variables, Liquid passed to CleverTap
 * byte for byte. The Liquid is cut out before Handlebars sees the string (each segment becomes a
 * call to an internal helper holding its exact bytes in base64), so no Handlebars rule can touch
 * it. Only strings are compiled, strings without `{{` are returned as they are, and compiled
 * templates are cached by source.
 */
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { closest } from '../diagnostics/suggest.js';
import { diagnostic, type ArgsOf } from '../diagnostics/catalogue.js';
import { isValidTimeZone } from '../time/zone.js';
import { analyze, type Analysis } from './analyze.js';
import { HelperError, KNOWN_HELPERS, LIQUID_HELPER, ZONE_DATA_KEY, registerHelpers } from './helpers.js';
import { checkLiquidBalance, splitTemplate, type LiquidProblem, type SplitTemplate } from './liquid.js';
import { PositionMap, type Replacement } from './positions.js';

// Handlebars is loaded on the first template that has Handlebars in it: a warm plan whose findings
// and hashes are remembered (the project index) never needs it. (Sync: templates are checked
// synchronously.) Its one-file build, the same compiler and runtime as the package's entry: that
// entry loads ~20 files and the source-map package for source maps campaignctl never asks for,
// 31-33 ms against 13-15 ms here (`require` then `create()`, in a fresh process).
const HANDLEBARS_BUILD = 'handlebars/dist/handlebars.js';
let handlebarsLib: typeof Handlebars | undefined;
function handlebars(): typeof Handlebars {
  handlebarsLib ??= createRequire(import.meta.url)(HANDLEBARS_BUILD) as typeof Handlebars;
  return handlebarsLib;
}

export type TemplateCode =
  | 'template.unknown-variable'
  | 'template.missing-value'
  | 'template.syntax'
  | 'template.unknown-helper'
  | 'template.unknown-partial'
  | 'template.invalid-argument'
  | 'liquid.unbalanced';

/**
 * A problem inside one template string, worded by the diagnostics catalogue. Lines and columns are
 * 1-based, within the string; callers map them onto the YAML node.
 */
export interface TemplateProblem {
  code: TemplateCode;
  message: string;
  hint?: string;
  /** Offsets into the string. */
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Thrown by render() on any problem; it is data, not a bug: callers turn it into diagnostics. */
export class TemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'TemplateError';
  }
}

export interface TemplateScope {
  vars?: Record<string, unknown>;
  data?: unknown;
  schedule?: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

export interface RenderOptions {
  /** HTML-escape `{{ }}` output (email bodies); `{{{ }}}` never escapes. Default false. */
  html?: boolean;
  /** Default zone of the `date` helper when the template names none (the account time zone). */
  timeZone?: string;
}

export interface TemplateEngine {
  /** Renders one string. Throws TemplateError on unknown variables, syntax errors, bad Liquid. */
  render(source: string, scope: TemplateScope, opts?: RenderOptions): string;
  /** Renders every string inside a JSON-like value; numbers, booleans and null come back as they are. */
  renderValue<T>(value: T, scope: TemplateScope, opts?: RenderOptions): T;
  /**
   * Static check without data. `available` lists known root paths: `vars.region`, `data.orderId`,
   * or a wildcard `data.*` (anything under `data`).
   */
  check(source: string, available: readonly string[]): TemplateProblem[];
  /** Root variables a template reads (for `render` output and tests). */
  variables(source: string): string[];
  /** Number of compiled templates held in the cache (a cache miss compiles, a hit does not). */
  readonly compiledCount: number;
}

interface Prepared {
  split: SplitTemplate;
  map: PositionMap;
  liquidProblems: TemplateProblem[];
  ast?: hbs.AST.Program;
  syntax?: TemplateProblem;
  analysis?: Analysis;
}

const CACHE_LIMIT = 5000;

const COMPILE_OPTIONS = { strict: true, knownHelpersOnly: true, knownHelpers: KNOWN_HELPERS } as const;

function makeProblem<C extends TemplateCode>(
  map: PositionMap,
  code: C,
  args: ArgsOf<C>,
  start: number,
  end: number,
): TemplateProblem {
  const d = diagnostic(code, args);
  const a = map.lineColumn(start);
  const b = map.lineColumn(Math.max(end, start));
  return { code, message: d.message, hint: d.hint, start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** A problem found inside a partial, reported at the `{{> name}}` call of the template being checked. */
function atCall(map: PositionMap, inner: TemplateProblem, partial: string, start: number, end: number): TemplateProblem {
  const a = map.lineColumn(start);
  const b = map.lineColumn(end);
  return {
    ...inner,
    message: `in partial ${'`'}${partial}${'`'} (line ${inner.line}, column ${inner.column}): ${inner.message}`,
    start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column,
  };
}

function fromLoc(map: PositionMap, loc: { start: { line: number; column: number }; end: { line: number; column: number } }): [number, number] {
  return [map.fromHandlebars(loc.start.line, loc.start.column), map.fromHandlebars(loc.end.line, loc.end.column)];
}

/** Replaces Liquid segments with `{{{__liquid "<base64>"}}}` and records where they went. */
function protectLiquid(source: string, split: SplitTemplate): PositionMap {
  const replacements: Replacement[] = [];
  let out = '';
  let last = 0;
  for (const seg of split.liquid) {
    out += source.slice(last, seg.start);
    const stand = `{{{${LIQUID_HELPER} "${Buffer.from(source.slice(seg.start, seg.end), 'utf8').toString('base64')}"}}}`;
    replacements.push({ oStart: seg.start, oEnd: seg.end, tStart: out.length, tEnd: out.length + stand.length });
    out += stand;
    last = seg.end;
  }
  out += source.slice(last);
  return new PositionMap(source, out, replacements);
}

/** The innermost block left open, or a `{{` without `}}`, in a Handlebars source (offsets in it). */
function unclosedAt(src: string): { start: number; end: number; block?: string } | undefined {
  const stack: { start: number; end: number; block: string }[] = [];
  for (const m of src.matchAll(/\{\{~?\s*([#/])\s*([^\s}~]+)/g)) {
    if (m[1] === '#') stack.push({ start: m.index, end: m.index + m[0].length, block: m[2] });
    else if (stack.length && stack[stack.length - 1].block === m[2]) stack.pop();
  }
  if (stack.length) return stack[stack.length - 1];
  const last = src.lastIndexOf('{{');
  return last >= 0 && src.indexOf('}}', last) < 0 ? { start: last, end: last + 2 } : undefined;
}

/**
 * Variable matching: exact, under a wildcard, deeper than a known leaf, or a prefix of a known path.
 * Compared in place, without a string made per candidate (every variable of every template of a
 * project is matched against its list: 28 ms of a cold plan of 10,000 files when each candidate
 * made two or three).
 */
export function isAvailable(path: string, available: readonly string[]): boolean {
  for (const a of available) {
    if (a.endsWith('.*')) {
      if (atOrUnder(path, a, a.length - 2)) return true;
    } else if (atOrUnder(path, a, a.length) || atOrUnder(a, path, path.length)) return true;
  }
  return false;
}

const DOT = 0x2e;

/** True when `path` is the first `length` characters of `known`, or a path under them. */
function atOrUnder(path: string, known: string, length: number): boolean {
  if (path.length !== length && (path.length < length || path.charCodeAt(length) !== DOT)) return false;
  for (let i = 0; i < length; i++) if (path.charCodeAt(i) !== known.charCodeAt(i)) return false;
  return true;
}

function liquidToProblem(map: PositionMap, p: LiquidProblem): TemplateProblem {
  return makeProblem(map, 'liquid.unbalanced', { tag: p.tag, detail: p.detail }, p.start, p.end);
}

const USER_VISIBLE_HELPERS = Object.keys(KNOWN_HELPERS).filter((n) => n !== LIQUID_HELPER);

/**
 * The engine for a set of partials, one per partials object: everything that renders or checks a
 * project's templates in one run (rules, desired state, render) shares its parse caches.
 */
const engines = new WeakMap<Record<string, string>, TemplateEngine>();

export function createTemplateEngine(opts: { partials: Record<string, string> }): TemplateEngine {
  let engine = engines.get(opts.partials);
  if (!engine) engines.set(opts.partials, (engine = buildEngine(opts.partials)));
  return engine;
}

function buildEngine(partialSources: Record<string, string>): TemplateEngine {
  const prepared = new Map<string, Prepared>();
  const compiled = new Map<string, Handlebars.TemplateDelegate>();

  function prepare(source: string): Prepared {
    let p = prepared.get(source);
    if (p) return p;
    // Sources come from YAML (bounded), but a long-running daemon also renders caller-given
    // strings (ad hoc raise names): keep the caches bounded.
    if (prepared.size >= CACHE_LIMIT) prepared.clear();
    const split = splitTemplate(source);
    const map = protectLiquid(source, split);
    const liquidProblems = [...split.problems, ...checkLiquidBalance(source, split.liquid)].map((lp) => liquidToProblem(map, lp));
    p = { split, map, liquidProblems };
    if (split.hasHandlebars) {
      try {
        p.ast = handlebars().parse(map.transformed);
        p.analysis = analyze(p.ast);
      } catch (err) {
        p.syntax = syntaxProblem(map, err);
      }
    }
    prepared.set(source, p);
    return p;
  }

  function syntaxProblem(map: PositionMap, err: unknown): TemplateProblem {
    const e = err as { message?: string; lineNumber?: number; column?: number; endLineNumber?: number; endColumn?: number };
    let start: number;
    let end: number;
    if (typeof e.lineNumber === 'number') {
      // A Handlebars Exception carrying its node's location (e.g. `{{#if}}...{{/each}}`).
      start = map.fromHandlebars(e.lineNumber, e.column ?? 0);
      end = map.fromHandlebars(e.endLineNumber ?? e.lineNumber, e.endColumn ?? e.column ?? 0);
    } else {
      // A jison parse error: the lexer is left at the offending token (parsing is synchronous).
      const loc = ((handlebars() as unknown as { Parser?: unknown }).Parser as { lexer?: { yylloc?: { first_line: number; first_column: number; last_line: number; last_column: number } } }).lexer?.yylloc;
      start = loc ? map.fromHandlebars(loc.first_line, loc.first_column) : 0;
      end = loc ? map.fromHandlebars(loc.last_line, loc.last_column) : map.original.length;
    }
    const text = String(e.message ?? err);
    const got = /got '([^']+)'/.exec(text)?.[1];
    let detail: string;
    if (got === 'EOF') {
      detail = 'the template ends inside an unclosed `{{#block}}` or `{{`';
      // Point at what was left open rather than at the end of the string.
      const open = unclosedAt(map.transformed);
      if (open) {
        start = map.toOriginal(open.start);
        end = map.toOriginal(open.end);
        detail = open.block ? `${'`'}{{#${open.block}}}${'`'} is never closed with ${'`'}{{/${open.block}}}${'`'}` : '`{{` is never closed with `}}`';
      }
    }
    else if (/^(Parse|Lexical) error/.test(text)) {
      const near = map.original.slice(start, Math.max(end, start + 1)).trim();
      detail = `unexpected ${near ? `${'`'}${near}${'`'}` : 'text'} (to send literal braces write \\{{)`;
    } else detail = text.split('\n')[0].replace(/ - \d+:\d+$/, '');
    return makeProblem(map, 'template.syntax', { detail }, start, Math.max(end, start + 1));
  }

  /** Helper/partial problems found by reading the template, independent of data. */
  function structuralProblems(p: Prepared, seen: Set<string>): TemplateProblem[] {
    const out: TemplateProblem[] = [];
    const a = p.analysis;
    if (!a) return out;
    for (const h of a.unknownHelpers) {
      const [s, e] = fromLoc(p.map, h.loc);
      out.push(makeProblem(p.map, 'template.unknown-helper',
        { name: h.name, known: USER_VISIBLE_HELPERS, suggestion: closest(h.name, USER_VISIBLE_HELPERS) }, s, e));
    }
    for (const h of a.helpers) {
      if (h.name === 'date' && typeof h.literals[2] === 'string' && !isValidTimeZone(h.literals[2])) {
        const [s, e] = fromLoc(p.map, h.loc);
        out.push(makeProblem(p.map, 'template.invalid-argument',
          { helper: 'date', detail: `unknown time zone ${'`'}${h.literals[2]}${'`'} (use an IANA name such as Europe/Berlin)` }, s, e));
      }
    }
    for (const part of a.partials) {
      const [s, e] = fromLoc(p.map, part.loc);
      const src = partialSources[part.name];
      if (src === undefined) {
        const known = Object.keys(partialSources);
        out.push(makeProblem(p.map, 'template.unknown-partial',
          { name: part.name, known, suggestion: closest(part.name, known) }, s, e));
      } else if (!seen.has(part.name)) {
        seen.add(part.name);
        const inner = prepare(src);
        for (const ip of [...inner.liquidProblems, ...(inner.syntax ? [inner.syntax] : []), ...structuralProblems(inner, seen)]) {
          out.push(atCall(p.map, ip, part.name, s, e));
        }
      }
    }
    return out;
  }

  function variableProblems(p: Prepared, available: readonly string[], seen: Set<string>): TemplateProblem[] {
    const out: TemplateProblem[] = [];
    const a = p.analysis;
    if (!a) return out;
    const listed = available.filter((v) => v !== '');
    for (const v of a.variables) {
      if (isAvailable(v.path, listed)) continue;
      const [s, e] = fromLoc(p.map, v.loc);
      const suggestion = closest(v.path, listed.map((x) => x.replace(/\.\*$/, '')));
      out.push(makeProblem(p.map, 'template.unknown-variable', { name: v.path, available: listed, suggestion }, s, e));
    }
    for (const part of a.partials) {
      const src = partialSources[part.name];
      if (src === undefined || !part.rootContext || seen.has(part.name)) continue;
      seen.add(part.name);
      const [s, e] = fromLoc(p.map, part.loc);
      for (const ip of variableProblems(prepare(src), available, seen)) out.push(atCall(p.map, ip, part.name, s, e));
    }
    return out;
  }

  // One isolated Handlebars per escaping mode: a partial compiled for one mode must not leak into
  // the other through Handlebars' partial cache.
  function makeInstance(html: boolean): typeof Handlebars {
    const hb = handlebars().create();
    registerHelpers(hb);
    for (const [name, src] of Object.entries(partialSources)) {
      const p = prepare(src);
      if (p.syntax || p.liquidProblems.length) continue; // reported by check(); render fails on the call
      hb.registerPartial(name, hb.compile(p.map.transformed, { ...COMPILE_OPTIONS, noEscape: !html }));
    }
    return hb;
  }
  let textInstance: typeof Handlebars | undefined;
  let htmlInstance: typeof Handlebars | undefined;
  const instance = (html: boolean) =>
    html ? (htmlInstance ??= makeInstance(true)) : (textInstance ??= makeInstance(false));

  function runtimeProblem(p: Prepared, err: unknown): TemplateProblem | undefined {
    const whole: [number, number] = [0, p.map.original.length];
    if (err instanceof HelperError) {
      const [s, e] = err.loc ? fromLoc(p.map, err.loc) : whole;
      return makeProblem(p.map, 'template.invalid-argument', { helper: err.helper, detail: err.detail }, s, e);
    }
    const e = err as { message?: string; lineNumber?: number; column?: number; endLineNumber?: number; endColumn?: number };
    const message = String(e.message ?? '');
    const missing = /^"([^"]*)" not defined in/.exec(message);
    if (missing) {
      if (typeof e.lineNumber === 'number') {
        const s = p.map.fromHandlebars(e.lineNumber, e.column ?? 0);
        const en = p.map.fromHandlebars(e.endLineNumber ?? e.lineNumber, e.endColumn ?? 0);
        return makeProblem(p.map, 'template.missing-value', { name: p.map.original.slice(s, en).trim() }, s, en);
      }
      // Raised inside a partial: the position is the partial's, so point at the whole string.
      return makeProblem(p.map, 'template.missing-value', { name: missing[1] }, ...whole);
    }
    return undefined;
  }

  function render(source: string, scope: TemplateScope, ropts: RenderOptions = {}): string {
    if (typeof source !== 'string') throw new TypeError('render() takes a string; use renderValue() for other values');
    if (!source.includes('{{') && !source.includes('{%')) return source;
    const p = prepare(source);
    const problems = [...p.liquidProblems, ...(p.syntax ? [p.syntax] : []), ...structuralProblems(p, new Set())];
    if (problems.length) throw new TemplateError(problems);
    if (!p.split.hasHandlebars || !p.ast) return source;
    const html = ropts.html === true;
    const key = `${html ? 'h' : 't'}\u0000${source}`;
    let fn = compiled.get(key);
    if (!fn) {
      if (compiled.size >= CACHE_LIMIT) compiled.clear();
      fn = instance(html).compile(p.map.transformed, { ...COMPILE_OPTIONS, noEscape: !html });
      compiled.set(key, fn);
    }
    try {
      return fn(scope, { data: { [ZONE_DATA_KEY]: ropts.timeZone ?? 'UTC' } });
    } catch (err) {
      const problem = runtimeProblem(p, err);
      if (problem) throw new TemplateError([problem]);
      throw err;
    }
  }

  function renderValue<T>(value: T, scope: TemplateScope, ropts?: RenderOptions): T {
    if (typeof value === 'string') return render(value, scope, ropts) as T;
    if (Array.isArray(value)) return value.map((v) => renderValue(v, scope, ropts)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, scope, ropts);
      return out as T;
    }
    return value; // numbers, booleans, null: never compiled
  }

  function check(source: string, available: readonly string[]): TemplateProblem[] {
    if (typeof source !== 'string' || (!source.includes('{{') && !source.includes('{%'))) return [];
    const p = prepare(source);
    const out = [...p.liquidProblems];
    if (p.syntax) return [...out, p.syntax];
    out.push(...structuralProblems(p, new Set()), ...variableProblems(p, available, new Set()));
    return out.sort((a, b) => a.start - b.start);
  }

  function variables(source: string): string[] {
    if (!source.includes('{{')) return [];
    const p = prepare(source);
    return [...new Set((p.analysis?.variables ?? []).map((v) => v.path))];
  }

  return {
    render,
    renderValue,
    check,
    variables,
    get compiledCount() {
      return compiled.size;
    },
  };
}
