/**
 * The operation context the drain sends with: the daemon's, except that the audit record each
 * send appends commits in the drain's group transaction (./commit-batcher.ts) rather than in one
 * of its own. With SQLite every commit is an fsync that blocks the process; three sends finishing
 * close together then share one instead of paying three. The record is still committed before
 * the send's outcome is (the operation awaits it), and nothing else about the store changes.
 */
import type { OperationContext } from '../../operations/context.js';
import type { AuditStore, StateStore } from '../../state/store.js';
import type { CommitBatcher } from './commit-batcher.js';

const wrapped = new WeakMap<OperationContext['project'], OperationContext>();

/**
 * One context per loaded project, kept while the project is: the daemon hands out a fresh context
 * per call, and a context asks git who the operator is (three git processes) once per context.
 */
export function drainContext(ctx: OperationContext, batcher: CommitBatcher): OperationContext {
  let found = wrapped.get(ctx.project);
  if (!found) {
    const store = ctx.store;
    const audit: AuditStore = { append: (entry) => batcher.run((tx) => tx.audit.append(entry)), list: (filter) => store.audit.list(filter) };
    const batched: StateStore = new Proxy(store, { get: (target, prop, receiver) => (prop === 'audit' ? audit : Reflect.get(target, prop, receiver)) });
    found = new Proxy(ctx, { get: (target, prop, receiver) => (prop === 'store' ? batched : Reflect.get(target, prop, receiver)) });
    wrapped.set(ctx.project, found);
  }
  return found;
}
