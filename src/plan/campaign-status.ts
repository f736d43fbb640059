/**
 * What a managed campaign is doing now, from state and (when refreshed) CleverTap's list, and
 * whether the difference between the two is drift: a change state does not explain.
 *
 * Conservative on purpose: a campaign whose start time has passed is treated as running even if
 * CleverTap still says pending (replacing it would stop a send in progress and start a second one).
 */
import type { AppliedResource, RemoteCampaign } from '../model/applied.js';
import { mapRemoteStatus } from './remote-status.js';

/** live: scheduled or running (can be stopped); finished: ran to its end. */
export type Effective = 'scheduled' | 'running' | 'finished' | 'stopped' | 'missing';

export interface CampaignAssessment {
  effective: Effective;
  /** CleverTap's status verbatim, or null when not refreshed / no id. */
  remoteStatus: string | null;
  /** Set when state does not explain what CleverTap reports. */
  drift: { actual: string } | undefined;
  /** CleverTap used a status the planner does not know. */
  unknownStatus: string | undefined;
}

export function isLive(e: Effective): boolean {
  return e === 'scheduled' || e === 'running';
}

export function assessCampaign(
  a: AppliedResource,
  remoteById: ReadonlyMap<number, RemoteCampaign> | null,
  now: Date,
): CampaignAssessment {
  // Every assessment has the same four fields (undefined when absent): the planner reads them for
  // each of 10,000 campaigns, and one object shape keeps those reads fast. The start is parsed only
  // where the answer depends on it.
  if (remoteById === null || a.remoteId === null) return assessment(stateEffective(a, now), null);
  const remote = remoteById.get(a.remoteId);
  if (!remote) {
    // A campaign campaignctl stopped may well have left the list; that is explained.
    if (a.status === 'stopped') return assessment('stopped', null);
    return assessment('missing', null, 'missing');
  }
  const mapped = mapRemoteStatus(remote.status);
  const shown = remote.status;
  if (a.status === 'stopped') {
    // Stopped by campaignctl, yet CleverTap says it is live: someone restarted it.
    if (mapped === 'scheduled' || mapped === 'running') return assessment(mapped, shown, shown);
    return assessment('stopped', shown);
  }
  switch (mapped) {
    case 'stopped':
      return assessment('stopped', shown, shown);
    case 'completed':
      // Completing before its start is not something campaignctl or time explains.
      if (a.status === 'scheduled' && !hasStarted(a, now)) return assessment('finished', shown, shown);
      return assessment('finished', shown);
    case 'scheduled':
      // Never less advanced than state: a campaign recorded as sent is not replaceable again.
      return assessment(stateEffective(a, now), shown);
    case 'running':
      return assessment('running', shown);
    default:
      return { effective: 'running', remoteStatus: shown, drift: undefined, unknownStatus: shown };
  }
}

function assessment(effective: Effective, remoteStatus: string | null, drift?: string): CampaignAssessment {
  return { effective, remoteStatus, drift: drift === undefined ? undefined : { actual: drift }, unknownStatus: undefined };
}

function hasStarted(a: AppliedResource, now: Date): boolean {
  if (a.scheduledFor === null) return false;
  let start = starts.get(a);
  if (start === undefined) {
    start = Date.parse(a.scheduledFor);
    if (Object.isFrozen(a)) starts.set(a, start);
  }
  return start <= now.getTime();
}

/**
 * The parsed start of frozen rows (state's rows, kept across the daemon's plans while its revision
 * stands): a frozen row's start can not change, and parsing 10,000 of them cost ~3 ms a plan.
 */
const starts = new WeakMap<AppliedResource, number>();

function stateEffective(a: AppliedResource, now: Date): Effective {
  switch (a.status) {
    case 'scheduled':
      return hasStarted(a, now) ? 'running' : 'scheduled';
    case 'running':
      return 'running';
    case 'stopped':
      return 'stopped';
    default:
      return 'finished';
  }
}
