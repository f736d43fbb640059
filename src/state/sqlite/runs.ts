/**
 * The `runs` table: (kind, subject, key) is the primary key, so a claim is one INSERT that only
 * one writer can win, across processes (writes are serialised by BEGIN IMMEDIATE) and replicas.
 */
import { StateError } from '../errors.js';
import { toStorableJson } from '../json-guard.js';
import { splitLedger } from '../run-ledger.js';
import type { ClaimResult, JsonObject, RunKey, RunLedger, RunRecord, RunReport, RunStatus, RunStore, TickDecision, TickRequest } from '../store.js';
import { advance, get as getCursor } from './cursors.js';
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

const WHERE_KEY = 'kind = @kind AND subject = @subject AND key = @key';

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

function keyParams(k: RunKey) {
  return { kind: k.kind, subject: k.subject, key: k.key };
}

function getRun(c: Ctx, k: RunKey): RunRecord | null {
  const row = c.stmt(`SELECT * FROM runs WHERE ${WHERE_KEY}`).get(keyParams(k)) as RunRow | undefined;
  return row ? toRecord(row) : null;
}

function detailJson(detail: JsonObject | undefined, k: RunKey): string | null {
  return detail === undefined ? null : toStorableJson(detail, `run detail for ${k.subject}#${k.key}`);
}

function claim(c: Ctx, k: RunKey, detail?: JsonObject): ClaimResult {
  const now = c.now();
  const params = { ...keyParams(k), now, detail: detailJson(detail, k) };
  const inserted = c
    .stmt(
      `INSERT INTO runs (kind, subject, key, status, attempts, claimed_at, updated_at, detail)
       VALUES (@kind, @subject, @key, 'claimed', 1, @now, @now, @detail) ON CONFLICT DO NOTHING`,
    )
    .run(params);
  // A run that definitely failed may be tried again; every other status is final for automation.
  const reclaimed =
    inserted.changes === 0 &&
    c
      .stmt(
        `UPDATE runs SET status = 'claimed', attempts = attempts + 1, claimed_at = @now, updated_at = @now, detail = @detail
         WHERE ${WHERE_KEY} AND status = 'failed'`,
      )
      .run(params).changes > 0;
  const run = getRun(c, k)!;
  if (inserted.changes > 0 || reclaimed) {
    c.recorded();
    return { claimed: true, run };
  }
  return { claimed: false, run };
}

function mark(c: Ctx, k: RunKey, status: RunStatus, detail?: JsonObject): RunRecord {
  const json = detailJson(detail, k);
  const changed = c
    .stmt(`UPDATE runs SET status = @status, updated_at = @now, detail = COALESCE(@detail, detail) WHERE ${WHERE_KEY}`)
    .run({ ...keyParams(k), status, now: c.now(), detail: json }).changes;
  if (changed === 0) throw new StateError('not-found', `run ${k.subject}#${k.key} was never claimed`);
  c.recorded();
  return getRun(c, k)!;
}

function resolve(c: Ctx, k: RunKey, outcome: 'raised' | 'not-raised', detail?: JsonObject): RunRecord | null {
  const resolution: JsonObject = { ...(detail ?? {}), resolved: outcome };
  if (getRun(c, k)) return mark(c, k, outcome === 'raised' ? 'done' : 'failed', resolution);
  if (outcome === 'not-raised') return null;
  const now = c.now();
  c.stmt(
    `INSERT INTO runs (kind, subject, key, status, attempts, claimed_at, updated_at, detail)
     VALUES (@kind, @subject, @key, 'done', 0, @now, @now, @detail)`,
  ).run({ ...keyParams(k), now, detail: detailJson(resolution, k) });
  c.recorded();
  return getRun(c, k);
}

