/**
 * Sends what the intake committed to the outbox, at the environment's concurrency (CleverTap allows
 * 3 calls in flight per API), each item claimed in the state (pending -> sending, committed) BEFORE
 * its call, under this replica's id and a lease (60 s, renewed every 20 s while the item is being
 * sent and settled). Several replicas may drain one state (PostgreSQL): a claim is taken by one of
 * them only, and an outcome is recorded only under the claim that sent it.
 *
 * A replica that dies (kill -9, a lost machine) stops renewing: once its lease ran out, any
 * replica's next poll (this one's after a restart) makes its `sending` items `unknown`: their calls
 * may have landed, so they are never sent again automatically. A live replica's items are never
 * touched, however long their calls take.
 *
 * Outcomes (./intake/send-item.ts): done, failed, unknown, or back to pending with a back-off when
 * nothing went out and the failure may pass. One log line per item sent (one call of at most 1,000
 * identities for the API's sends), with counts only: never the data or the identities.
 */
import type { OutboxItem, OutboxStatus } from '../state/store.js';
import { commitBatcherFor } from './intake/commit-batcher.js';
import { drainContext, type AuditJoin } from './intake/drain-context.js';
import { countOutbox, moveOutbox } from './intake/outbox-gauge.js';
import { countsJson, sendItem, successCounts, type ItemOutcome } from './intake/send-item.js';
import { OUTBOX_LEASE_MS } from './options.js';
import type { DaemonServices } from './services.js';

export interface OutboxDrain {
  /** New items were committed: look now rather than at the next poll. */
  wake(): void;
  /** Starts nothing new and resolves once the calls in flight settled. */
  stop(): Promise<void>;
}

