/**
 * The daemon's lease on its state (`daemon`): taken at start, renewed every 10 s for 35 s, given
 * back at shutdown. With SQLite one daemon runs per state: a second one is refused and told who
 * holds it. A holder on this host whose pid is gone (kill -9) is taken over at once rather than
 * after its lease expires; a holder elsewhere can not be checked and must expire.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isProbablyStale } from '../state/stale.js';
import type { LeaseHolder, LeaseRequest, StateStore } from '../state/store.js';
import { LEASE_RENEW_MS, LEASE_TTL_MS } from './options.js';

export const DAEMON_LEASE = 'daemon';

export type LeaseTaken = { ok: true; lease: HeldLease } | { ok: false; holder: LeaseHolder };

export interface HeldLease {
  readonly id: string;
  /** The last renewal succeeded (false once the store failed to renew or someone else holds it). */
  healthy(): boolean;
  release(): Promise<void>;
}

export interface LeaseEvents {
  /** A renewal failed (store unreachable) or the lease was lost; the daemon reports and keeps trying. */
  onProblem(message: string): void;
}

export async function takeDaemonLease(store: StateStore, command: string, events: LeaseEvents): Promise<LeaseTaken> {
  const req: LeaseRequest = { id: randomUUID(), host: hostname(), pid: process.pid, command, ttlMs: LEASE_TTL_MS };
  let result = await store.leases.acquire(DAEMON_LEASE, req);
  if (!result.ok && isProbablyStale(result.holder, req.host)) {
    const taken = await store.leases.takeOver(DAEMON_LEASE, result.holder.id, req);
    // null: freed or expired in between; a plain acquire takes it.
    result = taken ?? (await store.leases.acquire(DAEMON_LEASE, req));
  }
  if (!result.ok) return result;
  return { ok: true, lease: keepRenewed(store, req, events) };
}

function keepRenewed(store: StateStore, req: LeaseRequest, events: LeaseEvents): HeldLease {
  let healthy = true;
  let released = false;
  const timer = setInterval(() => {
    store.leases.renew(DAEMON_LEASE, req.id, LEASE_TTL_MS).then(
      async (held) => {
        if (held) return void (healthy = true);
        // Lost (expired while the process stalled, then taken, or released by hand): take it back
        // only if it is free again; never from a live holder.
        const again = await store.leases.acquire(DAEMON_LEASE, req);
        healthy = again.ok;
        if (!again.ok) events.onProblem(`the daemon lease was lost to ${again.holder.command} (pid ${again.holder.pid} on ${again.holder.host})`);
      },
      (err: Error) => {
        healthy = false;
        events.onProblem(`the daemon lease could not be renewed: ${err.message}`);
      },
    );
  }, LEASE_RENEW_MS);
  timer.unref();
  return {
    id: req.id,
    healthy: () => healthy && !released,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await store.leases.release(DAEMON_LEASE, req.id);
    },
  };
}
