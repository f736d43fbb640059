/** Why the daemon did not start (exit 1), as diagnostics the CLI prints; nothing is left open. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export class DaemonStartError extends Error {
  readonly diagnostics: Diagnostic[];
  /** Where diagnostics' file paths are read from for their excerpts. */
  readonly root: string | undefined;
  constructor(diagnostics: Diagnostic[], root?: string) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.name = 'DaemonStartError';
    this.diagnostics = diagnostics;
    this.root = root;
  }
}
