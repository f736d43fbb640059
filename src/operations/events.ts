/**
 * What an operation tells while it runs. Operations never print: the CLI renders these events (a
 * progress line on a terminal, nothing under --quiet, --verbose for `debug`), the daemon logs and
 * counts them, a test collects them. Each operation adds its own members to OperationEvent.
 */
import type { BatchStatus } from '../runtime/dispatch.js';

export type OperationEvent =
  /** A detail for --verbose (timings, cache use, what was asked). */
  | { kind: 'debug'; text: string }
  /** One line a person running the operation should read (what was settled, where it runs). */
  | { kind: 'notice'; text: string }
  /** One batch (one call) of a send or trigger settled, in completion order: `done` of `total`; `batch` counts from 1. */
  | { kind: 'send.batch'; address: string; batch: number; status: BatchStatus; identities: number; done: number; total: number };

export type EventSink = (event: OperationEvent) => void;

/** For callers that want no events. */
export const IGNORE_EVENTS: EventSink = () => undefined;
