/**
 * The daemon's Prometheus metrics (GET /metrics), one registry per daemon so tests can run several
 * in one process. Names and labels are the contract; change them only with the docs.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface DaemonMetrics {
  registry: Registry;
  reconcileTotal: Counter<'result'>;
  reconcileDuration: Histogram;
  planPendingChanges: Gauge;
  applyChangesTotal: Counter<'action' | 'result'>;
  scheduleFiresTotal: Counter<'result'>;
  scheduleFireLag: Histogram;
  outboxItems: Gauge<'status'>;
  clevertapRequestsTotal: Counter<'endpoint' | 'status'>;
  gitFetchTotal: Counter<'result'>;
  webhookRequestsTotal: Counter<'result'>;
  leader: Gauge;
}

export function createMetrics(): DaemonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'campaignctl_' });
  const registers = [registry];
  return {
    registry,
    reconcileTotal: new Counter({ name: 'campaignctl_reconcile_total', help: 'Reconciles, by result.', labelNames: ['result'], registers }),
    reconcileDuration: new Histogram({
      name: 'campaignctl_reconcile_duration_seconds',
      help: 'How long a reconcile took (refresh, plan and any apply).',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    planPendingChanges: new Gauge({ name: 'campaignctl_plan_pending_changes', help: 'Changes the last plan found and did not apply.', registers }),
    applyChangesTotal: new Counter({ name: 'campaignctl_apply_changes_total', help: 'Changes applied, by action and result.', labelNames: ['action', 'result'], registers }),
    scheduleFiresTotal: new Counter({ name: 'campaignctl_schedule_fires_total', help: 'Schedule ticks decided, by result.', labelNames: ['result'], registers }),
    scheduleFireLag: new Histogram({
      name: 'campaignctl_schedule_fire_lag_seconds',
      help: 'From a tick instant to its fire.',
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300],
      registers,
    }),
    outboxItems: new Gauge({ name: 'campaignctl_outbox_items', help: 'Outbox items, by status.', labelNames: ['status'], registers }),
    clevertapRequestsTotal: new Counter({
      name: 'campaignctl_clevertap_requests_total',
      help: 'Requests to CleverTap, by endpoint and HTTP status (or "error").',
      labelNames: ['endpoint', 'status'],
      registers,
    }),
    gitFetchTotal: new Counter({ name: 'campaignctl_git_fetch_total', help: 'Git fetches, by result.', labelNames: ['result'], registers }),
    webhookRequestsTotal: new Counter({ name: 'campaignctl_webhook_requests_total', help: 'Webhook requests, by result.', labelNames: ['result'], registers }),
    leader: new Gauge({ name: 'campaignctl_leader', help: '1 while this replica holds the lease (reconciles and applies), else 0.', registers }),
  };
}
