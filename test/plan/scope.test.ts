/**
 * Scoping: --target, --selector, --changed-since (files, deleted files through state); every kind
 * adds the partial-plan warning.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import type { PlanInput } from '../../src/plan/types.js';
import { applied, bulletin, campaign, inMinutes, input, message } from './builders.js';

/** A project where every resource has a pending change. */
function project(): PlanInput {
  const growthOld = campaign('growth-edit', {}, { labels: { team: 'growth' }, file: 'campaigns/growth/edit.yaml' });
  const removed = campaign('retired', {}, { labels: { team: 'growth' }, file: 'campaigns/growth/retired.yaml' });
  return input({
    desired: [
      campaign('growth-new', {}, { labels: { team: 'growth' }, file: 'campaigns/growth/new.yaml' }),
      campaign('growth-edit', { content: { title: 'x' } }, { labels: { team: 'growth' }, file: 'campaigns/growth/edit.yaml' }),
      campaign('ret-new', {}, { labels: { team: 'retention', tier: 'gold' }, file: 'campaigns/retention/new.yaml' }),
      message('ship', {}, { labels: { team: 'retention' }, file: 'campaigns/messages.yaml' }),
      bulletin('album', [{ key: 'k', at: inMinutes(-1) }], { labels: { team: 'music' }, file: 'campaigns/album.yaml' }),
    ],
    applied: [applied(growthOld), applied(removed)],
  });
}

const addresses = (i: PlanInput) => plan(i).plan.changes.map((c) => `${c.action} ${c.address}`);

describe('scoping', () => {
  it('unscoped: everything, no partial warning', () => {
    const r = plan(project());
    expect(r.plan.partial).toBe(false);
    expect(r.plan.changes).toHaveLength(7);
    expect(r.plan.warnings).toEqual([]);
  });

  it('--target: only the named addresses (an occurrence address targets its bulletin)', () => {
    const i = { ...project(), options: { scope: { addresses: ['campaign.retired', 'bulletin.album#k'] } } };
    expect(addresses(i)).toEqual(['create bulletin.album', 'stop campaign.retired', 'send bulletin.album#k']);
    const r = plan(i);
    expect(r.plan.partial).toBe(true);
    expect(r.plan.warnings[0]).toMatchObject({ severity: 'warning', code: 'plan.partial' });
    expect(r.plan.warnings[0]!.message).toContain('--target campaign.retired');
    // A resource only in state (gone from the YAML) and an occurrence's bulletin are both named.
    expect(r.diagnostics).toEqual([]);
  });

  it('--target naming no resource in the YAML or state is an error, with the closest address', () => {
    const r = plan({ ...project(), options: { scope: { addresses: ['campaign.growth-nwe', 'campaign.ret-new'] } } });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'plan.target-unknown' });
    expect(r.diagnostics[0]!.message).toBe('--target campaign.growth-nwe names no resource in the YAML or in state');
    expect(r.diagnostics[0]!.hint).toBe('did you mean `campaign.growth-new`?');
  });

  it('a --target that is the start of addresses lists them; one like nothing says what an address is', () => {
    const starting = plan({ ...project(), options: { scope: { addresses: ['campaign.growth'] } } }).diagnostics;
    expect(starting.map((d) => d.hint)).toEqual(['addresses that begin so: `campaign.growth-edit`, `campaign.growth-new`']);
    const far = plan({ ...project(), options: { scope: { addresses: ['schedule.weekly-digest'] } } }).diagnostics;
    expect(far).toHaveLength(1);
    expect(far[0]!.hint).toContain('an address is <kind>.<metadata.name>');
    expect(far[0]!.hint).toContain('`campaignctl state list` shows the applied ones');
  });

  it("unknownTargets: 'skip' plans the addresses that are there and says nothing of the rest (the daemon's pending changes)", () => {
    const i = { ...project(), options: { scope: { addresses: ['campaign.gone-since', 'campaign.growth-new'], unknownTargets: 'skip' as const } } };
    expect(plan(i).diagnostics).toEqual([]);
    expect(addresses(i)).toEqual(['create campaign.growth-new']);
  });

  it('--selector: labels of desired resources AND of applied ones (a removed campaign still matches)', () => {
    const i = { ...project(), options: { scope: { selector: { team: 'growth' } } } };
    expect(addresses(i)).toEqual(['stop campaign.retired', 'replace campaign.growth-edit', 'create campaign.growth-new']);
    expect(plan(i).plan.warnings[0]!.message).toContain('--selector team=growth');
  });

  it('--selector with several pairs needs all of them', () => {
    const i = { ...project(), options: { scope: { selector: { team: 'retention', tier: 'gold' } } } };
    expect(addresses(i)).toEqual(['create campaign.ret-new']);
  });

  it('a campaign whose label moved out of the selector is not mistaken for a removal', () => {
    const before = campaign('c', {}, { labels: { team: 'growth' } });
    const now = campaign('c', {}, { labels: { team: 'retention' } });
    const r = plan(input({ desired: [now], applied: [applied(before)], options: { scope: { selector: { team: 'growth' } } } }));
    expect(r.plan.changes).toEqual([]);
  });

  it('--changed-since: resources in changed files, plus resources whose file was deleted (found through state)', () => {
    const i = { ...project(), options: { scope: { files: ['campaigns/growth/new.yaml', './campaigns/growth/retired.yaml', 'campaigns/messages.yaml'] } } };
    expect(addresses(i)).toEqual(['create message.ship', 'stop campaign.retired', 'create campaign.growth-new']);
    expect(plan(i).plan.warnings[0]!.message).toContain('--changed-since (3 changed files)');
  });

  it('--changed-since with nothing changed: no changes, still partial', () => {
    const r = plan({ ...project(), options: { scope: { files: [] } } });
    expect(r.plan.changes).toEqual([]);
    expect(r.plan.partial).toBe(true);
    expect(r.plan.warnings[0]!.message).toContain('only 0 resources');
  });

  it('kinds of filters combine: target AND selector', () => {
    const i = { ...project(), options: { scope: { addresses: ['campaign.growth-new', 'campaign.ret-new'], selector: { team: 'growth' } } } };
    expect(addresses(i)).toEqual(['create campaign.growth-new']);
  });
});

