/** The `resources` table: the whole AppliedResource as JSON, plus the columns worth querying. */
import type { AppliedResource } from '../../model/applied.js';
import { toStorableJson } from '../json-guard.js';
import type { AppliedWithoutSpec, ResourceStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

export function getResource(c: Ctx, address: string): AppliedResource | null {
  const row = c.stmt('SELECT data FROM resources WHERE address = ?').get(address) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as AppliedResource) : null;
}

export function putResource(c: Ctx, r: AppliedResource): void {
  const data = toStorableJson(r, `resource ${r.address}`);
  c.stmt(
    `INSERT INTO resources (address, kind, spec_hash, remote_id, status, applied_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (address) DO UPDATE SET kind = excluded.kind, spec_hash = excluded.spec_hash, remote_id = excluded.remote_id,
       status = excluded.status, applied_at = excluded.applied_at, data = excluded.data`,
  ).run(r.address, r.kind, r.specHash, r.remoteId, r.status, r.appliedAt, data);
  c.recorded();
}

export function deleteResource(c: Ctx, address: string): boolean {
  const changed = c.stmt('DELETE FROM resources WHERE address = ?').run(address).changes > 0;
  if (changed) c.recorded();
  return changed;
}

export function resourceStore(x: Executor): ResourceStore {
  return {
    get: (address) => x.read((c) => getResource(c, address)),
    list: () =>
      x.read((c) =>
        (c.stmt('SELECT data FROM resources ORDER BY address').all() as { data: string }[]).map(
          (row) => JSON.parse(row.data) as AppliedResource,
        ),
      ),
    // json_remove runs in SQLite's C code: JavaScript parses only the small remainder of each row.
    listWithoutSpecs: () =>
      x.read((c) =>
        (c.stmt("SELECT json_remove(data, '$.spec') AS rest FROM resources ORDER BY address").all() as { rest: string }[]).map(
          (row) => JSON.parse(row.rest) as AppliedWithoutSpec,
        ),
      ),
    put: (r) => x.write((c) => putResource(c, r)),
    delete: (address) => x.write((c) => deleteResource(c, address)),
  };
}
