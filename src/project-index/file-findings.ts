/**
 * The per-resource rules over one freshly checked file, as the worker pool runs them while the other
 * files are still being checked (../config/check-pool.ts): what the project index would find for
 * each resource once all are checked (./project-index.ts #runRules), with the same
 * context. Per-resource rules read only their resource, its own file's positions (locateIn), the
 * environment, the partials, the files it names and the clock, so one file is all they need.
 */
import type { FileFindings, PoolRules } from '../config/check-pool.js';
import { locator } from '../config/locator.js';
import { resourceRules, type RuleContext } from '../config/rules/index.js';
import type { StoredCheck } from '../config/stored-check.js';
import { readsOf } from './reads.js';

/** Per resource of `check`, in order: its findings, until when they stand, and what it reads. */
export function fileFindings(root: string, file: string, sha256: string, check: StoredCheck, rules: PoolRules): FileFindings {
  if (check.resources.length === 0) return [];
  const located = locator(root, check.resources, [{ path: file, sha256 }], (f) => (f === file ? check : undefined));
  const ctx: RuleContext = { root, resources: check.resources, environment: rules.environment, partials: rules.partials, ...located, now: new Date(rules.now) };
  return check.resources.map((r) => {
    const found = resourceRules(r, ctx);
    return [found.diagnostics, found.until, readsOf(root, r, rules.partials)];
  });
}
