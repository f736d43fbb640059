/**
 * Parsing one file: a pure function of (path, text), so that results can be cached by content hash
 * and computed on worker threads. Output is plain data: each document's JavaScript value plus the
 * source span of every node, keyed by JSON pointer, for diagnostics and `locate`.
 */
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { At } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import {
  FORBIDDEN_KEYS,
  MAX_ALIAS_COUNT,
  MAX_DEPTH,
  MAX_FILE_BYTES,
  findExcessiveNesting,
  lineColumnAt,
} from './guards.js';
import { escapeSegment } from './positions.js';
import type { PositionIndex, Span } from './positions.js';
import { yamlLib } from './yaml-lib.js';

export interface ParsedDocument {
  /** 0-based position of the document in its file. */
  index: number;
  /** False when the document has YAML errors or tripped a guard: `value` is then not usable. */
  ok: boolean;
  value: unknown;
  /** Where the document's content starts (1-based line, column). */
  line: number;
  column: number;
  positions: PositionIndex;
}

export interface ParsedFile {
  file: string;
  /** Documents with content; empty documents (only comments, a trailing `---`) are left out. */
  documents: ParsedDocument[];
  /** YAML syntax problems and guard violations, located. */
  diagnostics: Diagnostic[];
}

export function parseFile(file: string, text: string): ParsedFile {
  const out: ParsedFile = { file, documents: [], diagnostics: [] };
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_FILE_BYTES) {
    out.diagnostics.push(diagnostic('file.too-large', { size, limit: MAX_FILE_BYTES }, pointAt(file, 1, 1)));
    return out;
  }
  const deep = findExcessiveNesting(text);
  if (deep !== undefined) {
    const { line, column } = lineColumnAt(text, deep);
    out.diagnostics.push(diagnostic('yaml.too-deep', { limit: MAX_DEPTH }, pointAt(file, line, column)));
    return out;
  }
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    // Warnings (e.g. collection keys) become diagnostics, not process warnings on stderr.
    logLevel: 'error',
  });
  const span = (start: number, end: number): Span => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return [a.line, a.col, b.line, b.col];
  };
  let index = 0;
  for (const doc of docs) {
    const parsed = parseDocument(file, text, doc, index, span, out.diagnostics);
    index++;
    if (parsed) out.documents.push(parsed);
  }
  return out;
}

type SpanOf = (start: number, end: number) => Span;

function parseDocument(
  file: string,
  text: string,
  doc: Document.Parsed,
  index: number,
  span: SpanOf,
  diagnostics: Diagnostic[],
): ParsedDocument | undefined {
  const contents = doc.contents;
  const errors = firstOfCascade(doc.errors);
  for (const e of errors) diagnostics.push(yamlErrorDiagnostic(file, text, e));
  for (const w of doc.warnings) diagnostics.push(diagnostic('yaml.warning', { detail: firstLine(w.message) }, errorAt(file, text, w)));
  if (isEmpty(contents)) return undefined;
  const range = contents!.range ?? [0, 0, 0];
  const [line, column] = span(range[0], range[0]);
  const parsed: ParsedDocument = { index, ok: errors.length === 0, value: undefined, line, column, positions: new Map() };
  if (!parsed.ok) return parsed;

  const walk = new Walk(file, span);
  walk.node(contents!, '', undefined, 1);
  parsed.positions = walk.positions;
  if (walk.problems.length) {
    diagnostics.push(...walk.problems);
    parsed.ok = false;
    return parsed;
  }
  try {
    parsed.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (an alias bomb).
    if (!(err instanceof ReferenceError)) throw err;
    const where = walk.firstAlias ?? [line, column, line, column];
    diagnostics.push(diagnostic('yaml.alias-limit', { limit: MAX_ALIAS_COUNT }, spanAt(file, where)));
    parsed.ok = false;
  }
  return parsed;
}

/** Walks the node tree once: positions, depth limit, forbidden keys. Never follows aliases. */
class Walk {
  readonly positions: PositionIndex = new Map();
  readonly problems: Diagnostic[] = [];
  firstAlias: Span | undefined;
  private tooDeep = false;

  constructor(
    private readonly file: string,
    private readonly span: SpanOf,
  ) {}

