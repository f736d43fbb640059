/**
 * The `refresh_requests` table (see RefreshRequestStore): a coordination table, so no write here
 * calls `recorded()` and the serial never moves for it. take() reads and deletes in one
 * BEGIN IMMEDIATE, so two processes never take the same request.
 */
import type { RefreshReason, RefreshRequest, RefreshRequestStore } from '../store.js';
import type { Executor } from './db.js';

interface Row {
  id: number;
  reason: RefreshReason;
  requested_by: string;
  requested_at: string;
}

function toRequest(r: Row): RefreshRequest {
  return { id: r.id, reason: r.reason, by: r.requested_by, at: r.requested_at };
}

export function requestStore(x: Executor): RefreshRequestStore {
  return {
    add: (reason, by) =>
      x.write((c) => {
        const row = c
          .stmt('INSERT INTO refresh_requests (reason, requested_by, requested_at) VALUES (?, ?, ?) RETURNING id, reason, requested_by, requested_at')
          .get(reason, by, c.now()) as Row;
        return toRequest(row);
      }),
    take: () =>
      x.write((c) => {
        const rows = c.stmt('SELECT id, reason, requested_by, requested_at FROM refresh_requests ORDER BY id').all() as Row[];
        if (rows.length > 0) c.stmt('DELETE FROM refresh_requests WHERE id <= ?').run(rows[rows.length - 1]!.id);
        return rows.map(toRequest);
      }),
    count: () => x.read((c) => (c.stmt('SELECT COUNT(*) AS n FROM refresh_requests').get() as { n: number }).n),
  };
}
