/**
 * The `runs` table: (kind, subject, key) is the primary key, so a claim is one
 * `INSERT … ON CONFLICT DO NOTHING RETURNING`: only the writer that got a row back owns the send,
 * across processes and replicas (a second inserter waits for the first's commit, then gets none).
 */
import { StateError } from '../errors.js';
import { toStorableJson } from '../json-guard.js';
import { splitLedger } from '../run-ledger.js';
import type { ClaimResult, JsonObject, RunKey, RunLedger, RunRecord, RunReport, RunStatus, RunStore, TickDecision, TickRequest } from '../store.js';
import { afterTake, TAKE, takeParams, type TakeRow } from './cursors.js';
import type { Ctx, Executor } from './db.js';

interface RunRow {
  kind: RunRecord['kind'];
  subject: string;
  key: string;
  status: RunStatus;
  attempts: number;
  claimed_at: string;
  updated_at: string;
  detail: string | null;
  report: string | null;
}

/** $1, $2, $3 are always kind, subject, key. */
const WHERE_KEY = 'kind = $1 AND subject = $2 AND key = $3';
const INSERT = 'INSERT INTO runs (kind, subject, key, status, attempts, claimed_at, updated_at, detail)';

function toRecord(r: RunRow): RunRecord {
  return {
    kind: r.kind,
    subject: r.subject,
    key: r.key,
    status: r.status,
    attempts: r.attempts,
    claimedAt: r.claimed_at,
    updatedAt: r.updated_at,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as JsonObject),
    report: r.report === null ? null : (JSON.parse(r.report) as RunReport),
  };
}

function keyParams(k: RunKey): unknown[] {
  return [k.kind, k.subject, k.key];
}

async function getRun(c: Ctx, k: RunKey): Promise<RunRecord | null> {
  const [row] = await c.rows<RunRow>(`SELECT * FROM runs WHERE ${WHERE_KEY}`, keyParams(k));
  return row ? toRecord(row) : null;
}

function detailJson(detail: JsonObject | undefined, k: RunKey): string | null {
  return detail === undefined ? null : toStorableJson(detail, `run detail for ${k.subject}#${k.key}`);
}

async function claim(c: Ctx, k: RunKey, detail?: JsonObject): Promise<ClaimResult> {
  const params = [...keyParams(k), c.now(), detailJson(detail, k)];
  const [inserted] = await c.rows<RunRow>(`${INSERT} VALUES ($1, $2, $3, 'claimed', 1, $4, $4, $5) ON CONFLICT DO NOTHING RETURNING *`, params);
  // A run that definitely failed may be tried again; every other status is final for automation.
  const [reclaimed] = inserted
    ? [undefined]
    : await c.rows<RunRow>(
        `UPDATE runs SET status = 'claimed', attempts = attempts + 1, claimed_at = $4, updated_at = $4, detail = $5
         WHERE ${WHERE_KEY} AND status = 'failed' RETURNING *`,
        params,
      );
  const won = inserted ?? reclaimed;
  if (won) {
    c.recorded();
    return { claimed: true, run: toRecord(won) };
  }
  return { claimed: false, run: (await getRun(c, k))! };
}

async function mark(c: Ctx, k: RunKey, status: RunStatus, detail?: JsonObject): Promise<RunRecord> {
  const [row] = await c.rows<RunRow>(`UPDATE runs SET status = $4, updated_at = $5, detail = COALESCE($6, detail) WHERE ${WHERE_KEY} RETURNING *`, [
    ...keyParams(k),
    status,
    c.now(),
    detailJson(detail, k),
  ]);
  if (!row) throw new StateError('not-found', `run ${k.subject}#${k.key} was never claimed`);
  c.recorded();
  return toRecord(row);
}

async function resolve(c: Ctx, k: RunKey, outcome: 'raised' | 'not-raised', detail?: JsonObject): Promise<RunRecord | null> {
  const resolution: JsonObject = { ...(detail ?? {}), resolved: outcome };
  if (await getRun(c, k)) return mark(c, k, outcome === 'raised' ? 'done' : 'failed', resolution);
  if (outcome === 'not-raised') return null;
  const [row] = await c.rows<RunRow>(`${INSERT} VALUES ($1, $2, $3, 'done', 0, $4, $4, $5) RETURNING *`, [...keyParams(k), c.now(), detailJson(resolution, k)]);
  c.recorded();
  return toRecord(row!);
}

