/**
 * The words both backends use for outbox claims (OutboxStore.claimDue and the transitions out of
 * `sending`): what an item whose claim ran out says, and why a transition was refused.
 */
import type { OutboxItem } from './store.js';

/**
 * The lastError of an item whose claim ran out while it was `sending`: its call may have reached
 * CleverTap, so it is unknown, never sent again. `claimedBy` null: claimed before claims had
 * holders (a state written before SQLite schema 8 / PostgreSQL 2), by a daemon that has stopped.
 */
export function expiredClaimError(claimedBy: string | null, leaseUntil: string | null): string {
  const whose =
    claimedBy === null ? 'it was in flight when the daemon stopped' : `the claim of replica ${claimedBy} ran out${leaseUntil ? ` at ${leaseUntil}` : ''} while it was being sent`;
  return `${whose}: it may have been sent, so it is not sent again; check the recipients before sending it again`;
}

/**
 * The lastError of an item that was `sending` under the claim of a holder whose lease was taken
 * from it as dead (OutboxStore.expireClaimsOf): its call may have reached CleverTap.
 */
export function deadClaimerError(claimedBy: string): string {
  return `replica ${claimedBy} stopped while it was being sent (its lease was taken over): it may have been sent, so it is not sent again; check the recipients before sending it again`;
}

/** Why a transition out of `sending` under `by`'s claim was refused (StateError 'conflict'). */
export function notClaimedMessage(item: Pick<OutboxItem, 'id' | 'status' | 'claimedBy'>, by: string): string {
  const other = item.claimedBy !== null && item.claimedBy !== by ? ` (claimed by ${item.claimedBy})` : '';
  return `outbox item ${item.id} is ${item.status}${other}, not sending under the claim of ${by}`;
}
