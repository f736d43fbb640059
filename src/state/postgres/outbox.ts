/**
 * The `outbox` table: accepted runtime sends. A coordination queue, not recorded state: its writes
 * never bump the serial. Several replicas drain one table: claimDue takes due rows with
 * SELECT … FOR UPDATE SKIP LOCKED and moves them to `sending` in the same statement, so a claimer
 * skips the rows another is taking (never waits for it, never takes them too). Leases are timed by
 * the database's now() (replicas' clocks may disagree); due times by the caller's clock, as written.
 */
import { StateError } from '../errors.js';
import { checkStorableText, toStorableJson } from '../json-guard.js';
import { deadClaimerError, expiredClaimError, notClaimedMessage } from '../outbox-claims.js';
import type { JsonObject, OutboxClaim, OutboxItem, OutboxStatus, OutboxStore } from '../store.js';
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

/** The database's now() (+ `ms` milliseconds, a parameter) as fixed-width ISO text, as every time here is written. */
const DB_NOW = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const dbNowPlus = (param: string) => `to_char((now() + ${param}::int * interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Applies a transition from `sending` under `by`'s claim ($1 is the id, $2 the claimer); throws when the item is elsewhere or another's. */
async function fromSending(c: Ctx, id: number, by: string, set: string, params: unknown[]): Promise<OutboxItem> {
  const [row] = await c.rows<OutboxRow>(`UPDATE outbox SET ${set} WHERE id = $1 AND status = 'sending' AND claimed_by = $2 RETURNING *`, [id, by, ...params]);
  if (row) return toItem(row);
  const item = await getItem(c, id);
  if (!item) throw new StateError('not-found', `no outbox item ${id}`);
  throw new StateError('conflict', notClaimedMessage(item, by));
}

async function claimDue(c: Ctx, now: string, limit: number, claim: OutboxClaim): Promise<OutboxItem[]> {
  checkStorableText(claim.by, 'outbox claimer');
  const rows = await c.rows<OutboxRow>(
    `WITH due AS (
       SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 COLLATE "C"
       ORDER BY next_attempt_at COLLATE "C", id LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, last_attempt_at = $3, claimed_by = $4, lease_until = ${dbNowPlus('$5')}
     FROM due WHERE o.id = due.id AND o.status = 'pending' RETURNING o.*`,
    [instant(now), limit, c.now(), claim.by, Math.round(claim.leaseMs)],
  );
  // RETURNING keeps no order: due order, as the claim took them.
  return rows.map(toItem).sort((a, b) => (a.nextAttemptAt! < b.nextAttemptAt! ? -1 : a.nextAttemptAt! > b.nextAttemptAt! ? 1 : a.id - b.id));
}

const EXPIRED = `SELECT id, claimed_by, lease_until FROM outbox WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= ${DB_NOW} COLLATE "C") ORDER BY id`;

/** Rows another transaction is settling right now are skipped: the next call looks at them again. */
async function expireClaims(c: Ctx): Promise<OutboxItem[]> {
  const expired = await c.rows<Pick<OutboxRow, 'id' | 'claimed_by' | 'lease_until'>>(`${EXPIRED} FOR UPDATE SKIP LOCKED`);
  if (expired.length === 0) return [];
  const rows = await c.rows<OutboxRow>(
    `UPDATE outbox o SET status = 'unknown', next_attempt_at = NULL, lease_until = NULL, last_error = e.error
     FROM unnest($1::bigint[], $2::text[]) AS e(id, error) WHERE o.id = e.id AND o.status = 'sending' RETURNING o.*`,
    [expired.map((r) => r.id), expired.map((r) => expiredClaimError(r.claimed_by, r.lease_until))],
  );
  return rows.map(toItem).sort((a, b) => a.id - b.id);
}

/** Waits for a row another transaction holds (its claimer settling it): the status is read again after. */
async function expireClaimsOf(c: Ctx, holderId: string): Promise<OutboxItem[]> {
  const rows = await c.rows<OutboxRow>(
    `UPDATE outbox SET status = 'unknown', next_attempt_at = NULL, lease_until = NULL, last_error = $2 WHERE status = 'sending' AND claimed_by = $1 RETURNING *`,
    [holderId, deadClaimerError(holderId)],
  );
  return rows.map(toItem).sort((a, b) => a.id - b.id);
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
    list: (f = {}) =>
      x.read(async (c) =>
        (await c.rows<OutboxRow>('SELECT * FROM outbox WHERE ($1::text IS NULL OR status = $1) ORDER BY id LIMIT $2', [f.status ?? null, f.limit ?? 1000])).map(toItem),
      ),
    counts: () => x.read(async (c) => outboxCountsFrom(await c.rows<{ status: string; n: string }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'))),
    claimDue: (now, limit, claim) => x.write((c) => claimDue(c, now, limit, claim)),
    renewClaims: (by, leaseMs) =>
      x.write((c) =>
        c.run(`UPDATE outbox SET lease_until = ${dbNowPlus('$2')} WHERE status = 'sending' AND claimed_by = $1 AND lease_until > ${DB_NOW} COLLATE "C"`, [by, Math.round(leaseMs)]),
      ),
    // Asked every poll of every replica's drain: a read first, so that nothing expired costs no write transaction.
    expireClaims: async () => ((await x.read(async (c) => (await c.rows(`${EXPIRED} LIMIT 1`)).length > 0)) ? x.write(expireClaims) : []),
    // An empty id is no holder (a released lease's row): it must match nothing.
    expireClaimsOf: async (holderId) => (holderId === '' ? [] : x.write((c) => expireClaimsOf(c, holderId))),
    markDone: (id, by, result) =>
      x.write((c) =>
        fromSending(c, id, by, `status = 'done', next_attempt_at = NULL, lease_until = NULL, result = $3`, [result === undefined ? null : toStorableJson(result, `outbox result for ${id}`)]),
      ),
    markFailed: (id, by, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return failure.retryAt
          ? fromSending(c, id, by, `status = 'pending', next_attempt_at = $3, claimed_by = NULL, lease_until = NULL, last_error = $4`, [instant(failure.retryAt), failure.error])
          : fromSending(c, id, by, `status = 'failed', next_attempt_at = NULL, lease_until = NULL, last_error = $3`, [failure.error]);
      }),
    markUnknown: (id, by, failure) =>
      x.write((c) => {
        checkStorableText(failure.error, 'outbox error');
        return fromSending(c, id, by, `status = 'unknown', next_attempt_at = NULL, lease_until = NULL, last_error = $3`, [failure.error]);
      }),
  };
}
