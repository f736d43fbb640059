/**
 * Audience estimates for a plan: `targets/create.json` with `estimate_only: true` (creates
 * nothing) for the changes needsEstimate() picks, at most 100 per plan. All are started at once;
 * the client's semaphore keeps CleverTap's 3 concurrent requests and its creates-per-second window.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import type { EstimateRequest } from '../plan/finalize.js';
import type { Estimate } from '../plan/types.js';
import type { CampaignCreateBody } from '../render/campaign.js';

export interface EstimateOutcome {
  /** address -> estimate, or null when the call failed (finalizePlan marks it failed). */
  estimates: Map<string, Estimate | null>;
  /** address -> why the estimate failed. */
  failures: Map<string, string>;
}

export async function estimateChanges(
  client: CleverTapClient,
  request: EstimateRequest,
  bodies: ReadonlyMap<string, CampaignCreateBody>,
): Promise<EstimateOutcome> {
  const estimates = new Map<string, Estimate | null>();
  const failures = new Map<string, string>();
  await Promise.all(
    request.addresses.map(async (address) => {
      const body = bodies.get(address);
      if (!body) return; // not rendered (a render error refuses the plan anyway): not estimated
      try {
        const { estimates: byPlatform } = await client.estimateCampaign(body);
        estimates.set(address, { total: Object.values(byPlatform).reduce((a, b) => a + b, 0), byPlatform });
      } catch (err) {
        if (!(err instanceof CleverTapError)) throw err;
        estimates.set(address, null);
        failures.set(address, err.message);
      }
    }),
  );
  return { estimates, failures };
}
