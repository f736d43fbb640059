/**
 * The `refresh_requests` table (see RefreshRequestStore): a coordination table, so no write here
 * calls `recorded()` and the serial never moves for it. add() also sends the `refresh` hint in its
 * transaction (delivered when it commits); take() is one DELETE … RETURNING, so two leaders at
 * once (one about to lose its lease) never take the same request.
 */
import type { RefreshReason, RefreshRequest, RefreshRequestStore } from '../store.js';
import type { Executor } from './db.js';
import { NOTIFY_SQL } from './hints.js';

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
      x.write(async (c) => {
        const [row] = await c.rows<Row>(
          'INSERT INTO refresh_requests (reason, requested_by, requested_at) VALUES ($1, $2, $3) RETURNING id, reason, requested_by, requested_at',
          [reason, by, c.now()],
        );
        await c.run(NOTIFY_SQL, ['refresh']);
        return toRequest(row!);
      }),
    take: () =>
      x.write(async (c) => (await c.rows<Row>('DELETE FROM refresh_requests RETURNING id, reason, requested_by, requested_at')).map(toRequest).sort((a, b) => a.id - b.id)),
    count: () => x.read(async (c) => (await c.rows<{ n: number }>('SELECT COUNT(*)::int AS n FROM refresh_requests'))[0]!.n),
  };
}
