/**
 * Whether a scheduled campaign whose create got no clear answer exists: its marker (in the name a
 * tick gives it) looked up in CleverTap's list over the days around the fire, as apply settles an
 * ambiguous create. Found: the run is `done` with the campaign's id. Not found proves nothing here
 * (a real account may list a campaign a while after it took it), so the run stays `unknown` for
 * `state resolve`: a tick is never created twice.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import { windowAround } from '../apply/dates.js';
import { markerOf } from '../apply/marker.js';

export type ReadBack = { found: number } | { found: null; why: string };

export async function findTickCampaign(client: Pick<CleverTapClient, 'listCampaigns'>, marker: string, fireTime: Date, accountTimezone: string): Promise<ReadBack> {
  const w = windowAround(fireTime, accountTimezone);
  try {
    const listed = await client.listCampaigns(w.from, w.to);
    const hit = listed.find((c) => markerOf(c.name) === marker);
    return hit ? { found: hit.id } : { found: null, why: `no campaign named with [cc:${marker}] is listed for ${w.from}-${w.to} yet` };
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    return { found: null, why: `the read-back of CleverTap's list failed (${err.message})` };
  }
}
