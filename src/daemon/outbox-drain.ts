/**
 * The outbox drain: sends committed outbox items at the client's concurrency.
 *
 * Placeholder with the agreed signature so the daemon compiles: the drain is built on its own
 * branch and replaces this body.
 */
import type { DaemonServices } from './services.js';

export interface OutboxDrain {
  wake(): void;
  stop(): Promise<void>;
}

export function startOutboxDrain(_services: DaemonServices): OutboxDrain {
  return { wake: () => undefined, stop: async () => undefined };
}