function record(c: Ctx, k: RunKey, status: RunStatus, detail?: JsonObject): { recorded: boolean; run: RunRecord } {
  const now = c.now();
  const inserted = c
    .stmt(
      `INSERT INTO runs (kind, subject, key, status, attempts, claimed_at, updated_at, detail)
       VALUES (@kind, @subject, @key, @status, 0, @now, @now, @detail) ON CONFLICT DO NOTHING`,
    )
    .run({ ...keyParams(k), status, now, detail: detailJson(detail, k) }).changes > 0;
  if (inserted) c.recorded();
  return { recorded: inserted, run: getRun(c, k)! };
}

function keepReport(c: Ctx, k: RunKey, figures: { sent: number; clicked: number }): RunRecord {
  const report: RunReport = { sent: figures.sent, clicked: figures.clicked, fetchedAt: c.now() };
  // No recorded(): figures CleverTap will always answer the same way change nothing a plan reads.
  const changed = c.stmt(`UPDATE runs SET report = @report WHERE ${WHERE_KEY}`).run({ ...keyParams(k), report: toStorableJson(report, `run report for ${k.subject}#${k.key}`) }).changes;
  if (changed === 0) throw new StateError('not-found', `run ${k.subject}#${k.key} does not exist`);
  return getRun(c, k)!;
}

/** A tick's row and its schedule's other ticks still `claimed` (two index lookups: the key, then runs_claimed). */
const LEDGER = `SELECT * FROM runs WHERE ${WHERE_KEY}
  UNION ALL SELECT * FROM runs WHERE kind = @kind AND subject = @subject AND status = 'claimed' AND key <> @key
  ORDER BY key`;

/** SQLite's write transactions run one at a time: the cursor is always this pass's; it moves, then the ledger is read. */
function takeTick(c: Ctx, address: string, k: RunKey, advanceTo: string): RunLedger {
  advance(c, address, advanceTo, false);
  return splitLedger((c.stmt(LEDGER).all(keyParams(k)) as RunRow[]).map(toRecord), k);
}

/** takeTick, then the claim when nothing stands in the way: RunStore.decideTick, null having written nothing. */
function decideTick(c: Ctx, t: TickRequest): TickDecision | null {
  if (getCursor(c, t.address) === null) return null;
  const advanceTo = new Date(t.advanceTo).toISOString();
  const ledger = splitLedger((c.stmt(LEDGER).all(keyParams(t.key)) as RunRow[]).map(toRecord), t.key);
  if (!ledger.run && t.overlap === 'check' && ledger.claimed.length > 0) return null;
  advance(c, t.address, advanceTo, false);
  if (ledger.run) return { kind: 'already-claimed', run: ledger.run };
  const won = claim(c, t.key, t.detail);
  return { kind: won.claimed ? 'claimed' : 'already-claimed', run: won.run };
}

export function runStore(x: Executor): RunStore {
  return {
    claim: (k, detail) => x.write((c) => claim(c, k, detail)),
    mark: (k, status, detail) => x.write((c) => mark(c, k, status, detail)),
    get: (k) => x.read((c) => getRun(c, k)),
    list: (f = {}) =>
      x.read((c) =>
        (
          c
            .stmt(
              `SELECT * FROM runs WHERE (@subject IS NULL OR subject = @subject) AND (@kind IS NULL OR kind = @kind)
               AND (@status IS NULL OR status = @status) ORDER BY subject, key`,
            )
            .all({ subject: f.subject ?? null, kind: f.kind ?? null, status: f.status ?? null }) as RunRow[]
        ).map(toRecord),
      ),
    resolve: (k, outcome, detail) => x.write((c) => resolve(c, k, outcome, detail)),
    record: (k, status, detail) => x.write((c) => record(c, k, status, detail)),
    keepReport: (k, figures) => x.write((c) => keepReport(c, k, figures)),
    takeTick: (address, k, advanceTo) => x.write((c) => takeTick(c, address, k, new Date(advanceTo).toISOString())),
    // Decided already: a plain read answers, as on PostgreSQL, without a write transaction.
    decideTick: async (t) => {
      const decided = await x.read((c) => getRun(c, t.key));
      return decided ? { kind: 'already-claimed', run: decided } : x.write((c) => decideTick(c, t));
    },
  };
}
