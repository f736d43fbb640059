/**
 * Whether a lock holder is probably gone. Two signs, either enough:
 * - on the same host, the OS says its pid no longer exists (signal 0 checks without signalling);
 * - its heartbeat (PostgreSQL state: renewed every few seconds while the holder runs) is older
 *   than a minute, wherever the holder runs.
 * Used to tell a refused user "probably stale: run campaignctl force-unlock ID"; never to break a
 * lock automatically (pids are reused, a holder on another host can not be checked, a paused
 * process may wake up).
 */
import { hostname } from 'node:os';
import type { LockHolder } from './store.js';

/** A heartbeat older than this is shown as probably stale. */
export const HEARTBEAT_STALE_MS = 60_000;

/** Whole seconds since the holder's heartbeat; null for a holder that keeps none (SQLite). */
export function heartbeatAgeSeconds(holder: Pick<LockHolder, 'heartbeat'>, at: number = Date.now()): number | null {
  if (!holder.heartbeat) return null;
  const ms = at - Date.parse(holder.heartbeat);
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : null;
}

export function isHeartbeatStale(holder: Pick<LockHolder, 'heartbeat'>, at: number = Date.now()): boolean {
  const age = heartbeatAgeSeconds(holder, at);
  return age !== null && age * 1000 > HEARTBEAT_STALE_MS;
}

export function isProbablyStale(holder: Pick<LockHolder, 'host' | 'pid' | 'heartbeat'>, currentHost: string = hostname(), at: number = Date.now()): boolean {
  if (isHeartbeatStale(holder, at)) return true;
  if (holder.host !== currentHost) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