export interface DrainOptions {
  /** Who claims: this replica's holder id (the daemon lease's id), unique per process. */
  claimer: string;
  /** How long a claim holds without renewal; renewed every third of it. Default OUTBOX_LEASE_MS (60 s). */
  leaseMs?: number;
  /** How often due items (retries coming due) are looked for without a wake; default 1 s. */
  pollMs?: number;
  /** Attempts before a retryable failure is final; default 6. */
  maxAttempts?: number;
  /** First back-off; doubled per attempt up to 5 min, with jitter; default 2 s. */
  backoffMs?: number;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export function startOutboxDrain(services: DaemonServices, opts: DrainOptions): OutboxDrain {
  const { log, metrics, store } = services;
  const batcher = commitBatcherFor(store);
  const by = opts.claimer;
  const leaseMs = opts.leaseMs ?? OUTBOX_LEASE_MS;
  const pollMs = opts.pollMs ?? 1000;
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoffMs = opts.backoffMs ?? 2000;
  /** Items whose CleverTap call is in flight (the concurrency counts these). */
  const inFlight = new Map<number, Promise<void>>();
  /** Every item being sent or settled (stop() waits for these). */
  const runs = new Set<Promise<void>>();
  /** Outcomes being committed. */
  const settling = new Set<Promise<void>>();
  let stopping = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const fail = (what: string, err: unknown) => {
    const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    services.recordError('outbox', message);
  };

  // Claims whose lease ran out (a dead replica's, or this process's before a restart) become
  // unknown: at the first pass, then at most once per poll interval (a wake per accepted send must
  // not cost a query each).
  let expiredAt = -Infinity;
  let counted = false;
  const expire = async (): Promise<void> => {
    if (performance.now() - expiredAt < pollMs) return;
    expiredAt = performance.now();
    const expired = await store.outbox.expireClaims();
    if (expired.length > 0) {
      log.warn({ outbox: expired.map((i) => i.id), claimedBy: [...new Set(expired.map((i) => i.claimedBy))] }, `${expired.length} send(s) whose claim ran out while being sent are now unknown`);
    }
    // The gauge is counted from the state at the first pass, then moved by each transition.
    if (!counted || expired.length > 0) await countOutbox(store, metrics);
    counted = true;
  };

  // The leases of what this replica sends are renewed while anything is being sent or settled.
  const renewer = setInterval(() => {
    if (runs.size === 0) return;
    store.outbox.renewClaims(by, leaseMs).catch((err: unknown) => fail('renewing the claims of the sends in flight', err));
  }, Math.max(1, Math.floor(leaseMs / 3)));
  renewer.unref();

  /** `markedDone`: the item was already marked done with its audit record. */
  const settle = async (item: OutboxItem, outcome: ItemOutcome, ms: number, markedDone: boolean): Promise<void> => {
    // As claimed: attempts already counts this one.
    const attempt = item.attempts;
    let to: OutboxStatus;
    if (outcome.status === 'done') {
      if (!markedDone) await batcher.run((tx) => tx.outbox.markDone(item.id, by, countsJson(outcome.counts)));
      to = 'done';
    } else if (outcome.status === 'unknown') {
      await batcher.run((tx) => tx.outbox.markUnknown(item.id, by, { error: outcome.error }));
      to = 'unknown';
    } else {
      const retryAt = outcome.status === 'retry' && attempt < maxAttempts ? retryInstant(services.clock(), attempt, backoffMs) : null;
      const error = outcome.status === 'retry' && retryAt === null ? `${outcome.error} (gave up after ${attempt} attempts)` : outcome.error;
      await batcher.run((tx) => tx.outbox.markFailed(item.id, by, { error, retryAt }));
      to = retryAt === null ? 'failed' : 'pending';
    }
    moveOutbox(metrics, 'sending', to);
    const c = outcome.counts;
    const line = { outbox: item.id, kind: item.kind, address: item.address, attempt, result: to === 'pending' ? 'retry' : to, ms: Math.round(ms), ...(c ?? {}) };
    if (to === 'done' || to === 'pending') log.info(line, 'send batch');
    else log.warn(line, 'send batch');
  };

  const run = async (item: OutboxItem): Promise<void> => {
    const started = performance.now();
    // A successful send is marked done in the commit of its audit record, and its slot is freed
    // as that commit is queued, so the next claim joins it: one commit per send.
    let doneWith: Promise<boolean> | null = null;
    const join: AuditJoin = (entry) => {
      const counts = entry.outcome === 'succeeded' ? successCounts(item, entry.detail) : null;
      if (!counts) return null;
      return {
        write: (tx) => tx.outbox.markDone(item.id, by, countsJson(counts)),
        queued: (committed) => {
          doneWith = committed.then(
            () => true,
            () => false,
          );
          inFlight.delete(item.id);
          pump();
        },
      };
    };
    let outcome: ItemOutcome;
    try {
      outcome = await sendItem(drainContext(services.context(), batcher, join), item);
    } catch (err) {
      // A bug or a state failure after the claim: the call may have been made. Never resent.
      outcome = { status: 'unknown', counts: null, error: `the send stopped on an error and may have been made: ${err instanceof Error ? err.message : String(err)}` };
    }
    const markedDone = doneWith !== null && (await doneWith) && outcome.status === 'done';
    // The call is over: its slot is free. The next claim is asked for now, so it commits together
    // with this item's outcome (one fsync for both) instead of one after the other.
    inFlight.delete(item.id);
    const settled = settle(item, outcome, performance.now() - started, markedDone).catch((err: unknown) => {
      // The item stays `sending` until its lease runs out, then it is unknown; or the claim had
      // already run out (conflict) and it is unknown. Nothing is sent twice.
      fail(`recording the outcome of send ${item.id}`, err);
    });
    settling.add(settled);
    void settled.finally(() => settling.delete(settled));
    pump();
    await settled;
  };

  const concurrency = (): number => Math.max(1, services.context().project.environment.limits.concurrency);

  const fill = async (): Promise<void> => {
    await expire();
    while (!stopping) {
      const free = concurrency() - inFlight.size;
      if (free <= 0) return;
      // Claimed and committed before any call is made (one commit for the lot, joined with
      // whatever else the intake and the settling items commit in this turn).
      const claimed = await batcher.run((tx) => tx.outbox.claimDue(services.clock().toISOString(), free, { by, leaseMs }));
      for (const item of claimed) {
        moveOutbox(metrics, 'pending', 'sending');
        const running = run(item);
        inFlight.set(item.id, running);
        runs.add(running);
        void running.finally(() => runs.delete(running));
      }
      if (claimed.length < free) return;
    }
  };

  const pump = (): void => {
    if (stopping) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        try {
          await fill();
        } catch (err) {
          fail('draining the outbox', err);
        }
      } while (again && !stopping);
    })().finally(() => {
      pumping = null;
      schedulePoll();
    });
  };

  const schedulePoll = () => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(pump, pollMs);
    timer.unref();
  };

  pump();
  return {
    wake: pump,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await pumping;
      await Promise.all(runs);
      await Promise.all(settling);
      clearInterval(renewer);
    },
  };
}

/** The instant of the next attempt: backoffMs x 2^(attempt-1), at most 5 min, minus up to 20% jitter. */
function retryInstant(now: Date, attempt: number, backoffMs: number): string {
  const delay = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1));
  return new Date(now.getTime() + Math.round(delay * (0.8 + Math.random() * 0.2))).toISOString();
}
