/**
 * State rows whose `spec` is not loaded, for a first, optimistic plan. A plan that finds nothing
 * to change never shows an applied spec (specs appear only as the `before` of a change, in diffs,
 * and for bulletin occurrences), and parsing 10,000 specs out of the state is most of the cost of
 * reading it. So the planner first runs on rows without specs; reading `spec` on any row (directly,
 * by spreading or serializing it) is recorded, and then the caller plans again on the full rows.
 * The planner is pure: when no spec was read, its result can not depend on the specs.
 */
import type { AppliedResource } from '../model/applied.js';
import type { AppliedWithoutSpec } from '../state/store.js';

export function specsOnDemand(rows: readonly AppliedWithoutSpec[]): { applied: AppliedResource[]; specRead: () => boolean } {
  let read = false;
  const spec: PropertyDescriptor = {
    enumerable: true,
    get() {
      read = true;
      return undefined;
    },
  };
  const applied = rows.map((row) => Object.defineProperty({ ...row }, 'spec', spec) as AppliedResource);
  return { applied, specRead: () => read };
}
