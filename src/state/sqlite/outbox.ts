/**
 * The `outbox` table: accepted runtime sends. A coordination queue, not recorded state: its writes
 * never bump the serial. claimDue takes due items in one BEGIN IMMEDIATE (SQLite runs one writer at
 * a time, so two claimers never take one item), naming the claimer and its lease (the store's
 * clock + leaseMs); the transitions out of `sending` write only under that claimer's claim.
 */
import { StateError } from '../errors.js';
import { checkStorableText, toStorableJson } from '../json-guard.js';
import type { JsonObject, OutboxItem, OutboxStatus, OutboxStore } from '../store.js';
import { outboxCountsFrom } from '../store.js';
import { deadClaimerError, expiredClaimError, notClaimedMessage } from '../outbox-claims.js';
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
  claimed_by: string | null;
  lease_until: string | null;
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
    claimedBy: r.claimed_by,
    leaseUntil: r.lease_until,
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

function later(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Applies a transition from `sending` under `by`'s claim; throws when the item is elsewhere or another's. */
function fromSending(c: Ctx, id: number, by: string, sql: string, params: Record<string, unknown>): OutboxItem {
  const changed = c.stmt(`UPDATE outbox SET ${sql} WHERE id = @id AND status = 'sending' AND claimed_by = @by`).run({ ...params, id, by }).changes;
  const item = getItem(c, id);
  if (!item) throw new StateError('not-found', `no outbox item ${id}`);
  if (changed === 0) throw new StateError('conflict', notClaimedMessage(item, by));
  return item;
}

function claimDue(c: Ctx, now: string, limit: number, claim: { by: string; leaseMs: number }): OutboxItem[] {
  checkStorableText(claim.by, 'outbox claimer');
  const at = c.now();
  const due = c.stmt(`SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`).all(instant(now), limit) as { id: number }[];
  const take = c.stmt(
    `UPDATE outbox SET status = 'sending', attempts = attempts + 1, last_attempt_at = @at, claimed_by = @by, lease_until = @until
     WHERE id = @id AND status = 'pending' RETURNING *`,
  );
  const claimed: OutboxItem[] = [];
  for (const { id } of due) {
    const row = take.get({ id, at, by: claim.by, until: later(at, claim.leaseMs) }) as OutboxRow | undefined;
    if (row) claimed.push(toItem(row));
  }
  return claimed;
}

const EXPIRED = `SELECT id, claimed_by, lease_until FROM outbox WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id`;

function expireClaims(c: Ctx): OutboxItem[] {
  const expired = c.stmt(EXPIRED).all(c.now()) as Pick<OutboxRow, 'id' | 'claimed_by' | 'lease_until'>[];
  const settle = c.stmt(`UPDATE outbox SET status = 'unknown', next_attempt_at = NULL, lease_until = NULL, last_error = @error WHERE id = @id AND status = 'sending' RETURNING *`);
  return expired.map((r) => toItem(settle.get({ id: r.id, error: expiredClaimError(r.claimed_by, r.lease_until) }) as OutboxRow));
}

function expireClaimsOf(c: Ctx, holderId: string): OutboxItem[] {
  const rows = c
    .stmt(`UPDATE outbox SET status = 'unknown', next_attempt_at = NULL, lease_until = NULL, last_error = @error WHERE status = 'sending' AND claimed_by = @by RETURNING *`)
    .all({ by: holderId, error: deadClaimerError(holderId) }) as OutboxRow[];
  return rows.map(toItem).sort((a, b) => a.id - b.id);
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
    list: (f = {}) =>
      x.read((c) =>
        (
          c
            .stmt('SELECT * FROM outbox WHERE (@status IS NULL OR status = @status) ORDER BY id LIMIT @limit')
            .all({ status: f.status ?? null, limit: f.limit ?? 1000 }) as OutboxRow[]
        ).map(toItem),
      ),
    counts: () => x.read((c) => outboxCountsFrom(c.stmt('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[])),
    claimDue: (now, limit, claim) => x.write((c) => claimDue(c, now, limit, claim)),
    renewClaims: (by, leaseMs) =>
      x.write((c) => {
        const now = c.now();
        return c.stmt(`UPDATE outbox SET lease_until = ? WHERE status = 'sending' AND claimed_by = ? AND lease_until > ?`).run(later(now, leaseMs), by, now).changes;
      }),
    // Asked every poll of every drain: a read first, so that nothing expired costs no write transaction.
    expireClaims: async () => ((await x.read((c) => c.stmt(EXPIRED).get(c.now()) !== undefined)) ? x.write(expireClaims) : []),
    // An empty id is no holder (a released lease's row): it must match nothing.
    expireClaimsOf: async (holderId) => (holderId === '' ? [] : x.write((c) => expireClaimsOf(c, holderId))),
    markDone: (id, by, result) =>
      x.write((c) =>
        fromSending(c, id, by, `status = 'done', next_attempt_at = NULL, lease_until = NULL, result = @result`, {
          result: result === undefined ? null : toStorableJson(result, `outbox result for ${id}`),
        }),
      ),
    markFailed: (id, by, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return failure.retryAt
          ? fromSending(c, id, by, `status = 'pending', next_attempt_at = @at, claimed_by = NULL, lease_until = NULL, last_error = @error`, {
              at: instant(failure.retryAt),
              error: failure.error,
            })
          : fromSending(c, id, by, `status = 'failed', next_attempt_at = NULL, lease_until = NULL, last_error = @error`, { error: failure.error });
      }),
    markUnknown: (id, by, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return fromSending(c, id, by, `status = 'unknown', next_attempt_at = NULL, lease_until = NULL, last_error = @error`, { error: failure.error });
      }),
  };
}
