/**
 * GET /v1/status: what the reconciler found, the schedules as `schedules --json` gives them (from
 * state; CleverTap's report figures are not fetched for a status), the outbox counts and the last
 * errors. Plain JSON with snake_case keys inside the documents it borrows (plan changes, schedules).
 */
import { snakeKeys } from '../model/json-keys.js';
import { listSchedules } from '../schedule/listing.js';
import type { OutboxStatus, StateStore } from '../state/store.js';
import type { ReconcileFacts } from './reconciler.js';
import type { DaemonError, DaemonStatus, Readiness } from './services.js';

const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sending', 'done', 'failed', 'unknown'];
/** Counted by listing; a status with more items than this shows this many. */
const OUTBOX_COUNT_CAP = 100_000;

export interface StatusInputs {
  environment: string;
  replica: string;
  startedAt: string;
  autoApply: boolean;
  source: DaemonStatus['source'];
  facts: ReconcileFacts;
  readiness: Readiness;
  errors: DaemonError[];
  store: StateStore;
  now: Date;
}

export async function buildStatus(i: StatusInputs): Promise<DaemonStatus> {
  const [schedules, outbox] = await Promise.all([listSchedules(i.store, i.now), outboxCounts(i.store)]);
  return {
    environment: i.environment,
    replica: i.replica,
    leader: i.replica,
    startedAt: i.startedAt,
    ready: i.readiness.ready,
    readiness: i.readiness.reasons,
    autoApply: i.autoApply,
    source: i.source,
    appliedCommit: i.facts.appliedCommit,
    lastAttemptedCommit: i.facts.lastAttemptedCommit,
    lastReconcile: i.facts.lastReconcile,
    pending: i.facts.pending,
    schedules: { now: i.now.toISOString(), schedules: snakeKeys(schedules) },
    outbox,
    errors: i.errors,
  };
}

export async function outboxCounts(store: StateStore): Promise<Record<OutboxStatus, number>> {
  const counts = await Promise.all(OUTBOX_STATUSES.map(async (status) => [status, (await store.outbox.list({ status, limit: OUTBOX_COUNT_CAP })).length] as const));
  return Object.fromEntries(counts) as Record<OutboxStatus, number>;
}