async function record(c: Ctx, k: RunKey, status: RunStatus, detail?: JsonObject): Promise<{ recorded: boolean; run: RunRecord }> {
  const [row] = await c.rows<RunRow>(`${INSERT} VALUES ($1, $2, $3, $4, 0, $5, $5, $6) ON CONFLICT DO NOTHING RETURNING *`, [
    ...keyParams(k),
    status,
    c.now(),
    detailJson(detail, k),
  ]);
  if (row) {
    c.recorded();
    return { recorded: true, run: toRecord(row) };
  }
  return { recorded: false, run: (await getRun(c, k))! };
}

async function keepReport(c: Ctx, k: RunKey, figures: { sent: number; clicked: number }): Promise<RunRecord> {
  const report: RunReport = { sent: figures.sent, clicked: figures.clicked, fetchedAt: c.now() };
  // No recorded(): figures CleverTap will always answer the same way change nothing a plan reads.
  const [row] = await c.rows<RunRow>(`UPDATE runs SET report = $4 WHERE ${WHERE_KEY} RETURNING *`, [
    ...keyParams(k),
    toStorableJson(report, `run report for ${k.subject}#${k.key}`),
  ]);
  if (!row) throw new StateError('not-found', `run ${k.subject}#${k.key} does not exist`);
  return toRecord(row);
}

/** A tick's row and its schedule's other ticks still `claimed` (two index lookups: the key, then runs_claimed). */
const LEDGER = `SELECT * FROM (SELECT * FROM runs WHERE ${WHERE_KEY}
  UNION ALL SELECT * FROM runs WHERE kind = $1 AND subject = $2 AND status = 'claimed' AND key <> $3) ledger
  ORDER BY key COLLATE "C"`;

async function takeTick(c: Ctx, address: string, k: RunKey, advanceTo: string): Promise<RunLedger | null> {
  // One round trip: the ledger read goes in the same message as the take, as its own statement.
  const [took, ledger] = (await c.rowsOfEach([
    { sql: TAKE, params: takeParams(c, address, advanceTo) },
    { sql: LEDGER, params: keyParams(k) },
  ])) as [TakeRow[], RunRow[]];
  const cursor = await afterTake(c, address, advanceTo, took[0]!);
  if (cursor === 'held') return null;
  // A cursor created here was locked after that read: read again under the lock.
  const rows = cursor === 'mine' ? ledger : await c.rows<RunRow>(LEDGER, keyParams(k));
  return splitLedger(rows.map(toRecord), k);
}

/**
 * RunStore.decideTick: the function of migration 5 (./migrations.ts), in one message with its
 * BEGIN and COMMIT. Its steps: a plain read of the tick (decided: answered, nothing locked), the
 * cursor taken (SKIP LOCKED), the tick read again under the lock, the overlap check, the claim,
 * the serial, the cursor moved.
 */
async function decideTick(x: Executor, t: TickRequest, now: string): Promise<TickDecision | null> {
  const params = [...keyParams(t.key), now, detailJson(t.detail, t.key), t.overlap === 'allow', t.address, new Date(t.advanceTo).toISOString()];
  const [rows] = (await x.atomic([{ sql: 'SELECT * FROM decide_tick($1, $2, $3, $4, $5, $6, $7, $8)', params }])) as [(RunRow & { outcome: string })[]];
  const row = rows[0]!;
  if (row.outcome === 'busy') return { kind: 'busy' };
  if (row.outcome === 'claimed' || row.outcome === 'already-claimed') return { kind: row.outcome, run: toRecord(row) };
  return null;
}

export function runStore(x: Executor): RunStore {
  return {
    claim: (k, detail) => x.write((c) => claim(c, k, detail)),
    mark: (k, status, detail) => x.write((c) => mark(c, k, status, detail)),
    get: (k) => x.read((c) => getRun(c, k)),
    list: (f = {}) =>
      x.read(async (c) =>
        (
          await c.rows<RunRow>(
            `SELECT * FROM runs WHERE ($1::text IS NULL OR subject = $1) AND ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR status = $3) ORDER BY subject COLLATE "C", key COLLATE "C"`,
            [f.subject ?? null, f.kind ?? null, f.status ?? null],
          )
        ).map(toRecord),
      ),
    resolve: (k, outcome, detail) => x.write((c) => resolve(c, k, outcome, detail)),
    record: (k, status, detail) => x.write((c) => record(c, k, status, detail)),
    keepReport: (k, figures) => x.write((c) => keepReport(c, k, figures)),
    takeTick: (address, k, advanceTo) => x.write((c) => takeTick(c, address, k, new Date(advanceTo).toISOString())),
    decideTick: (t) => decideTick(x, t, x.now()),
  };
}
