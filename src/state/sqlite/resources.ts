/**
 * The `resources` table: the AppliedResource as JSON in two parts, `spec` and the rest (`data`),
 * plus the columns worth querying. A plan lists every row without its spec.
 */
import type { AppliedResource } from '../../model/applied.js';
import { toStorableJson } from '../json-guard.js';
import type { AppliedWithoutSpec, ResourceStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

type Row = { data: string; spec: string | null };

function fromRow(row: Row): AppliedResource {
  const r = JSON.parse(row.data) as AppliedResource;
  if (row.spec !== null) r.spec = JSON.parse(row.spec) as AppliedResource['spec'];
  return r;
}

export function getResource(c: Ctx, address: string): AppliedResource | null {
  const row = c.stmt('SELECT data, spec FROM resources WHERE address = ?').get(address) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function putResource(c: Ctx, r: AppliedResource): void {
  const { spec, ...rest } = r;
  const data = toStorableJson(rest, `resource ${r.address}`);
  const specJson = spec === undefined ? null : toStorableJson(spec, `resource ${r.address}`);
  c.stmt(
    `INSERT INTO resources (address, kind, spec_hash, remote_id, status, applied_at, data, spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (address) DO UPDATE SET kind = excluded.kind, spec_hash = excluded.spec_hash, remote_id = excluded.remote_id,
       status = excluded.status, applied_at = excluded.applied_at, data = excluded.data, spec = excluded.spec`,
  ).run(r.address, r.kind, r.specHash, r.remoteId, r.status, r.appliedAt, data, specJson);
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
    list: () => x.read((c) => (c.stmt('SELECT data, spec FROM resources ORDER BY address').all() as Row[]).map(fromRow)),
    listWithoutSpecs: () =>
      x.read((c) => (c.stmt('SELECT data FROM resources ORDER BY address').all() as { data: string }[]).map((row) => JSON.parse(row.data) as AppliedWithoutSpec)),
    put: (r) => x.write((c) => putResource(c, r)),
    delete: (address) => x.write((c) => deleteResource(c, address)),
  };
}
