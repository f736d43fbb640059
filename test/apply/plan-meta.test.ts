/**
 * computePlan's meta hashes the configuration only when read (the daemon's file-event plans show
 * only the changes): read, spread or serialised, it is the configuration's hash, and it follows
 * an edit. The changes /v1/status shows (changesToJson) are the plan JSON's changes.
 */
import { describe, expect, it } from 'vitest';
import { configHash } from '../../src/apply/config-hash.js';
import { changesToJson, planToJson } from '../../src/plan/plan-json.js';
import { load, planOnly, useApplyFixture, type ApplyFixture } from './helpers.js';

let f: ApplyFixture;
useApplyFixture((x) => (f = x));

describe("computePlan's meta", () => {
  it('gives the configuration hash when read, spread or serialised, and a new one after an edit', async () => {
    f.tp.campaign({ name: 'a', title: 'Title a' });
    const first = await planOnly(f.tp, f.store, f.client);
    const hash = configHash(await load(f.tp));
    expect(first.meta.configHash).toBe(hash);
    expect({ ...first.meta }.configHash).toBe(hash);
    expect(JSON.parse(JSON.stringify(first.meta)).configHash).toBe(hash);
    expect(planToJson(first.plan, first.meta).config_hash).toBe(hash);
    expect(changesToJson(first.plan.changes)).toEqual(planToJson(first.plan, first.meta).changes);
    expect(changesToJson(first.plan.changes).map((c) => [c.address, c.action])).toEqual([['campaign.a', 'create']]);

    f.tp.campaign({ name: 'a', title: 'Title a, edited' });
    const second = await planOnly(f.tp, f.store, f.client);
    expect(second.meta.configHash).toMatch(/^sha256:/);
    expect(second.meta.configHash).not.toBe(hash);
  });
});
