/**
 * Labels, `protect` and the defining file are metadata, not spec: changing them is not a change
 * CleverTap sees, so the planner does not propose one. State still has to follow them (a campaign
 * marked `protect: true` must be protected once its file is deleted), so after a full apply the
 * rows of resources whose metadata moved are updated in one transaction.
 */
import { isSuperseded } from '../plan/addresses.js';
import type { StateStore } from '../state/store.js';
import type { DesiredState } from './desired.js';
import { audit, type Provenance } from './record.js';

export async function syncMetadata(store: StateStore, desired: DesiredState, provenance: Provenance): Promise<string[]> {
  const rows = await store.resources.list();
  const moved = rows.flatMap((row) => {
    if (isSuperseded(row.address)) return [];
    const resource = desired.byAddress.get(row.address)?.resource;
    if (!resource) return [];
    const same =
      row.protect === resource.protect &&
      (row.file ?? null) === resource.source.file &&
      JSON.stringify(sorted(row.labels)) === JSON.stringify(sorted(resource.labels));
    return same ? [] : [{ ...row, labels: { ...resource.labels }, protect: resource.protect, file: resource.source.file }];
  });
  if (moved.length === 0) return [];
  await store.transaction(async (tx) => {
    for (const row of moved) {
      await tx.resources.put(row);
      await tx.audit.append(audit(provenance, row.address, 'metadata', { protect: row.protect, labels: row.labels }));
    }
  });
  return moved.map((r) => r.address);
}

function sorted(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
