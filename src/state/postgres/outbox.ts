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
import { NOTIFY_SQL } from './hints.js';

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

/** Fixed-width UTC ISO, so that text comparison orders instants (as in SQLite). */
function instant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new StateError('not-storable', `not an ISO instant: ${iso}`);
  return d.toISOString();
}

async function getItem(c: Ctx, id: number): Promise<OutboxItem | null> {
  const [row] = await c.rows<OutboxRow>('SELECT * FROM outbox WHERE id = $1', [id]);
  return row ? toItem(row) : null;
}

/** Applies a transition from `sending` ($1 is the id); throws when the item is elsewhere (a caller bug). */
async function fromSending(c: Ctx, id: number, set: string, params: unknown[]): Promise<OutboxItem> {
  const [row] = await c.rows<OutboxRow>(`UPDATE outbox SET ${set} WHERE id = $1 AND status = 'sending' RETURNING *`, [id, ...params]);
  if (row) return toItem(row);
  const item = await getItem(c, id);
  if (!item) throw new StateError('not-found', `no outbox item ${id}`);
  throw new StateError('conflict', `outbox item ${id} is ${item.status}, not sending`);
}

async function byDedupeKey(c: Ctx, key: string): Promise<OutboxItem | null> {
  const [row] = await c.rows<OutboxRow>('SELECT * FROM outbox WHERE dedupe_key = $1', [key]);
  return row ? toItem(row) : null;
}

async function enqueue(c: Ctx, input: Parameters<OutboxStore['enqueue']>[0]): Promise<{ item: OutboxItem; created: boolean }> {
  if (input.dedupeKey !== undefined) {
    const existing = await byDedupeKey(c, input.dedupeKey);
    if (existing) return { item: existing, created: false };
  }
  checkStorableText(input.dedupeKey, 'outbox dedupe key');
  const payload = toStorableJson(input.payload, `outbox payload for ${input.address}`);
  const now = c.now();
  const [row] = await c.rows<OutboxRow>(
    `INSERT INTO outbox (kind, address, payload, dedupe_key, status, attempts, enqueued_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING RETURNING *`,
    [input.kind, input.address, payload, input.dedupeKey ?? null, now, input.notBefore ? instant(input.notBefore) : now],
  );
  if (row) {
    // Wakes the replicas' drains (delivered on commit); they poll anyway.
    await c.run(NOTIFY_SQL, ['outbox']);
    return { item: toItem(row), created: true };
  }
  // Another process enqueued the same key between the look-up and the insert.
  return { item: (await byDedupeKey(c, input.dedupeKey!))!, created: false };
}

export function outboxStore(x: Executor): OutboxStore {
  return {
    enqueue: (input) => x.write((c) => enqueue(c, input)),
    get: (id) => x.read((c) => getItem(c, id)),
    due: (now, limit) =>
      x.read(async (c) =>
        (
          await c.rows<OutboxRow>(
            `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 COLLATE "C" ORDER BY next_attempt_at COLLATE "C", id LIMIT $2`,
            [instant(now), limit],
          )
        ).map(toItem),
      ),
    list: (f = {}) =>
      x.read(async (c) =>
        (await c.rows<OutboxRow>('SELECT * FROM outbox WHERE ($1::text IS NULL OR status = $1) ORDER BY id LIMIT $2', [f.status ?? null, f.limit ?? 1000])).map(toItem),
      ),
    counts: () => x.read(async (c) => outboxCountsFrom(await c.rows<{ status: string; n: string }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'))),
    markAttempt: (id) =>
      x.write(
        async (c) =>
          (await c.run(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, last_attempt_at = $2 WHERE id = $1 AND status = 'pending'`, [id, c.now()])) > 0,
      ),
    markDone: (id, result) =>
      x.write((c) => fromSending(c, id, `status = 'done', next_attempt_at = NULL, result = $2`, [result === undefined ? null : toStorableJson(result, `outbox result for ${id}`)])),
    markFailed: (id, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return failure.retryAt
          ? fromSending(c, id, `status = 'pending', next_attempt_at = $2, last_error = $3`, [instant(failure.retryAt), failure.error])
          : fromSending(c, id, `status = 'failed', next_attempt_at = NULL, last_error = $2`, [failure.error]);
      }),
    markUnknown: (id, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return fromSending(c, id, `status = 'unknown', next_attempt_at = NULL, last_error = $2`, [failure.error]);
      }),
  };
}
