/**
 * A user problem is a value, never an exception: every layer returns Diagnostic[] and the CLI views
 * (text, JSON, markdown) render the same data. Wording comes from the catalogue in ./catalogue.ts.
 */
export type Severity = 'error' | 'warning';

/** Another place that belongs to the same problem (e.g. the first definition of a duplicate). */
export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A span in a project file; line and column are 1-based, the end is exclusive. */
export interface Range {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `schema.required`; listed in the catalogue. */
  code: string;
  message: string;
  /** Path relative to the project root, with forward slashes. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Resource address (`campaign.winter-sale`) when the problem belongs to one. */
  address?: string;
  hint?: string;
  related?: RelatedLocation[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
