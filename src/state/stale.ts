/**
 * Whether a lock holder is probably gone: only decidable on the same host, by asking the OS
 * whether its pid still exists (signal 0 checks without signalling). Used to tell a refused user
 * "probably stale: run campaignctl force-unlock ID"; never to break a lock automatically (pids are
 * reused, and a holder on another host can not be checked).
 */
import { hostname } from 'node:os';
import type { LockHolder } from './store.js';

export function isProbablyStale(holder: Pick<LockHolder, 'host' | 'pid'>, currentHost: string = hostname()): boolean {
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
