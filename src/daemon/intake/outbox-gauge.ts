/**
 * campaignctl_outbox_items{status}: counted from the state once when the drain starts, then moved
 * by every transition the intake and the drain make, so a scrape never queries the state.
 */
import { OUTBOX_STATUSES, type OutboxStatus, type StateStore } from '../../state/store.js';
import type { DaemonMetrics } from '../metrics.js';

export async function countOutbox(store: StateStore, metrics: DaemonMetrics): Promise<void> {
  const counts = await store.outbox.counts();
  for (const status of OUTBOX_STATUSES) metrics.outboxItems.set({ status }, counts[status]);
}

export function moveOutbox(metrics: DaemonMetrics, from: OutboxStatus, to: OutboxStatus): void {
  metrics.outboxItems.dec({ status: from });
  metrics.outboxItems.inc({ status: to });
}

/** The gauge's counts, e.g. for /v1/status. */
export async function outboxCounts(metrics: DaemonMetrics): Promise<Record<OutboxStatus, number>> {
  const got = await metrics.outboxItems.get();
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const v of got.values) {
    const status = v.labels.status as OutboxStatus | undefined;
    if (status && status in counts) counts[status] = v.value;
  }
  return counts;
}
