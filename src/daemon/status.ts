/**
 * GET /v1/status: what the reconciler found, the schedules as `schedules --json` gives them (from
 * state; CleverTap's report figures are not fetched for a status), the outbox counts and the last
 * errors. Plain JSON with snake_case keys inside the documents it borrows (plan changes, schedules).
 */
import { snakeKeys } from '../model/json-keys.js';
import { listSchedules } from '../schedule/listing.js';
import { scheduleRowsOf } from './schedule-rows.js';
import type { LeaseHolder, StateStore } from '../state/store.js';
import type { ReconcileFacts } from './reconciler.js';
import type { DaemonError, DaemonStatus, Readiness } from './services.js';

export interface StatusInputs {
  environment: string;
  replica: string;
  leader: LeaseHolder | null;
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
  const [schedules, outbox] = await Promise.all([listSchedules(scheduleRowsOf(i.store), i.now), i.store.outbox.counts()]);
  return {
    environment: i.environment,
    replica: i.replica,
    leader: i.leader && { id: i.leader.id, host: i.leader.host, pid: i.leader.pid, command: i.leader.command, since: i.leader.since, expiresAt: i.leader.expiresAt, epoch: i.leader.epoch },
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
