/**
 * What an operation tells while it runs. Operations never print: the CLI renders these events (a
 * progress line on a terminal, nothing under --quiet, --verbose for `debug`), the daemon logs and
 * counts them, a test collects them. Each operation adds its own members to OperationEvent.
 */
import type { Project } from '../config/project.js';
import type { StopOutcome } from '../apply/stop-now.js';
import type { FiredEntry, SkippedEntry } from '../schedule/run-due.js';
import type { JournalWindow } from '../state/store.js';
import type { BatchStatus } from '../runtime/dispatch.js';
import type { PlanStep } from '../apply/planning.js';
import type { SettledRow } from '../apply/settle.js';
import type { ApplyResult, ChangeOutcome, ReadBackEvent } from '../apply/types.js';
import type { Plan, PlanChange } from '../plan/types.js';
import type { ShownPlan } from './plan-inputs.js';

export type OperationEvent =
  | OperatorEvent
  /** A detail for --verbose (timings, cache use, what was asked). */
  | { kind: 'debug'; text: string }
  /** One line a person running the operation should read (what was settled, where it runs). */
  | { kind: 'notice'; text: string }
  /** One batch (one call) of a send or trigger settled, in completion order: `done` of `total`; `batch` counts from 1. */
  | { kind: 'send.batch'; address: string; batch: number; status: BatchStatus; identities: number; done: number; total: number }
  /** plan, apply, drift: a planning step starts (./plan.ts). */
  | { kind: 'plan-step'; step: PlanStep }
  /** plan, apply: one journal row an interrupted run left open, settled under the apply lock. */
  | { kind: 'settled'; row: SettledRow }
  /**
   * apply: where the changes are about to go. A fresh apply says it before planning; a saved plan
   * after its file was checked and the journal settled, with the file's facts.
   */
  | { kind: 'apply-target'; environment: string; sandbox: boolean; describe: string; saved?: SavedPlanFacts }
  /** apply (fresh): the plan it computed, before it asks to confirm it or refuses it. */
  /** The plan an apply is about to apply (or ask about), with the project it was made for. */
  | { kind: 'planned'; plan: ShownPlan; project: Project }
  /** apply: the executor starts on `total` changes. */
  | { kind: 'apply-start'; total: number }
  /** apply: one change is sent (index counts from 0). */
  | { kind: 'change-start'; index: number; total: number; change: PlanChange }
  /** apply: one change finished, `done` of `total` so far (applied, failed or skipped). */
  | { kind: 'change-done'; index: number; done: number; total: number; change: PlanChange; outcome: ChangeOutcome }
  /** apply: an ambiguous create was read back from CleverTap's list. */
  | ({ kind: 'read-back' } & ReadBackEvent)
  /** apply: the executor finished (every change done, or stopped/interrupted). */
  | { kind: 'apply-end'; result: ApplyResult };

/** What a saved plan file says about itself (for the line that announces it). */
export interface SavedPlanFacts {
  file: string;
  createdAt: string;
  summary: Plan['summary'];
}

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
