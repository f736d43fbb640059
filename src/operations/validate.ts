/**
 * Whether a loaded project is valid: YAML, schemas, templates and the cross-resource rules were
 * checked while loading it; this reads the verdict. Opens no state and never talks to CleverTap,
 * so it takes the project, not a context.
 */
import type { Project } from '../config/project.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';

export interface Validation {
  /** No diagnostic is an error (warnings may remain). */
  valid: boolean;
  diagnostics: readonly Diagnostic[];
  resources: readonly Resource[];
}

/** A promise like every operation's, though nothing here waits: a caller's code does not change if it ever does. */
export function validate(project: Project): Promise<Validation> {
  return Promise.resolve({ valid: !hasErrors(project.diagnostics), diagnostics: project.diagnostics, resources: project.resources() });
}
