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
  drift?: { actual: string };
  /** CleverTap used a status the planner does not know. */
  unknownStatus?: string;
}

export function isLive(e: Effective): boolean {
  return e === 'scheduled' || e === 'running';
}

export function assessCampaign(
  a: AppliedResource,
  remoteById: ReadonlyMap<number, RemoteCampaign> | null,
  now: Date,
): CampaignAssessment {
  const started = a.scheduledFor !== null && Date.parse(a.scheduledFor) <= now.getTime();
  const fromState = (): Effective => stateEffective(a, started);
  if (remoteById === null || a.remoteId === null) return { effective: fromState(), remoteStatus: null };

  const remote = remoteById.get(a.remoteId);
  if (!remote) {
    // A campaign campaignctl stopped may well have left the list; that is explained.
    if (a.status === 'stopped') return { effective: 'stopped', remoteStatus: null };
    return { effective: 'missing', remoteStatus: null, drift: { actual: 'missing' } };
  }
  const mapped = mapRemoteStatus(remote.status);
  const base = { remoteStatus: remote.status };
  if (a.status === 'stopped') {
    // Stopped by campaignctl, yet CleverTap says it is live: someone restarted it.
    if (mapped === 'scheduled' || mapped === 'running') return { ...base, effective: mapped, drift: { actual: remote.status } };
    return { ...base, effective: 'stopped' };
  }
  switch (mapped) {
    case 'stopped':
      return { ...base, effective: 'stopped', drift: { actual: remote.status } };
    case 'completed':
      // Completing before its start is not something campaignctl or time explains.
      if (a.status === 'scheduled' && !started) return { ...base, effective: 'finished', drift: { actual: remote.status } };
      return { ...base, effective: 'finished' };
    case 'scheduled':
      // Never less advanced than state: a campaign recorded as sent is not replaceable again.
      return { ...base, effective: fromState() };
    case 'running':
      return { ...base, effective: 'running' };
    default:
      return { ...base, effective: 'running', unknownStatus: remote.status };
  }
}

function stateEffective(a: AppliedResource, started: boolean): Effective {
  switch (a.status) {
    case 'scheduled':
      return started ? 'running' : 'scheduled';
    case 'running':
      return 'running';
    case 'stopped':
      return 'stopped';
    default:
      return 'finished';
  }
}
