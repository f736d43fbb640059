/**
 * Static analysis of a parsed Handlebars template (Liquid already replaced): which root variables it
 * reads, which helpers and partials it calls. Paths inside `#each` / `#with` are relative to an item
 * whose shape is unknown here, so only root-relative paths (`vars.x`, `@root.data.y`, `../x` back to
 * the root) are checked against the available variables.
 */
// Loads Handlebars' ambient `hbs.AST` types.
import type {} from 'handlebars';
import { CONTEXT_HELPERS, KNOWN_HELPERS, LIQUID_HELPER } from './helpers.js';

type Loc = hbs.AST.SourceLocation;

export interface VariableRef {
  /** Root-relative dotted path: `vars.region`, `data.order.id`. */
  path: string;
  loc: Loc;
}

export interface HelperRef {
  name: string;
  loc: Loc;
  /** Literal arguments, for checks like a literal time zone given to `date`. */
  literals: (string | number | boolean | undefined)[];
}

export interface PartialRef {
  name: string;
  loc: Loc;
  /** True when the partial is rendered with the root context (so its variables can be checked). */
  rootContext: boolean;
}

export interface Analysis {
  variables: VariableRef[];
  helpers: HelperRef[];
  unknownHelpers: HelperRef[];
  partials: PartialRef[];
  /** `{{> (expr)}}`: a partial name computed at render time cannot be checked. */
  dynamicPartials: Loc[];
}

interface Walk {
  /** Context stack: true for a frame whose `this` is the root scope. */
  contexts: boolean[];
  /** Block parameter names in scope (`as |item|`). */
  blockParams: string[][];
  out: Analysis;
}

function literalOf(e: hbs.AST.Expression): string | number | boolean | undefined {
  switch (e.type) {
    case 'StringLiteral':
      return (e as hbs.AST.StringLiteral).value;
    case 'NumberLiteral':
      return (e as hbs.AST.NumberLiteral).value;
    case 'BooleanLiteral':
      return (e as hbs.AST.BooleanLiteral).value;
    default:
      return undefined;
  }
}

function visitPath(p: hbs.AST.PathExpression, w: Walk): void {
  if (p.data) {
    // @root.x.y is root-relative; @index, @key, @first, @last are fine wherever they appear.
    if (p.parts[0] === 'root' && p.parts.length > 1) w.out.variables.push({ path: p.parts.slice(1).join('.'), loc: p.loc });
    return;
  }
  if (p.parts.length === 0) return; // `this` / `.`
  if (p.depth === 0 && w.blockParams.some((names) => names.includes(p.parts[0]))) return;
  const frame = w.contexts.length - 1 - p.depth;
  if (frame >= 0 && w.contexts[frame]) w.out.variables.push({ path: p.parts.join('.'), loc: p.loc });
}

function visitExpr(e: hbs.AST.Expression, w: Walk): void {
  if (e.type === 'PathExpression') visitPath(e as hbs.AST.PathExpression, w);
  else if (e.type === 'SubExpression') {
    const s = e as hbs.AST.SubExpression;
    helperCall(s.path, s.params, s.loc, w);
    visitArgs(s.params, s.hash, w);
  }
}

function visitArgs(params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, w: Walk): void {
  for (const p of params) visitExpr(p, w);
  for (const pair of hash?.pairs ?? []) visitExpr(pair.value, w);
}

function helperCall(path: hbs.AST.PathExpression, params: hbs.AST.Expression[], loc: Loc, w: Walk): void {
  const ref: HelperRef = { name: path.original, loc, literals: params.map(literalOf) };
  if (KNOWN_HELPERS[path.original] && !path.data && path.depth === 0) {
    if (path.original !== LIQUID_HELPER) w.out.helpers.push(ref);
  } else w.out.unknownHelpers.push(ref);
}

function visitProgram(prog: hbs.AST.Program | undefined, w: Walk, context?: boolean): void {
  if (!prog) return;
  if (context !== undefined) w.contexts.push(context);
  w.blockParams.push(prog.blockParams ?? []);
  for (const stmt of prog.body) visitStatement(stmt, w);
  w.blockParams.pop();
  if (context !== undefined) w.contexts.pop();
}

function visitStatement(s: hbs.AST.Statement, w: Walk): void {
  switch (s.type) {
    case 'MustacheStatement': {
      const m = s as hbs.AST.MustacheStatement;
      if (m.path.type !== 'PathExpression') return; // a literal `{{"x"}}`
      const path = m.path as hbs.AST.PathExpression;
      const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || !!KNOWN_HELPERS[path.original];
      if (isCall) helperCall(path, m.params, m.loc, w);
      else visitPath(path, w);
      visitArgs(m.params, m.hash, w);
      return;
    }
    case 'BlockStatement': {
      const b = s as hbs.AST.BlockStatement;
      const name = b.path.original;
      const hasArgs = b.params.length > 0 || (b.hash?.pairs.length ?? 0) > 0;
      if (KNOWN_HELPERS[name] || hasArgs) {
        helperCall(b.path, b.params, b.loc, w);
        visitArgs(b.params, b.hash, w);
        visitProgram(b.program, w, CONTEXT_HELPERS.has(name) ? false : undefined);
        visitProgram(b.inverse, w);
      } else {
        // `{{#vars.list}}...{{/vars.list}}`: a section over a value, which becomes the context.
        visitPath(b.path, w);
        visitProgram(b.program, w, false);
        visitProgram(b.inverse, w);
      }
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement': {
      const p = s as hbs.AST.PartialStatement;
      if (p.name.type === 'SubExpression') {
        w.out.dynamicPartials.push(p.loc);
        visitExpr(p.name, w);
      } else {
        const rootContext = w.contexts[w.contexts.length - 1] && p.params.length === 0 && (p.hash?.pairs.length ?? 0) === 0;
        w.out.partials.push({ name: (p.name as hbs.AST.PathExpression).original, loc: p.loc, rootContext });
      }
      visitArgs(p.params, p.hash, w);
      if (s.type === 'PartialBlockStatement') visitProgram((s as hbs.AST.PartialBlockStatement).program, w);
      return;
    }
    default:
      return; // content, comments, decorators
  }
}

export function analyze(ast: hbs.AST.Program): Analysis {
  const out: Analysis = { variables: [], helpers: [], unknownHelpers: [], partials: [], dynamicPartials: [] };
  visitProgram(ast, { contexts: [true], blockParams: [], out });
  return out;
}
