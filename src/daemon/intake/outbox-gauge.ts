/**
 * campaignctl_outbox_items{status}: counted from the state once when the drain starts, then moved
 * by every transition the intake and the drain make (the store has no count query, and listing
 * every item on each scrape would read every payload).
 */
import type { OutboxStatus, StateStore } from '../../state/store.js';
import type { DaemonMetrics } from '../metrics.js';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'done', 'failed', 'unknown'];

export async function countOutbox(store: StateStore, metrics: DaemonMetrics): Promise<void> {
  for (const status of OUTBOX_STATUSES) {
    const items = await store.outbox.list({ status, limit: Number.MAX_SAFE_INTEGER });
    metrics.outboxItems.set({ status }, items.length);
  }
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
