/**
 * syncMetadata after an apply: labels, protect and the defining file follow the YAML in state
 * without touching the recorded spec, and a change of key order alone is no change.
 */
import { describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import { prepareDesired } from '../../src/apply/desired.js';
import { syncMetadata } from '../../src/apply/metadata.js';
import type { StateStore } from '../../src/state/store.js';
import { applyOnce, load, PROVENANCE, TempProject, useApplyFixture } from './helpers.js';

let tp: TempProject;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, client, store } = f));

describe('syncMetadata', () => {
  it('rewrites only the rows whose metadata moved, keeping their spec', async () => {
    tp.campaign({ name: 'spring', labels: { team: 'growth', tier: 'gold' } });
    tp.campaign({ name: 'summer' });
    expect((await applyOnce(tp, store, client)).result!.ok).toBe(true);
    const before = (await store.resources.get('campaign.spring'))!;

    // Same labels in another order: nothing to do.
    tp.campaign({ name: 'spring', labels: { tier: 'gold', team: 'growth' } });
    expect(await syncMetadata(store, prepareDesired(await load(tp)), PROVENANCE)).toEqual([]);

    tp.campaign({ name: 'spring', labels: { team: 'retention', tier: 'gold' }, protect: true });
    expect(await syncMetadata(store, prepareDesired(await load(tp)), PROVENANCE)).toEqual(['campaign.spring']);
    const after = (await store.resources.get('campaign.spring'))!;
    expect(after).toEqual({ ...before, labels: { team: 'retention', tier: 'gold' }, protect: true });
    const [entry] = await store.audit.list({ address: 'campaign.spring', limit: 1 });
    expect(entry).toMatchObject({ command: 'apply', action: 'metadata', detail: { protect: true, labels: { team: 'retention', tier: 'gold' } } });

    expect(await syncMetadata(store, prepareDesired(await load(tp)), PROVENANCE)).toEqual([]);
  });
});
