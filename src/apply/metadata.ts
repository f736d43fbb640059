/**
 * Labels, `protect` and the defining file are metadata, not spec: changing them is not a change
 * CleverTap sees, so the planner does not propose one. State still has to follow them (a campaign
 * marked `protect: true` must be protected once its file is deleted), so after a full apply the
 * rows of resources whose metadata moved are updated in one transaction.
 */
import { isSuperseded } from '../plan/addresses.js';
import { canonicalJson } from '../plan/canonical.js';
import type { StateStore } from '../state/store.js';
import type { DesiredState } from './desired.js';
import { audit, type Provenance } from '../state/record.js';

export async function syncMetadata(store: StateStore, desired: DesiredState, provenance: Provenance): Promise<string[]> {
  // Runs after every apply: compare on the rows without their specs (cheap on a big state); read
  // the full row only to rewrite one whose metadata moved.
  const rows = await store.resources.listWithoutSpecs();
  const moved = rows.flatMap((row) => {
    if (isSuperseded(row.address)) return [];
    const resource = desired.byAddress.get(row.address)?.resource;
    if (!resource) return [];
    const same =
      row.protect === resource.protect &&
      (row.file ?? null) === resource.source.file &&
      canonicalJson(row.labels) === canonicalJson(resource.labels);
    return same ? [] : [{ address: row.address, labels: { ...resource.labels }, protect: resource.protect, file: resource.source.file }];
  });
  if (moved.length === 0) return [];
  return store.transaction(async (tx) => {
    const updated: string[] = [];
    for (const m of moved) {
      const row = await tx.resources.get(m.address);
      if (!row) continue; // forgotten since it was listed: nothing left to follow the YAML
      await tx.resources.put({ ...row, labels: m.labels, protect: m.protect, file: m.file });
      await tx.audit.append(audit(provenance, m.address, 'metadata', { protect: m.protect, labels: m.labels }));
      updated.push(m.address);
    }
    return updated;
  });
}
