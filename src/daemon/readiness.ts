/**
 * GET /readyz: ready only while the state store answers, CleverTap was refreshed (git mode: the
 * remote fetched) within 3 intervals, the lease is held and the daemon is not draining. Before the
 * first refresh the daemon is not ready: it has not looked at the account yet. A follower replica
 * (PostgreSQL state) is ready while the store answers and it is not draining: it serves the API,
 * intake and the outbox, and leaves refreshes to the leader.
 */
import type { Readiness } from './services.js';

export interface ReadinessInputs {
  now: number;
  draining: boolean;
  storeError: string | null;
  /**
   * leader: holds the lease; follower (replicas): another replica leads, and this one serves the
   * API, intake, the outbox and run-due; lost (one daemon per state): its lease is not held.
   */
  role: 'leader' | 'follower' | 'lost';
  /** The interval refreshes or fetches come at (git: --interval; local: the resync). */
  intervalMs: number;
  lastRefreshAt: number | null;
  /** Git mode only; null in local mode. */
  lastFetchAt: number | null;
  gitMode: boolean;
}

export function readinessOf(i: ReadinessInputs): Readiness {
  const reasons: string[] = [];
  if (i.draining) reasons.push('shutting down');
  if (i.storeError) reasons.push(`the state store is unreachable: ${i.storeError}`);
  if (i.role === 'lost') reasons.push('the daemon lease is not held');
  // A follower does not refresh CleverTap nor fetch: the leader does.
  if (i.role === 'follower') return { ready: reasons.length === 0, reasons };
  const stale = 3 * i.intervalMs;
  if (i.lastRefreshAt === null) reasons.push('CleverTap not refreshed yet');
  else if (i.now - i.lastRefreshAt > stale) reasons.push(`the last refresh of CleverTap is older than ${Math.round(stale / 1000)} s`);
  if (i.gitMode && (i.lastFetchAt === null || i.now - i.lastFetchAt > stale)) reasons.push(`no git fetch succeeded within ${Math.round(stale / 1000)} s`);
  return { ready: reasons.length === 0, reasons };
}
