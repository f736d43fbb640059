/**
 * Exceptions from the state store are bugs in the caller (or a broken database), never user
 * problems: user problems while opening a store are returned as diagnostics by ./open.ts.
 */
export type StateErrorCode =
  /** A method was called after close(). */
  | 'closed'
  /** A state transition that is not allowed (settling a closed journal row, marking an outbox item not in flight). */
  | 'conflict'
  /** The row the call needs does not exist. */
  | 'not-found'
  /** A value that is not plain JSON, or that looks like a secret. */
  | 'not-storable'
  /** store.transaction / a store method called from inside a transaction callback (would deadlock). */
  | 'nested-transaction';

export class StateError extends Error {
  override readonly name = 'StateError';
  constructor(
    readonly code: StateErrorCode,
    message: string,
  ) {
    super(message);
  }
}
