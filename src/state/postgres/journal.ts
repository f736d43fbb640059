/**
 * The `journal` table: a row per remote write, opened before the call. Settling closes the row
 * and applies its consequence (resource put/delete, audit) in the caller's one transaction.
 */
import { StateError } from '../errors.js';
import { newMarker } from '../ids.js';
import { checkStorableText, toStorableJson } from '../json-guard.js';
import type { AuditInput, JournalEntry, JournalOpenInput, JournalRequest, JournalSettlement, JournalStore } from '../store.js';
import { appendAudit } from './audit.js';
import type { Ctx, Executor } from './db.js';
import { deleteResource, putResource } from './resources.js';

interface JournalRow {
  id: string;
  address: string;
  operation: JournalEntry['operation'];
  request: string;
  window_from: number | null;
  window_to: number | null;
  status: JournalEntry['status'];
  opened_at: string;
  closed_at: string | null;
  remote_id: number | null;
  message: string | null;
}

const COLUMNS = 'id, address, operation, request, window_from, window_to, status, opened_at, closed_at, remote_id, message';

function toEntry(r: JournalRow): JournalEntry {
  return {
    id: r.id,
    address: r.address,
    operation: r.operation,
    request: JSON.parse(r.request) as JournalRequest,
    window: r.window_from === null || r.window_to === null ? null : { from: r.window_from, to: r.window_to },
    status: r.status,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    remoteId: r.remote_id,
    message: r.message,
  };
}

/** Only the documented request fields are kept: a stray property (a header, a body) is dropped, not stored. */
function requestSummary(r: JournalRequest): JournalRequest {
  const { remoteName, remoteId, specHash, scheduledFor, runKey } = r;
  return JSON.parse(JSON.stringify({ remoteName, remoteId, specHash, scheduledFor, runKey })) as JournalRequest;
}

async function getEntry(c: Ctx, id: string): Promise<JournalEntry | null> {
  const [row] = await c.rows<JournalRow>(`SELECT ${COLUMNS} FROM journal WHERE id = $1`, [id]);
  return row ? toEntry(row) : null;
}

async function openEntry(c: Ctx, input: JournalOpenInput): Promise<JournalEntry> {
  const request = toStorableJson(requestSummary(input.request), `journal request for ${input.address}`);
  for (;;) {
    // A marker already taken (50 random bits: practically never) is drawn again.
    const [row] = await c.rows<JournalRow>(
      `INSERT INTO journal (id, address, operation, request, window_from, window_to, status, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [newMarker(), input.address, input.operation, request, input.window?.from ?? null, input.window?.to ?? null, c.now()],
    );
    if (row) {
      c.recorded();
      return toEntry(row);
    }
  }
}

const AUDIT_OUTCOME = {
  succeeded: 'succeeded',
  adopted: 'succeeded',
  failed: 'failed',
  'not-created': 'not-created',
} as const satisfies Record<JournalSettlement['outcome'], AuditInput['outcome']>;

async function settle(c: Ctx, s: JournalSettlement): Promise<JournalEntry> {
  checkStorableText(s.message, 'journal message');
  const closed = await c.run(`UPDATE journal SET status = $1, closed_at = $2, remote_id = $3, message = $4 WHERE id = $5 AND status = 'open'`, [
    s.outcome,
    c.now(),
    s.remoteId ?? null,
    s.message ?? null,
    s.id,
  ]);
  if (closed === 0) {
    const entry = await getEntry(c, s.id);
    throw entry ? new StateError('conflict', `journal row ${s.id} is already ${entry.status}`) : new StateError('not-found', `no journal row ${s.id}`);
  }
  if (s.resource && 'put' in s.resource) await putResource(c, s.resource.put);
  else if (s.resource && 'delete' in s.resource) await deleteResource(c, s.resource.delete);
  await appendAudit(c, { outcome: AUDIT_OUTCOME[s.outcome], ...s.audit, journalId: s.id });
  c.recorded();
  return (await getEntry(c, s.id))!;
}

export function journalStore(x: Executor): JournalStore {
  return {
    open: (input) => x.write((c) => openEntry(c, input)),
    get: (id) => x.read((c) => getEntry(c, id)),
    listOpen: () => x.read(async (c) => (await c.rows<JournalRow>(`SELECT ${COLUMNS} FROM journal WHERE status = 'open' ORDER BY seq`)).map(toEntry)),
    list: (f = {}) =>
      x.read(async (c) =>
        (await c.rows<JournalRow>(`SELECT ${COLUMNS} FROM journal WHERE ($1::text IS NULL OR address = $1) ORDER BY seq DESC LIMIT $2`, [f.address ?? null, f.limit ?? 100])).map(
          toEntry,
        ),
      ),
    settle: (s) => x.write((c) => settle(c, s)),
  };
}
