/**
 * From a position inside a template string to a position in the YAML file. The loader keeps the
 * span of each node, not its text, so the offset of the string's first character is inferred:
 *   - a one-line scalar: one character in when the span is wider than the text (a quote);
 *   - a block scalar (`|`, `>`): content starts on the line after the indicator, indented (by the
 *     usual convention) two columns past the key. Lines are exact; the column is that convention.
 */
import type { Diagnostic, Range } from '../diagnostics/diagnostic.js';
import type { TemplateProblem } from './engine.js';

export interface StringNode {
  /** The span of the scalar node (from `locate`). */
  value?: Range;
  /** The span of its key, when the scalar is a mapping value. */
  key?: Range;
}

function isBlockScalar(value: Range, text: string): boolean {
  return value.endLine > value.line && text.includes('\n');
}

/** Indentation of a block scalar's content: that of its first non-blank line after the header. */
function blockIndent(lines: readonly string[], headerLine: number): number | undefined {
  for (let i = headerLine; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() !== '') return line.length - line.trimStart().length;
  }
  return undefined;
}

export function placeInString(
  node: StringNode,
  text: string,
  pos: { line: number; column: number },
  lines?: readonly string[],
): { line: number; column: number } | undefined {
  const v = node.value;
  if (!v) return undefined;
  if (isBlockScalar(v, text)) {
    const indent = lines ? blockIndent(lines, v.line) : undefined;
    const indentColumn = indent !== undefined ? indent + 1 : node.key ? node.key.column + 2 : v.column;
    return { line: v.line + pos.line, column: indentColumn + pos.column - 1 };
  }
  if (v.line === v.endLine) {
    const first = lines?.[v.line - 1]?.[v.column - 1];
    const quote = first !== undefined ? (first === '"' || first === "'" ? 1 : 0) : v.endColumn - v.column >= text.length + 2 ? 1 : 0;
    return { line: v.line + pos.line - 1, column: v.column + quote + pos.column - 1 };
  }
  // A flow scalar folded over several lines: its line breaks are not the string's; stay on the node.
  return { line: v.line, column: v.column };
}

/** Turns a template problem into a located diagnostic (the whole node when no position is known). */
export function templateDiagnostic(
  problem: TemplateProblem,
  node: StringNode,
  text: string,
  address?: string,
  lines?: readonly string[],
): Diagnostic {
  const d: Diagnostic = { severity: 'error', code: problem.code, message: problem.message };
  if (problem.hint) d.hint = problem.hint;
  const v = node.value;
  if (v) {
    const a = placeInString(node, text, { line: problem.line, column: problem.column }, lines);
    const b = placeInString(node, text, { line: problem.endLine, column: problem.endColumn }, lines);
    d.file = v.file;
    d.line = a?.line ?? v.line;
    d.column = a?.column ?? v.column;
    d.endLine = b?.line ?? v.endLine;
    d.endColumn = b?.column ?? v.endColumn;
  }
  if (address) d.address = address;
  return d;
}

/** A problem inside a template file of its own (an email `body_file`): positions are exact within that file. */
export function fileTemplateDiagnostic(p: TemplateProblem, file: string, address: string): Diagnostic {
  const d: Diagnostic = {
    severity: 'error', code: p.code, message: p.message, file,
    line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn, address,
  };
  if (p.hint) d.hint = p.hint;
  return d;
}
