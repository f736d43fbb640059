/**
 * Sends the batches of one runtime send and sorts each into sent / failed / unknown:
 * - failed: CleverTap definitely did not act on it (refused, 429 after the client's retries, never
 *   connected); its identities can be sent again as they are;
 * - unknown: it may have landed (timeout after sending, dropped connection, 5xx). Never retried:
 *   messaging people twice is worse than asking the user to check.
 * A fixed pool of workers pulls batches in order, so a send of 100,000 ids keeps exactly `parallel`
 * calls in the client at a time and can stop early (authentication refused, caller aborted):
 * batches never started are reported as failed with `notAttempted`, they definitely did not go.
 */
import { CleverTapError } from '../clevertap/errors.js';
import type { SendResult } from '../clevertap/wire.js';

export interface BatchFailure {
  /** CleverTapError kind, or `not-attempted` for batches never started. */
  kind: CleverTapError['kind'] | 'not-attempted';
  httpStatus: number | null;
  code: number | null;
  /** CleverTap's error text or why the batch was not attempted. */
  error: string;
}

export type BatchStatus = 'sent' | 'failed' | 'unknown';

export interface BatchOutcome<To> {
  /** 0-based position of the batch in the send. */
  index: number;
  to: To;
  /** Identities in this batch. */
  count: number;
  status: BatchStatus;
  /** HTTP requests of a failed batch (retries included); 1 for a sent one; 0 when not attempted. */
  attempts: number;
  failure?: BatchFailure;
}

export interface DispatchHooks {
  /** After each batch settles, in completion order. */
  onBatch?(outcome: BatchOutcome<unknown>, done: number, total: number): void;
}

export interface DispatchOptions {
  /** Batches in flight at once; the client's own per-family limit applies too. */
  parallel: number;
  hooks?: DispatchHooks;
  /** Stops starting new batches (Ctrl-C); those in flight finish and are reported. */
  signal?: AbortSignal;
}

export async function dispatchBatches<To>(
  batches: readonly { to: To; count: number }[],
  call: (to: To) => Promise<SendResult>,
  opts: DispatchOptions,
): Promise<BatchOutcome<To>[]> {
  const outcomes: BatchOutcome<To>[] = new Array(batches.length);
  let next = 0;
  let done = 0;
  let stopReason: string | null = null;

  const settle = (o: BatchOutcome<To>) => {
    outcomes[o.index] = o;
    done++;
    opts.hooks?.onBatch?.(o, done, batches.length);
  };

  const worker = async () => {
    for (;;) {
      if (opts.signal?.aborted && stopReason === null) stopReason = 'not sent: the send was interrupted';
      const index = next++;
      if (index >= batches.length) return;
      const { to, count } = batches[index]!;
      if (stopReason !== null) {
        settle({ index, to, count, status: 'failed', attempts: 0, failure: { kind: 'not-attempted', httpStatus: null, code: null, error: stopReason } });
        continue;
      }
      try {
        await call(to);
        // The client does not report attempts on success; one request is the floor.
        settle({ index, to, count, status: 'sent', attempts: 1 });
      } catch (err) {
        if (!(err instanceof CleverTapError)) throw err;
        const failure: BatchFailure = { kind: err.kind, httpStatus: err.httpStatus, code: err.code, error: err.error };
        settle({ index, to, count, status: err.ambiguous ? 'unknown' : 'failed', attempts: err.attempts, failure });
        // Every later batch would be refused the same way: stop instead of hammering the API.
        if (err.kind === 'auth' && stopReason === null) stopReason = 'not sent: an earlier call was refused (authentication)';
      }
    }
  };

  const workers = Math.max(1, Math.min(opts.parallel, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

export interface DispatchTotals {
  /** Batches that reached CleverTap (attempted at least once). */
  calls: number;
  sent: number;
  failed: number;
  unknown: number;
}

export function totals(outcomes: readonly BatchOutcome<unknown>[]): DispatchTotals {
  const t: DispatchTotals = { calls: 0, sent: 0, failed: 0, unknown: 0 };
  for (const o of outcomes) {
    if (o.attempts > 0) t.calls++;
    t[o.status] += o.count;
  }
  return t;
}
