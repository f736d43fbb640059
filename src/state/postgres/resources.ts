/**
 * The `resources` table, as in SQLite: the AppliedResource as JSON text in three parts (`spec`,
 * `rendered`, the rest in `data`) plus the columns worth querying. A plan lists every row without
 * its spec and rendered request, the bulk of a row.
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

export async function getResource(c: Ctx, address: string): Promise<AppliedResource | null> {
  const [row] = await c.rows<Row>('SELECT data, spec, rendered FROM resources WHERE address = $1', [address]);
  return row ? fromRow(row) : null;
}

export async function putResource(c: Ctx, r: AppliedResource): Promise<void> {
  const { spec, rendered, ...rest } = r;
  const data = toStorableJson(rest, `resource ${r.address}`);
  const specJson = spec === undefined ? null : toStorableJson(spec, `resource ${r.address}`);
  const renderedJson = rendered === undefined ? null : toStorableJson(rendered, `resource ${r.address}`);
  await c.run(
    `INSERT INTO resources (address, kind, spec_hash, remote_id, status, applied_at, data, spec, rendered) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (address) DO UPDATE SET kind = excluded.kind, spec_hash = excluded.spec_hash, remote_id = excluded.remote_id,
       status = excluded.status, applied_at = excluded.applied_at, data = excluded.data, spec = excluded.spec, rendered = excluded.rendered`,
    [r.address, r.kind, r.specHash, r.remoteId, r.status, r.appliedAt, data, specJson, renderedJson],
  );
  c.recorded();
}

export async function deleteResource(c: Ctx, address: string): Promise<boolean> {
  const changed = (await c.run('DELETE FROM resources WHERE address = $1', [address])) > 0;
  if (changed) c.recorded();
  return changed;
}

export function resourceStore(x: Executor): ResourceStore {
  return {
    get: (address) => x.read((c) => getResource(c, address)),
    // COLLATE "C": byte order, as SQLite sorts text, whatever the database's collation.
    list: () => x.read(async (c) => (await c.rows<Row>('SELECT data, spec, rendered FROM resources ORDER BY address COLLATE "C"')).map(fromRow)),
    listWithoutSpecs: () =>
      x.read(async (c) => (await c.rows<{ data: string }>('SELECT data FROM resources ORDER BY address COLLATE "C"')).map((row) => JSON.parse(row.data) as AppliedWithoutSpec)),
    campaignStarts: () =>
      x.read(async (c) =>
        (await c.rows<{ start: string }>("SELECT DISTINCT coalesce(data::jsonb ->> 'scheduledFor', applied_at) AS start FROM resources WHERE kind = 'Campaign' AND remote_id IS NOT NULL")).map((r) => r.start),
      ),
    listOf: (addresses) =>
      x.read(async (c) =>
        (await c.rows<Row>('SELECT data, spec, rendered FROM resources WHERE address IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY address COLLATE "C"', [JSON.stringify(addresses)])).map(fromRow),
      ),
    put: (r) => x.write((c) => putResource(c, r)),
    delete: (address) => x.write((c) => deleteResource(c, address)),
  };
}
