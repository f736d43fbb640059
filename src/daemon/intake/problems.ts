/**
 * Diagnostics as the HTTP API answers them: the same codes, messages and hints the CLI prints
 * (wording stays in the catalogue), as plain JSON. Where a problem is in a project file (a broken
 * contract), its place is kept so the operator can find it.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export interface Problem {
  code: string;
  message: string;
  hint?: string;
  address?: string;
  file?: string;
  line?: number;
  column?: number;
}

export function problemsOf(diagnostics: readonly Diagnostic[]): Problem[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const p: Problem = { code: d.code, message: d.message };
      if (d.hint !== undefined) p.hint = d.hint;
      if (d.address !== undefined) p.address = d.address;
      if (d.file !== undefined) p.file = d.file;
      if (d.line !== undefined) p.line = d.line;
      if (d.column !== undefined) p.column = d.column;
      return p;
    });
}
