/**
 * What `plan`, `apply` and `drift` share around the planner (../apply/planning.ts):
 *
 * - the head start: `plan` and `drift` ask CleverTap before anything else, so its answer travels
 *   while the project is hashed. loadContext (./context.ts) starts it while the project's files are
 *   still checked; an operation given a context without one starts it itself. Each is used once.
 * - the records kept between runs when the context caches: the no-change record (`plan` only) and
 *   the spec hashes (kept by the project index, ../project-index/load.ts);
 * - what every plan carries: the provenance, the read-back grace, the step events and stopping at
 *   the next step once the caller's signal is aborted.
 */
import type { DesiredMemo } from '../apply/desired.js';
import { openDesiredMemo } from '../project-index/load.js';
import { NoChangeMemo } from '../apply/no-change.js';
import type { PlanOutcome, PlanStep } from '../apply/planning.js';
import { startEarlyRefresh, type EarlyRefresh } from '../apply/refresh.js';
import type { CleverTapClient } from '../clevertap/client.js';
import type { ProjectHead } from '../config/project.js';
import type { Provenance } from '../state/record.js';
import type { StateStore } from '../state/store.js';
import { notCreatedGrace, type Connection } from './connect.js';
import type { OperationContext } from './context.js';
import type { EventSink } from './events.js';

/** What showing and saving read of a plan (a plan the no-change record gave has no desired state). */
export type ShownPlan = Pick<PlanOutcome, 'plan' | 'diagnostics' | 'meta' | 'payloads'>;

export interface HeadStart {
  /** State's revision, read before any state row: what the no-change record is keyed by. */
  revision: string;
  /** `plan` with caching: this environment's no-change record, not yet checked against the project. */
  noChange?: NoChangeMemo;
  /** The refresh, under way; absent while journal rows are open (settling may move them first). */
  early?: EarlyRefresh;
}

export interface HeadStartRequest {
  head: ProjectHead;
  store: StateStore;
  client: CleverTapClient;
  command: 'plan' | 'drift';
  caching: boolean;
  events: EventSink;
}

/** Head starts begun while a project loaded, by the state store the context is then given. */
const begun = new WeakMap<StateStore, Promise<HeadStart>>();

/** Begins the head start for the context that will hold this store (loadContext). */
export async function beginHeadStart(q: HeadStartRequest): Promise<void> {
  const started = headStart(q);
  begun.set(q.store, started);
  await started;
}

/** The head start begun while the context loaded (taken: the next plan on it starts afresh), else one begun now. */
export function takeHeadStart(ctx: OperationContext, client: CleverTapClient, command: 'plan' | 'drift', askAhead = true): Promise<HeadStart> {
  const found = begun.get(ctx.store);
  begun.delete(ctx.store);
  return found ?? headStart({ head: ctx.project, store: ctx.store, client, command, caching: ctx.caching === true, events: ctx.events }, askAhead);
}

/** `askAhead` false: CleverTap is not asked ahead (the daemon's refresh keeper may answer instead). */
async function headStart(q: HeadStartRequest, askAhead = true): Promise<HeadStart> {
  const revision = await q.store.revision();
  if (!askAhead) return { revision };
  // `plan` may find that an earlier plan on this configuration and state found nothing to do
  // (../apply/no-change.ts): CleverTap is then asked over its windows, state's rows unread.
  const noChange = q.command === 'plan' && q.caching ? NoChangeMemo.read(q.head) : undefined;
  const zone = q.head.environment.accountTimezone;
  const early = await startEarlyRefresh(q.store, q.client, { accountTimezone: zone, windows: noChange?.windowsFor(revision, zone), known: noChange?.answersFor(revision, zone) });
  if (early) q.events({ kind: 'debug', text: `refresh: CleverTap asked over ${early.windows.length} windows (${early.rows ? `${early.rows.length} state rows read` : 'of the no-change record'})` });
  if (early && !early.rows) noChange?.digestWhenAnswered(early.answers);
  return { revision, noChange, early };
}

export interface PlanningFacts {
  provenance: Provenance;
  /**
   * How old an open create must be before a read-back that misses it counts as proof it was never
   * created: a minute on a real account (a killed process's request may still be landing), 0 on
   * the emulator, which commits before it answers.
   */
  notCreatedGraceMs: number;
  /** Spec hashes kept across runs when the context caches; the operation saves it when done. */
  memo?: DesiredMemo;
}

export async function planningFacts(ctx: OperationContext, command: string, connection: Connection): Promise<PlanningFacts> {
  const git = await ctx.git();
  return {
    provenance: { command, git },
    notCreatedGraceMs: notCreatedGrace(connection),
    memo: ctx.desiredMemo ?? (ctx.caching ? openDesiredMemo(ctx.project) : undefined),
  };
}

/** Thrown between planning steps once the caller's signal is aborted; the operation returns it as a refusal. */
export class PlanInterrupted extends Error {
  constructor() {
    super('interrupted before the plan was complete');
    this.name = 'PlanInterrupted';
  }
}

/** Each planning step as an event; the next step is not started once `signal` is aborted. */
export function planSteps(events: EventSink, signal: AbortSignal | undefined): (step: PlanStep) => void {
  return (step) => {
    if (signal?.aborted) throw new PlanInterrupted();
    events({ kind: 'plan-step', step });
  };
}
