/**
 * The `outbox` table: accepted runtime sends. A coordination queue, not recorded state: its writes
 * never bump the serial. markAttempt is a compare-and-set (pending -> sending) so that two workers
 * (or daemon replicas) never send the same item.
 */
import { StateError } from '../errors.js';
import { checkStorableText, toStorableJson } from '../json-guard.js';
import type { JsonObject, OutboxItem, OutboxStatus, OutboxStore } from '../store.js';
import { outboxCountsFrom } from '../store.js';
import type { Ctx, Executor } from './db.js';

interface OutboxRow {
  id: number;
  kind: OutboxItem['kind'];
  address: string;
  payload: string;
  dedupe_key: string | null;
  status: OutboxStatus;
  attempts: number;
  enqueued_at: string;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  result: string | null;
}

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    kind: r.kind,
    address: r.address,
    payload: JSON.parse(r.payload) as JsonObject,
    dedupeKey: r.dedupe_key,
    status: r.status,
    attempts: r.attempts,
    enqueuedAt: r.enqueued_at,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    result: r.result === null ? null : (JSON.parse(r.result) as JsonObject),
  };
}

/** Fixed-width UTC ISO, so that text comparison orders instants (also for PostgreSQL parity). */
function instant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new StateError('not-storable', `not an ISO instant: ${iso}`);
  return d.toISOString();
}

function getItem(c: Ctx, id: number): OutboxItem | null {
  const row = c.stmt('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
  return row ? toItem(row) : null;
}

/** Applies a transition from `sending`; throws when the item is elsewhere (a caller bug). */
function fromSending(c: Ctx, id: number, sql: string, params: Record<string, unknown>): OutboxItem {
  const changed = c.stmt(`UPDATE outbox SET ${sql} WHERE id = @id AND status = 'sending'`).run({ ...params, id }).changes;
  const item = getItem(c, id);
  if (!item) throw new StateError('not-found', `no outbox item ${id}`);
  if (changed === 0) throw new StateError('conflict', `outbox item ${id} is ${item.status}, not sending`);
  return item;
}

function enqueue(c: Ctx, input: Parameters<OutboxStore['enqueue']>[0]): { item: OutboxItem; created: boolean } {
  if (input.dedupeKey !== undefined) {
    const existing = c.stmt('SELECT * FROM outbox WHERE dedupe_key = ?').get(input.dedupeKey) as OutboxRow | undefined;
    if (existing) return { item: toItem(existing), created: false };
  }
  checkStorableText(input.dedupeKey, 'outbox dedupe key');
  const payload = toStorableJson(input.payload, `outbox payload for ${input.address}`);
  const now = c.now();
  const info = c
    .stmt(
      `INSERT INTO outbox (kind, address, payload, dedupe_key, status, attempts, enqueued_at, next_attempt_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
    )
    .run(input.kind, input.address, payload, input.dedupeKey ?? null, now, input.notBefore ? instant(input.notBefore) : now);
  return { item: getItem(c, Number(info.lastInsertRowid))!, created: true };
}

export function outboxStore(x: Executor): OutboxStore {
  return {
    enqueue: (input) => x.write((c) => enqueue(c, input)),
    get: (id) => x.read((c) => getItem(c, id)),
    due: (now, limit) =>
      x.read((c) =>
        (
          c
            .stmt(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`)
            .all(instant(now), limit) as OutboxRow[]
        ).map(toItem),
      ),
    list: (f = {}) =>
      x.read((c) =>
        (
          c
            .stmt('SELECT * FROM outbox WHERE (@status IS NULL OR status = @status) ORDER BY id LIMIT @limit')
            .all({ status: f.status ?? null, limit: f.limit ?? 1000 }) as OutboxRow[]
        ).map(toItem),
      ),
    counts: () => x.read((c) => outboxCountsFrom(c.stmt('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[])),
    markAttempt: (id) =>
      x.write(
        (c) =>
          c
            .stmt(
              `UPDATE outbox SET status = 'sending', attempts = attempts + 1, last_attempt_at = ?
               WHERE id = ? AND status = 'pending'`,
            )
            .run(c.now(), id).changes > 0,
      ),
    markDone: (id, result) =>
      x.write((c) =>
        fromSending(c, id, `status = 'done', next_attempt_at = NULL, result = @result`, {
          result: result === undefined ? null : toStorableJson(result, `outbox result for ${id}`),
        }),
      ),
    markFailed: (id, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return failure.retryAt
          ? fromSending(c, id, `status = 'pending', next_attempt_at = @at, last_error = @error`, {
              at: instant(failure.retryAt),
              error: failure.error,
            })
          : fromSending(c, id, `status = 'failed', next_attempt_at = NULL, last_error = @error`, { error: failure.error });
      }),
    markUnknown: (id, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return fromSending(c, id, `status = 'unknown', next_attempt_at = NULL, last_error = @error`, { error: failure.error });
      }),
  };
}
