/**
 * Group commit for the outbox. Every outbox write must be durable before anyone acts on it (a
 * 202 is answered, a CleverTap call is made), and with SQLite's synchronous=FULL each commit costs
 * an fsync (several ms here). One commit per request would cap intake at a few hundred requests a
 * second; so writes asked for in the same turn of the event loop are run in ONE transaction, and
 * each caller is answered only after that transaction committed.
 *
 * Each write is its own savepoint inside the transaction (StateStore.transaction), so one that is
 * refused (a payload the state will not keep) fails alone; if the commit itself fails, every
 * write of the batch fails, and none of them happened.
 */
import type { StateStore, StateTx } from '../../state/store.js';

export type TxWrite<T> = (tx: StateTx) => Promise<T>;

interface Pending {
  write: TxWrite<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface CommitBatcher {
  /** Runs `write` in the next group transaction; settles once that transaction committed (or failed). */
  run<T>(write: TxWrite<T>): Promise<T>;
}

const batchers = new WeakMap<StateStore, CommitBatcher>();

/** The one batcher of a store: the intake and the drain share it, so their writes commit together. */
export function commitBatcherFor(store: StateStore): CommitBatcher {
  let batcher = batchers.get(store);
  if (!batcher) batchers.set(store, (batcher = createCommitBatcher(store)));
  return batcher;
}

export function createCommitBatcher(store: StateStore): CommitBatcher {
  let queue: Pending[] = [];
  let scheduled = false;

  const flush = async (): Promise<void> => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await store.transaction(async (tx) => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: await p.write(tx) });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
          }
        }
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.value);
    });
  };

  return {
    run<T>(write: TxWrite<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          // setImmediate: after the I/O of this turn, so requests parsed together commit together.
          setImmediate(() => void flush());
        }
      });
    },
  };
}
