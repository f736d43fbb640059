/**
 * campaignctl_clevertap_requests_total{endpoint,status}: client hooks to pass when the daemon opens
 * its operation context (`openContext(project, { connect: { hooks: clevertapMetricHooks(metrics) } })`).
 * One count per HTTP attempt, retries included; `status` is the HTTP status, or `error` when no
 * answer came (timeout, connection refused or reset).
 */
import type { ClientHooks } from '../clevertap/client.js';
import type { DaemonMetrics } from './metrics.js';

export function clevertapMetricHooks(metrics: DaemonMetrics, chain: ClientHooks = {}): ClientHooks {
  return {
    ...chain,
    onResponse(e) {
      metrics.clevertapRequestsTotal.inc({ endpoint: e.endpoint, status: e.httpStatus === null ? 'error' : String(e.httpStatus) });
      chain.onResponse?.(e);
    },
  };
}
