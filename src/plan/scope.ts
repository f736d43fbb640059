/**
 * Scoping (`--target`, `--selector`, `--changed-since`): which desired and applied resources the
 * plan considers. Each kind of filter matches any of its values; given several kinds, a resource
 * must match all of them. Applied resources are matched by their recorded address, labels and file,
 * so a resource whose file was deleted is still found through state.
 *
 * Scope is decided per ADDRESS: when either the desired or the applied side of an address matches,
 * both sides are planned. Filtering the sides separately would be dangerous: a campaign whose label
 * moved from team=growth to team=retention would look "gone from YAML" under --selector team=growth
 * and be stopped.
 */
import type { AppliedResource } from '../model/applied.js';
import { baseAddress } from './addresses.js';
import type { DesiredResource, PlanScope } from './types.js';

export interface ScopeFilter {
  active: boolean;
  desired(d: DesiredResource): boolean;
  applied(a: AppliedResource): boolean;
  /** `--target campaign.a, --selector team=growth` for the partial-plan warning. */
  describe: string;
}

export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}


export function scopeFilter(scope: PlanScope | undefined): ScopeFilter {
  const addresses = scope?.addresses && scope.addresses.length > 0 ? new Set(scope.addresses.map(baseAddress)) : undefined;
  const selector = scope?.selector && Object.keys(scope.selector).length > 0 ? Object.entries(scope.selector) : undefined;
  const files = scope?.files ? new Set(scope.files.map(normalizePath)) : undefined;

  const matches = (address: string, labels: Record<string, string>, file: string | null | undefined): boolean => {
    if (addresses && !addresses.has(baseAddress(address))) return false;
    if (selector && !selector.every(([k, v]) => labels[k] === v)) return false;
    if (files && (file == null || !files.has(normalizePath(file)))) return false;
    return true;
  };

  const parts: string[] = [];
  if (addresses) parts.push(...[...addresses].sort().map((a) => `--target ${a}`));
  if (selector) parts.push(...selector.map(([k, v]) => `--selector ${k}=${v}`));
  if (files) parts.push(`--changed-since (${files.size} changed file${files.size === 1 ? '' : 's'})`);

  return {
    active: Boolean(addresses || selector || files),
    desired: (d) => matches(d.resource.address, d.resource.labels, d.resource.source.file),
    applied: (a) => matches(a.address, a.labels, a.file),
    describe: parts.join(', '),
  };
}

/** Addresses in scope, or null when the plan is not scoped. */
export function addressesInScope(
  desired: readonly DesiredResource[],
  applied: readonly AppliedResource[],
  filter: ScopeFilter,
): Set<string> | null {
  if (!filter.active) return null;
  const out = new Set<string>();
  for (const d of desired) if (filter.desired(d)) out.add(d.resource.address);
  for (const a of applied) if (filter.applied(a)) out.add(a.address);
  return out;
}
