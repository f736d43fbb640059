/**
 * What every runtime operation (send, trigger, raise, occurrence) is given. The CLI builds it once
 * per command; the daemon once per process. Operations never print: they report through hooks and
 * return values.
 */
import type { Provenance } from '../state/record.js';
import type { CleverTapClient } from '../clevertap/client.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { RenderContext } from '../render/context.js';
import type { RunRecord, StateStore } from '../state/store.js';
import type { BatchOutcome } from './dispatch.js';

// Runtime records who did it and from which commit exactly as apply does.
export type { Provenance };

export interface RuntimeHooks {
  /** After each batch of a send/trigger settles (completion order). */
  onBatch?(outcome: BatchOutcome<unknown>, done: number, total: number): void;
  /**
   * An occurrence was claimed in `runs` and its raise is about to be sent. A crash from here on
   * leaves the run `claimed`, which is never raised again automatically.
   */
  onClaimed?(run: RunRecord): void | Promise<void>;
}

export interface RuntimeContext {
  client: CleverTapClient;
  /** Audit history, and the `runs` claims of occurrences. */
  store: StateStore;
  render: RenderContext;
  provenance: Provenance;
  /** What the commands this operation prints (e.g. a `state resolve`) must point at. */
  commandTarget: CommandTarget;
  /** Batches in flight at once (default 3, CleverTap's limit per API). */
  parallel?: number;
  hooks?: RuntimeHooks;
  /** Stops starting new batches (Ctrl-C); batches in flight finish and are reported. */
  signal?: AbortSignal;
}

export const DEFAULT_PARALLEL = 3;
