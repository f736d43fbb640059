/**
 * The desired resources the daemon's in-memory index keeps between plans: after each kind of
 * change the plan's desired state (spec hash, start, canonical spec) is exactly what a fresh index
 * derives, while a one-file edit re-derives only that file's resources. Real temp projects, in-process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDesired, type DesiredMemo } from '../../src/apply/desired.js';
import { ProjectIndex } from '../../src/project-index/project-index.js';
import { smallProject, smsCampaign as sms } from './small-project.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-kept-desired-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NOW = new Date('2026-06-15T12:00:00Z');

function project(): string {
  const root = smallProject(scratch, '    vars:\n      shop: ShopNest\n');
  writeFileSync(path.join(root, 'campaigns', 'shop.yaml'), sms('shop', 'At {{vars.shop}}'));
  return root;
}

const head = (root: string) => ({ root, resolve: { root, cwd: root, environ: {} }, threads: 1 });
const keeping = (index: ProjectIndex): DesiredMemo => ({ get: (k) => index.get(k), set: (k, v) => index.set(k, v), save: () => true, kept: (r) => index.keptDesired(r), keep: (r, d) => index.keepDesired(r, d) });

/** The desired state as a plan sees it, by address. */
function derived(index: ProjectIndex, memo?: DesiredMemo) {
  const { desired } = prepareDesired(index.project(), memo ? { memo } : {});
  return new Map(desired.map((d) => [d.resource.address, d]));
}

async function freshDerived(root: string) {
  const index = new ProjectIndex(head(root));
  await index.refresh(NOW);
  return derived(index);
}

const shown = (m: Map<string, { specHash: string; startsAt?: unknown; canonicalSpec: unknown }>) =>
  [...m].map(([a, d]) => [a, d.specHash, d.startsAt ?? null, d.canonicalSpec]);

describe('desired resources kept by the index', () => {
  it('a one-file edit re-derives that file only; the rest are the very objects of the last plan', async () => {
    const root = project();
    const index = new ProjectIndex(head(root));
    await index.refresh(NOW);
    const memo = keeping(index);
    const before = derived(index, memo);
    writeFileSync(path.join(root, 'campaigns', 'c3.yaml'), sms('c3', 'Hello again'));
    await index.update(['campaigns/c3.yaml'], NOW);
    const after = derived(index, memo);
    const rebuilt = [...after].filter(([a, d]) => before.get(a) !== d).map(([a]) => a);
    expect(rebuilt).toEqual(['campaign.c3']);
    expect(after.get('campaign.c3')!.specHash).not.toBe(before.get('campaign.c3')!.specHash);
    expect(shown(after)).toEqual(shown(await freshDerived(root)));
  });

  it('a partial, a var or a removed file: what is kept never stands for what changed', async () => {
    const root = project();
    const index = new ProjectIndex(head(root));
    await index.refresh(NOW);
    const memo = keeping(index);
    const first = derived(index, memo);

    writeFileSync(path.join(root, 'campaigns', '_partials', 'footer.hbs'), 'Goodbye\n');
    await index.update(['campaigns/_partials/footer.hbs'], NOW);
    const partial = derived(index, memo);
    expect(partial.get('campaign.footed')!.specHash).not.toBe(first.get('campaign.footed')!.specHash);
    expect(shown(partial)).toEqual(shown(await freshDerived(root)));

    const config = path.join(root, 'campaignctl.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('shop: ShopNest', 'shop: ShopNext'));
    await index.update(['campaignctl.yaml'], NOW);
    const vars = derived(index, memo);
    expect(vars.get('campaign.shop')!.specHash).not.toBe(partial.get('campaign.shop')!.specHash);
    expect(shown(vars)).toEqual(shown(await freshDerived(root)));

    rmSync(path.join(root, 'campaigns', 'c5.yaml'));
    await index.update(['campaigns/c5.yaml'], NOW);
    const removed = derived(index, memo);
    expect(removed.has('campaign.c5')).toBe(false);
    expect(shown(removed)).toEqual(shown(await freshDerived(root)));
  });
});
