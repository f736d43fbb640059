/**
 * Gathers the diagnostics of one render, placed in the resource's YAML when the context can
 * locate nodes, and renders template strings (a failed string stays as written in the body,
 * its problems reported).
 */
import { TemplateError, type RenderOptions, type TemplateScope } from '../templates/engine.js';
import { fileTemplateDiagnostic, templateDiagnostic } from '../templates/place.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RenderContext } from './context.js';
import type { PathProblem } from '../time/when.js';

export class Collector {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly address: string,
    readonly ctx: RenderContext,
  ) {}

  /** A diagnostic about the node at `path` of the resource's document. */
  at(path: (string | number)[], d: Diagnostic): void {
    const range = this.ctx.locate?.(this.address, path);
    const out: Diagnostic = { ...d, address: this.address };
    if (range) Object.assign(out, { file: range.file, line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn });
    this.diagnostics.push(out);
  }

  /** Problems whose paths are relative to `base`. */
  all(base: (string | number)[], problems: readonly PathProblem[]): void {
    for (const p of problems) this.at([...base, ...p.path], p.diagnostic);
  }

  /** A diagnostic about the resource as a whole, or not about YAML at all (e.g. the data given). */
  plain(d: Diagnostic): void {
    this.diagnostics.push({ ...d, address: this.address });
  }

  /**
   * Renders a string found at `path` in the YAML (undefined: not from the YAML, e.g. an ad hoc
   * raise); on problems reports them and keeps the text.
   */
  text(path: (string | number)[] | undefined, text: string, scope: TemplateScope, opts: RenderOptions): string {
    try {
      return this.ctx.engine.render(text, scope, opts);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      const value = path ? this.ctx.locate?.(this.address, path) : undefined;
      const lines = value ? this.ctx.sourceLines?.(value.file) : undefined;
      for (const p of err.problems) this.diagnostics.push(templateDiagnostic(p, { value }, text, this.address, lines));
      return text;
    }
  }

  /** Renders a file's text (email body_file); problem positions are exact within the file. */
  fileText(file: string, text: string, scope: TemplateScope, opts: RenderOptions): string {
    try {
      return this.ctx.engine.render(text, scope, opts);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      for (const p of err.problems) this.diagnostics.push(fileTemplateDiagnostic(p, file, this.address));
      return text;
    }
  }
}
