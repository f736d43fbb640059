/**
 * When this process takes the daemon or leader lease from a holder that is gone (kill -9, a lost
 * machine: see ./leadership.ts), the outbox items that holder was sending are settled as `unknown`
 * at once. Their calls may have reached CleverTap, so they are never sent again; but nobody needs
 * to wait for their claims' leases (60 s) to run out before `GET /v1/sends/{id}` says so.
 */
import type { Logger } from 'pino';
import type { LeaseHolder, StateStore } from '../state/store.js';
import { countOutbox } from './intake/outbox-gauge.js';
import { describeHolder } from './leadership.js';
import type { DaemonMetrics } from './metrics.js';

export async function settleClaimsOfReplaced(store: StateStore, log: Logger, metrics: DaemonMetrics, previous: LeaseHolder): Promise<void> {
  const settled = await store.outbox.expireClaimsOf(previous.id);
  if (settled.length === 0) return;
  log.warn(
    { outbox: settled.map((i) => i.id), claimedBy: previous.id },
    `${settled.length} send(s) that ${describeHolder(previous)} was sending when it stopped are now unknown`,
  );
  await countOutbox(store, metrics);
}
