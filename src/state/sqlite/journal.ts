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

function getEntry(c: Ctx, id: string): JournalEntry | null {
  const row = c.stmt(`SELECT ${COLUMNS} FROM journal WHERE id = ?`).get(id) as JournalRow | undefined;
  return row ? toEntry(row) : null;
}

function openEntry(c: Ctx, input: JournalOpenInput): JournalEntry {
  const request = toStorableJson(requestSummary(input.request), `journal request for ${input.address}`);
  const exists = c.stmt('SELECT 1 FROM journal WHERE id = ?');
  let id = newMarker();
  while (exists.get(id)) id = newMarker();
  c.stmt(
    `INSERT INTO journal (id, address, operation, request, window_from, window_to, status, opened_at)
     VALUES (?, ?, ?, ?, ?, ?, 'open', ?)`,
  ).run(id, input.address, input.operation, request, input.window?.from ?? null, input.window?.to ?? null, c.now());
  c.recorded();
  return getEntry(c, id)!;
}

const AUDIT_OUTCOME = {
  succeeded: 'succeeded',
  adopted: 'succeeded',
  failed: 'failed',
  'not-created': 'not-created',
} as const satisfies Record<JournalSettlement['outcome'], AuditInput['outcome']>;

function settle(c: Ctx, s: JournalSettlement): JournalEntry {
  checkStorableText(s.message, 'journal message');
  const closed = c
    .stmt(`UPDATE journal SET status = ?, closed_at = ?, remote_id = ?, message = ? WHERE id = ? AND status = 'open'`)
    .run(s.outcome, c.now(), s.remoteId ?? null, s.message ?? null, s.id);
  if (closed.changes === 0) {
    const entry = getEntry(c, s.id);
    throw entry
      ? new StateError('conflict', `journal row ${s.id} is already ${entry.status}`)
      : new StateError('not-found', `no journal row ${s.id}`);
  }
  if (s.resource && 'put' in s.resource) putResource(c, s.resource.put);
  else if (s.resource && 'delete' in s.resource) deleteResource(c, s.resource.delete);
  appendAudit(c, { outcome: AUDIT_OUTCOME[s.outcome], ...s.audit, journalId: s.id });
  c.recorded();
  return getEntry(c, s.id)!;
}

export function journalStore(x: Executor): JournalStore {
  return {
    open: (input) => x.write((c) => openEntry(c, input)),
    get: (id) => x.read((c) => getEntry(c, id)),
    listOpen: () =>
      x.read((c) => (c.stmt(`SELECT ${COLUMNS} FROM journal WHERE status = 'open' ORDER BY seq`).all() as JournalRow[]).map(toEntry)),
    list: (f = {}) =>
      x.read((c) =>
        (
          c
            .stmt(`SELECT ${COLUMNS} FROM journal WHERE (@address IS NULL OR address = @address) ORDER BY seq DESC LIMIT @limit`)
            .all({ address: f.address ?? null, limit: f.limit ?? 100 }) as JournalRow[]
        ).map(toEntry),
      ),
    settle: (s) => x.write((c) => settle(c, s)),
  };
}
