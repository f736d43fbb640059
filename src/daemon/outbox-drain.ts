/**
 * Sends what the intake committed to the outbox, at the environment's concurrency (CleverTap allows
 * 3 calls in flight per API), each item claimed in the state (pending -> sending, committed) BEFORE
 * its call. At start, every item a crash left `sending` becomes `unknown`: its call may have landed,
 * so it is never sent again automatically. That is safe only because one daemon holds the state's
 * lease: no other process can be sending it right now.
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
import type { DaemonServices } from './services.js';

export interface OutboxDrain {
  /** New items were committed: look now rather than at the next poll. */
  wake(): void;
  /** Starts nothing new and resolves once the calls in flight settled. */
  stop(): Promise<void>;
}

export interface DrainOptions {
  /** How often due items (retries coming due) are looked for without a wake; default 1 s. */
  pollMs?: number;
  /** Attempts before a retryable failure is final; default 6. */
  maxAttempts?: number;
  /** First back-off; doubled per attempt up to 5 min, with jitter; default 2 s. */
  backoffMs?: number;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export function startOutboxDrain(services: DaemonServices, opts: DrainOptions = {}): OutboxDrain {
  const { log, metrics, store } = services;
  const batcher = commitBatcherFor(store);
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

  // Recovery runs before the first claim, and again on the next pass if the state failed it:
  // nothing is sent until every stranded item is settled as unknown.
  let recovering: Promise<void> | null = null;
  const recover = (): Promise<void> =>
    (recovering ??= (async () => {
      const stranded = await store.outbox.list({ status: 'sending', limit: Number.MAX_SAFE_INTEGER });
      for (const item of stranded) {
        await store.outbox.markUnknown(item.id, { error: 'in flight when the daemon stopped: it may have been sent, so it is not sent again; check the recipients before sending it again' });
      }
      if (stranded.length > 0) log.warn({ outbox: stranded.map((i) => i.id) }, `${stranded.length} send(s) in flight at the last stop are now unknown`);
      await countOutbox(store, metrics);
    })().catch((err: unknown) => {
      recovering = null;
      throw err;
    }));

  /** `markedDone`: the item was already marked done with its audit record. */
  const settle = async (item: OutboxItem, outcome: ItemOutcome, ms: number, markedDone: boolean): Promise<void> => {
    const attempt = item.attempts + 1;
    let to: OutboxStatus;
    if (outcome.status === 'done') {
      if (!markedDone) await batcher.run((tx) => tx.outbox.markDone(item.id, countsJson(outcome.counts)));
      to = 'done';
    } else if (outcome.status === 'unknown') {
      await batcher.run((tx) => tx.outbox.markUnknown(item.id, { error: outcome.error }));
      to = 'unknown';
    } else {
      const retryAt = outcome.status === 'retry' && attempt < maxAttempts ? retryInstant(services.clock(), attempt, backoffMs) : null;
      const error = outcome.status === 'retry' && retryAt === null ? `${outcome.error} (gave up after ${attempt} attempts)` : outcome.error;
      await batcher.run((tx) => tx.outbox.markFailed(item.id, { error, retryAt }));
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
        write: (tx) => tx.outbox.markDone(item.id, countsJson(counts)),
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
      // The item stays `sending`; the next start reports it unknown. Nothing is sent twice.
      fail(`recording the outcome of send ${item.id}`, err);
    });
    settling.add(settled);
    void settled.finally(() => settling.delete(settled));
    pump();
    await settled;
  };

  const concurrency = (): number => Math.max(1, services.context().project.environment.limits.concurrency);

  const fill = async (): Promise<void> => {
    await recover();
    while (!stopping) {
      const free = concurrency() - inFlight.size;
      if (free <= 0) return;
      const due = await store.outbox.due(services.clock().toISOString(), free);
      if (due.length === 0) return;
      // Claimed and committed before any call is made (one commit for the lot).
      const claimed = await batcher.run(async (tx) => {
        const mine: OutboxItem[] = [];
        for (const item of due) if (await tx.outbox.markAttempt(item.id)) mine.push(item);
        return mine;
      });
      for (const item of claimed) {
        moveOutbox(metrics, 'pending', 'sending');
        const running = run(item);
        inFlight.set(item.id, running);
        runs.add(running);
        void running.finally(() => runs.delete(running));
      }
      if (claimed.length === 0) return;
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
    },
  };
}

/** The instant of the next attempt: backoffMs x 2^(attempt-1), at most 5 min, minus up to 20% jitter. */
function retryInstant(now: Date, attempt: number, backoffMs: number): string {
  const delay = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1));
  return new Date(now.getTime() + Math.round(delay * (0.8 + Math.random() * 0.2))).toISOString();
}
