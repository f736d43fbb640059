/**
 * Views of diagnostics: the text a person reads (location, severity, code, message, the source
 * line with a caret under the span, the hint) and the JSON document scripts read. Both render the
 * same Diagnostic[]; wording comes from the catalogue, not from here.
 */
import type { Colors } from '../context.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { countBySeverity } from '../../diagnostics/diagnostic.js';
import type { Kind, Resource } from '../../model/resource.js';
import { KINDS } from '../../model/resource.js';

export interface TextViewOptions {
  c: Colors;
  /** The text of a project file (relative path), for the source line; undefined when unavailable. */
  source?: (file: string) => string | undefined;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], opts: TextViewOptions): string {
  return diagnostics.map((d) => formatDiagnostic(d, opts)).join('\n\n');
}

/**
 * campaigns/a.yaml:7:16  error  schema.enum  `spec.target_mode` must be one of ...
 *     7 |   target_mode: pus
 *       |                ^~~
 *       = hint: did you mean `push`?
 */
export function formatDiagnostic(d: Diagnostic, opts: TextViewOptions): string {
  const { c } = opts;
  const paint = d.severity === 'error' ? c.red : c.yellow;
  const where = d.file === undefined ? '' : d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column}`;
  const head = [where && c.bold(where), paint(d.severity), c.dim(d.code), d.message].filter(Boolean).join('  ');
  const lines = [head];
  const gutterWidth = String(d.endLine ?? d.line ?? 0).length + 1;
  const gutter = (label: string) => c.dim(label.padStart(gutterWidth) + ' |');
  const text = d.file !== undefined && d.line !== undefined ? sourceLine(opts.source?.(d.file), d.line) : undefined;
  if (text !== undefined && d.column !== undefined) {
    lines.push(`${gutter(String(d.line))} ${text}`);
    lines.push(`${gutter('')} ${caretPrefix(text, d.column)}${paint(caret(d, text))}`);
  }
  const note = (label: string, value: string) => `${' '.repeat(gutterWidth)} ${c.dim('=')} ${c.cyan(label)}: ${value}`;
  if (d.hint) lines.push(note('hint', d.hint));
  for (const r of d.related ?? []) lines.push(note('see', `${r.file}:${r.line}:${r.column} ${r.message}`));
  return lines.join('\n');
}

function sourceLine(text: string | undefined, line: number): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  for (let n = 1; n < line; n++) {
    start = text.indexOf('\n', start);
    if (start < 0) return undefined;
    start++;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
}

/** Spaces up to the column, keeping tabs so the caret lines up in any terminal. */
function caretPrefix(line: string, column: number): string {
  return line.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
}

/** ^~~~ under the span; a span running onto later lines is underlined to the end of this one. */
function caret(d: Diagnostic, line: string): string {
  const column = d.column ?? 1;
  const end = d.endLine === d.line && d.endColumn !== undefined ? d.endColumn : line.length + 1;
  const width = Math.max(1, end - column);
  return '^' + '~'.repeat(width - 1);
}

const KIND_WORDS: Record<Kind, [string, string]> = {
  Campaign: ['campaign', 'campaigns'],
  Message: ['message', 'messages'],
  ExternalTrigger: ['external trigger', 'external triggers'],
  Bulletin: ['bulletin', 'bulletins'],
  Schedule: ['schedule', 'schedules'],
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `✖ 3 errors, 1 warning in 2 files` or `✓ 7 resources valid (2 campaigns, 1 message, ...)`. */
export function summaryLine(diagnostics: readonly Diagnostic[], resources: readonly Resource[], c: Colors): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const warningText = plural(warnings, 'warning', 'warnings');
  if (errors > 0) {
    const files = new Set(diagnostics.filter((d) => d.file !== undefined).map((d) => d.file)).size;
    const counts = warnings > 0 ? `${plural(errors, 'error', 'errors')}, ${warningText}` : plural(errors, 'error', 'errors');
    return c.red(`✖ ${counts}`) + (files > 0 ? ` in ${plural(files, 'file', 'files')}` : '');
  }
  const perKind = KINDS.map((k) => [k, resources.filter((r) => r.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => plural(n, ...KIND_WORDS[k]));
  const detail = perKind.length ? ` (${perKind.join(', ')})` : '';
  const tail = warnings > 0 ? c.yellow(`, ${warningText}`) : '';
  return c.green(`✓ ${plural(resources.length, 'resource', 'resources')} valid`) + detail + tail;
}

export interface ValidateJson {
  valid: boolean;
  errorCount: number;
  warningCount: number;
  diagnostics: Diagnostic[];
  /** Present when valid: what was found. */
  resources?: { address: string; kind: Kind; file: string; line: number }[];
}

export function validateJson(diagnostics: readonly Diagnostic[], resources: readonly Resource[]): ValidateJson {
  const { errors, warnings } = countBySeverity(diagnostics);
  const doc: ValidateJson = { valid: errors === 0, errorCount: errors, warningCount: warnings, diagnostics: [...diagnostics] };
  if (doc.valid) {
    doc.resources = resources.map((r) => ({ address: r.address, kind: r.kind, file: r.source.file, line: r.source.line }));
  }
  return doc;
}
