/**
 * `GET /__sandbox/`: the URL `sandbox serve --inspect` prints. What the emulator holds right now,
 * and every control endpoint with its link, so the printed URL is a place to start.
 */
import type { SandboxControl } from './control.js';

export const CONTROL_ENDPOINTS: readonly { method: string; path: string; what: string }[] = [
  { method: 'GET', path: '/requests', what: 'request log (bodies, no auth headers; `unlisted` fields, the refusing `rule`); ?family=F&path=P' },
  { method: 'DELETE', path: '/requests', what: 'clear the request log' },
  { method: 'GET', path: '/campaigns', what: 'campaigns with their current status' },
  { method: 'GET', path: '/campaigns/:id', what: 'one campaign' },
  { method: 'POST', path: '/campaigns/:id/complete', what: '{sent?, clicked?}: report it as completed' },
  { method: 'POST', path: '/campaigns/:id/stop', what: 'a stop made on the dashboard' },
  { method: 'GET', path: '/sends', what: 'accepted identity sends, External Trigger calls and raises' },
  { method: 'GET', path: '/clock', what: '{now}' },
  { method: 'POST', path: '/clock', what: '{set: ISO} or {advanceMs: N}' },
  { method: 'POST', path: '/reset', what: 'empty the account (dashboard objects kept)' },
  { method: 'GET', path: '/registered', what: 'dashboard objects: External Trigger campaigns, business events, control groups' },
  { method: 'POST', path: '/external-triggers', what: '{ids: [...]}' },
  { method: 'POST', path: '/business-events', what: '{names: [...]}' },
  { method: 'POST', path: '/control-groups', what: '{names: [...]}' },
  { method: 'GET', path: '/concurrency', what: '{limit, inFlight, peak} per API family' },
  { method: 'DELETE', path: '/concurrency', what: 'reset the peaks' },
  { method: 'GET', path: '/faults', what: 'scripted faults still pending' },
  { method: 'POST', path: '/faults', what: '{next: [{fault, family?, count?}]}' },
];

export function inspectionIndex(control: SandboxControl): Record<string, unknown> {
  const campaigns = control.campaigns();
  const byStatus: Record<string, number> = {};
  for (const c of campaigns) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const requests = control.requests();
  return {
    emulator: 'campaignctl sandbox: the CleverTap API emulator (these control endpoints are its own, not CleverTap\'s)',
    accountId: control.accountId,
    now: control.now().toISOString(),
    strict: control.strict,
    holds: {
      campaigns: { total: campaigns.length, byStatus },
      sends: control.sends().length,
      requests: { logged: requests.length, withUnlistedFields: requests.filter((r) => r.unlisted.length > 0).length },
      registered: control.registered(),
      pendingFaults: control.pendingFaults().length,
    },
    endpoints: CONTROL_ENDPOINTS.map((e) => ({ ...e, href: `/__sandbox${e.path}` })),
  };
}
