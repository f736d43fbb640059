/**
 * The operation context the drain sends an item with: the daemon's, except that the audit record
 * the send appends commits in the drain's group transaction (./commit-batcher.ts), together with
 * whatever the drain joins to it (the item marked done when the send succeeded, the next claim).
 * With SQLite every commit is an fsync that blocks the process; a send then costs one commit
 * instead of three. The record is still committed before the operation returns (it awaits it).
 */
import type { OperationContext } from '../../operations/context.js';
import type { AuditInput, AuditStore, StateStore, StateTx } from '../../state/store.js';
import type { CommitBatcher } from './commit-batcher.js';

/** What the drain adds to the commit of an audit record: a write in the same transaction, and a call once it is queued. */
export type AuditJoin = (entry: AuditInput) => { write(tx: StateTx): Promise<unknown>; queued(committed: Promise<unknown>): void } | null;

const perProject = new WeakMap<OperationContext['project'], OperationContext>();

/**
 * `ctx` is kept per loaded project (the daemon hands out a fresh context per call, and a context
 * asks git who the operator is, three git processes, once per context); `join` is per item.
 */
export function drainContext(ctx: OperationContext, batcher: CommitBatcher, join: AuditJoin): OperationContext {
  let base = perProject.get(ctx.project);
  if (!base) perProject.set(ctx.project, (base = ctx));
  const store = base.store;
  const audit: AuditStore = {
    append: (entry) => {
      const joined = join(entry);
      const committed = batcher.run(async (tx) => {
        const appended = await tx.audit.append(entry);
        if (joined) await joined.write(tx);
        return appended;
      });
      joined?.queued(committed);
      return committed;
    },
    list: (filter) => store.audit.list(filter),
  };
  const batched: StateStore = new Proxy(store, { get: (target, prop, receiver) => (prop === 'audit' ? audit : Reflect.get(target, prop, receiver)) });
  return new Proxy(base, { get: (target, prop, receiver) => (prop === 'store' ? batched : Reflect.get(target, prop, receiver)) });
}
