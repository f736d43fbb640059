/**
 * The `resources` table: the AppliedResource as JSON in three parts, `spec`, `rendered` and the rest
 * (`data`), plus the columns worth querying. A plan lists every row without its spec and rendered
 * request, the bulk of a row.
 */
import type { AppliedResource } from '../../model/applied.js';
import { toStorableJson } from '../json-guard.js';
import type { AppliedWithoutSpec, ResourceStore } from '../store.js';
import type { Ctx, Executor } from './db.js';

type Row = { data: string; spec: string | null; rendered: string | null };

function fromRow(row: Row): AppliedResource {
  const r = JSON.parse(row.data) as AppliedResource;
  if (row.spec !== null) r.spec = JSON.parse(row.spec) as AppliedResource['spec'];
  if (row.rendered !== null) r.rendered = JSON.parse(row.rendered) as AppliedResource['rendered'];
  return r;
}

export function getResource(c: Ctx, address: string): AppliedResource | null {
  const row = c.stmt('SELECT data, spec, rendered FROM resources WHERE address = ?').get(address) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function putResource(c: Ctx, r: AppliedResource): void {
  const { spec, rendered, ...rest } = r;
  const data = toStorableJson(rest, `resource ${r.address}`);
  const specJson = spec === undefined ? null : toStorableJson(spec, `resource ${r.address}`);
  const renderedJson = rendered === undefined ? null : toStorableJson(rendered, `resource ${r.address}`);
  c.stmt(
    `INSERT INTO resources (address, kind, spec_hash, remote_id, status, applied_at, data, spec, rendered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (address) DO UPDATE SET kind = excluded.kind, spec_hash = excluded.spec_hash, remote_id = excluded.remote_id,
       status = excluded.status, applied_at = excluded.applied_at, data = excluded.data, spec = excluded.spec, rendered = excluded.rendered`,
  ).run(r.address, r.kind, r.specHash, r.remoteId, r.status, r.appliedAt, data, specJson, renderedJson);
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
    list: () => x.read((c) => (c.stmt('SELECT data, spec, rendered FROM resources ORDER BY address').all() as Row[]).map(fromRow)),
    listWithoutSpecs: () =>
      x.read((c) => (c.stmt('SELECT data FROM resources ORDER BY address').all() as { data: string }[]).map((row) => JSON.parse(row.data) as AppliedWithoutSpec)),
    campaignStarts: () =>
      x.read((c) =>
        (c.stmt("SELECT DISTINCT coalesce(json_extract(data, '$.scheduledFor'), applied_at) AS start FROM resources WHERE kind = 'Campaign' AND remote_id IS NOT NULL").all() as { start: string }[]).map((r) => r.start),
      ),
    // The addresses as one JSON array bound to one parameter: no limit on how many (SQLite's on parameters is not met).
    listOf: (addresses) =>
      x.read((c) => (c.stmt('SELECT data, spec, rendered FROM resources WHERE address IN (SELECT value FROM json_each(?)) ORDER BY address').all(JSON.stringify(addresses)) as Row[]).map(fromRow)),
    put: (r) => x.write((c) => putResource(c, r)),
    delete: (address) => x.write((c) => deleteResource(c, address)),
  };
}