  node(node: unknown, pointer: string, key: Span | undefined, depth: number): void {
    if (!node || typeof node !== 'object') return;
    const { isAlias, isMap, isPair, isSeq } = yamlLib();
    const n = node as YamlNode;
    const r = n.range;
    if (r) this.positions.set(pointer, key ? { value: this.span(r[0], r[1]), key } : { value: this.span(r[0], r[1]) });
    if (isAlias(n)) {
      if (!this.firstAlias && r) this.firstAlias = this.span(r[0], r[1]);
      return;
    }
    if (!isMap(n) && !isSeq(n)) return;
    if (depth > MAX_DEPTH) {
      if (!this.tooDeep && r) this.problems.push(diagnostic('yaml.too-deep', { limit: MAX_DEPTH }, spanAt(this.file, this.span(r[0], r[0] + 1))));
      this.tooDeep = true;
      return;
    }
    if (isSeq(n)) {
      n.items.forEach((item, i) => this.node(item, pointer + '/' + i, undefined, depth + 1));
      return;
    }
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyText = keyString(keyNode);
      const keyRange = keyNode && typeof keyNode === 'object' ? keyNode.range : undefined;
      const keySpan = keyRange ? this.span(keyRange[0], keyRange[1]) : undefined;
      if (FORBIDDEN_KEYS.has(keyText) && keySpan) {
        this.problems.push(diagnostic('yaml.forbidden-key', { key: keyText }, spanAt(this.file, keySpan)));
      }
      if (isAlias(keyNode) && !this.firstAlias && keySpan) this.firstAlias = keySpan;
      this.node(pair.value, pointer + '/' + escapeSegment(keyText), keySpan, depth + 1);
    }
  }
}

/** The property name yaml's toJS gives a key: scalars by value, null as '' (no collection keys matter here). */
function keyString(key: YamlNode | null): string {
  if (key === null || key === undefined) return '';
  if (yamlLib().isScalar(key)) return key.value === null ? '' : String(key.value);
  return String(key);
}

function isEmpty(contents: unknown): boolean {
  if (contents === null || contents === undefined) return true;
  // A document of only comments parses as a zero-width null scalar.
  return yamlLib().isScalar(contents) && contents.value === null && !!contents.range && contents.range[0] === contents.range[1];
}

/**
 * After the first syntax error the parser is lost and reports follow-on errors for one mistake (a
 * tab in the indentation gives four). Keep the first, plus every duplicate key (never a cascade).
 */
function firstOfCascade(errors: YAMLError[]): YAMLError[] {
  const first = errors.find((e) => e.code !== 'DUPLICATE_KEY' && e.code !== 'RESOURCE_EXHAUSTION');
  const exhausted = errors
    .filter((e) => e.code === 'RESOURCE_EXHAUSTION')
    .reduce<YAMLError | undefined>((min, e) => (min === undefined || e.pos[0] < min.pos[0] ? e : min), undefined);
  const keep = new Set<YAMLError>(errors.filter((e) => e.code === 'DUPLICATE_KEY'));
  // Too deep for the composer: one error, at the first place it gave up.
  if (exhausted) keep.add(exhausted);
  else if (first) keep.add(first);
  return errors.filter((e) => keep.has(e));
}

function yamlErrorDiagnostic(file: string, text: string, e: YAMLError): Diagnostic {
  const where = errorAt(file, text, e);
  if (e.code === 'DUPLICATE_KEY') {
    // yaml points at the first character of the repeated key; read the key from there.
    const rest = text.slice(e.pos[0]).split('\n')[0];
    const key = /^("[^"]*"|'[^']*'|[^:#]*?)\s*:(\s|$)/.exec(rest)?.[1] ?? rest.trim();
    if (where.line !== undefined && where.column !== undefined) where.endColumn = where.column + Math.max(1, key.length);
    return diagnostic('yaml.duplicate-key', { key: key.replace(/^["']|["']$/g, '') }, where);
  }
  if (e.code === 'RESOURCE_EXHAUSTION') return diagnostic('yaml.too-deep', { limit: MAX_DEPTH }, where);
  return diagnostic('yaml.syntax', { detail: firstLine(e.message) }, where);
}

function errorAt(file: string, text: string, e: YAMLError): At {
  // "Missing ]" or "missing quote" found at the end of the file: show the last line that has
  // text, where the opening is more likely to be, rather than an empty line.
  const content = text.trimEnd().length;
  if (e.pos[0] >= content && content > 0) {
    const { line, column } = lineColumnAt(text, content - 1);
    return { file, line, column, endLine: line, endColumn: column + 1 };
  }
  if (!e.linePos) return { file };
  const [a, b] = e.linePos;
  const end = b ?? { line: a.line, col: a.col + 1 };
  return { file, line: a.line, column: a.col, endLine: end.line, endColumn: Math.max(end.col, a.line === end.line ? a.col + 1 : end.col) };
}

/** "Implicit keys need to be on a single line at line 2, column 3:\n..." -> "Implicit keys need to be on a single line". */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

function pointAt(file: string, line: number, column: number) {
  return { file, line, column, endLine: line, endColumn: column + 1 };
}

function spanAt(file: string, s: Span) {
  return { file, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] };
}
