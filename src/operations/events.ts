/**
 * What an operation tells while it runs. Operations never print: the CLI renders these events (a
 * progress line on a terminal, nothing under --quiet, --verbose for `debug`), the daemon logs and
 * counts them, a test collects them. Each operation adds its own members to OperationEvent.
 */
import type { StopOutcome } from '../apply/stop-now.js';
import type { FiredEntry, SkippedEntry } from '../schedule/run-due.js';
import type { JournalWindow } from '../state/store.js';
import type { BatchStatus } from '../runtime/dispatch.js';

export type OperationEvent =
  | OperatorEvent
  /** A detail for --verbose (timings, cache use, what was asked). */
  | { kind: 'debug'; text: string }
  /** One line a person running the operation should read (what was settled, where it runs). */
  | { kind: 'notice'; text: string }
  /** One batch (one call) of a send or trigger settled, in completion order: `done` of `total`; `batch` counts from 1. */
  | { kind: 'send.batch'; address: string; batch: number; status: BatchStatus; identities: number; done: number; total: number };

export type EventSink = (event: OperationEvent) => void;

/** For callers that want no events. */
export const IGNORE_EVENTS: EventSink = () => undefined;

/** What the operator actions (stop, import) and the runner pass tell while they run. */
export type OperatorEvent =
  /** One campaign of an emergency stop settled: stopped, skipped (already stopped, finished) or failed. */
  | { kind: 'stop.outcome'; outcome: StopOutcome }
  /** `import` searched CleverTap's campaigns started in one date window, and found `campaigns` there. */
  | { kind: 'import.searched'; window: JournalWindow; campaigns: number }
  /** A runner pass fired a schedule tick or raised a bulletin occurrence (or, dry run, would). */
  | { kind: 'run-due.fired'; entry: FiredEntry }
  /** A runner pass passed over a tick: missed, overlapping, disabled or in quiet hours. */
  | { kind: 'run-due.skipped'; entry: SkippedEntry };
