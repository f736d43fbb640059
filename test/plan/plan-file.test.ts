/**
 * Saved plans: round trip, validation with clear errors, no secrets, stale detection.
 */
import { describe, expect, it } from 'vitest';
import { checkStale, createPlanFile, parsePlanFile, serializePlanFile, type PlanFile } from '../../src/plan/plan-file.js';
import { plan } from '../../src/plan/plan.js';
import { META, showcase } from './showcase.js';
import { campaign, input } from './builders.js';

const meta = { environment: 'production', serial: 42, configHash: META.configHash!, commit: META.commit, createdAt: '2025-03-01T12:00:05.000Z' };
const payloads = { 'campaign.flash-sale': { name: 'flash-sale [cc-1a2b]', when: 'now', target_mode: 'push' } };

function saved(): PlanFile {
  return createPlanFile(showcase().plan, meta, payloads);
}

describe('plan files', () => {
  it('round-trip: what is saved is read back identically', () => {
    const file = saved();
    const { text, diagnostics } = serializePlanFile(file);
    expect(diagnostics).toEqual([]);
    const back = parsePlanFile(text!, 'plan.json');
    expect(back.diagnostics).toEqual([]);
    expect(back.planFile).toEqual(JSON.parse(JSON.stringify(file)));
    expect(back.planFile!.payloads).toEqual(payloads);
    expect(back.planFile).toMatchObject({ format_version: '1', environment: 'production', serial: 42, config_hash: META.configHash, commit: META.commit, created_at: meta.createdAt });
  });

  it('only finalized plans are saved', () => {
    const raw = plan(input({ desired: [campaign('a')] })).plan;
    const { text, diagnostics } = serializePlanFile(createPlanFile(raw, meta));
    expect(text).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual(['planfile.not-finalized']);
  });

  it('payloads must belong to changes of the plan', () => {
    const { diagnostics } = serializePlanFile(createPlanFile(showcase().plan, meta, { 'campaign.nope': {} }));
    expect(diagnostics.map((d) => d.code)).toEqual(['planfile.payload-orphan']);
  });

  it('refuses anything that looks like a secret', () => {
    const key = serializePlanFile(createPlanFile(showcase().plan, meta, { 'campaign.flash-sale': { headers: { 'X-CleverTap-Passcode': 'p' } } }));
    expect(key.text).toBeNull();
    expect(key.diagnostics[0]!.message).toContain('campaign.flash-sale, field headers');
    expect(key.diagnostics[0]!.address).toBe('campaign.flash-sale');

    const url = serializePlanFile(createPlanFile(showcase().plan, meta, { 'campaign.flash-sale': { link: 'https://user:hunter22@example.com/x' } }));
    expect(url.diagnostics.map((d) => d.code)).toEqual(['planfile.secret']);

    const value = serializePlanFile(saved(), { secrets: ['flash-sale [cc-1a2b]'] });
    expect(value.text).toBeNull();
    expect(value.diagnostics[0]!.message).not.toContain('flash-sale [cc-1a2b]');
  });

  it('names the resource and the field that hold a secret, never the secret itself', () => {
    const shown = showcase().plan;
    const index = shown.changes.findIndex((c) => c.address === 'campaign.flash-sale');
    const change = shown.changes[index]!;
    change.after = { ...(change.after as Record<string, unknown>), content: { title: 'Flash', body: 'see https://ops:hunter22@cdn.example.com/a' } };
    const inSpec = serializePlanFile(createPlanFile(shown, meta, {}));
    expect(inSpec.diagnostics).toHaveLength(1);
    expect(inSpec.diagnostics[0]).toMatchObject({ code: 'planfile.secret', address: 'campaign.flash-sale', file: change.source!.file });
    expect(inSpec.diagnostics[0]!.message).toContain('campaign.flash-sale, field after.content.body');
    expect(inSpec.diagnostics[0]!.message).toContain('URL with credentials');
    expect(JSON.stringify(inSpec.diagnostics)).not.toContain('hunter22');

    const inBody = serializePlanFile(createPlanFile(showcase().plan, meta, { 'campaign.flash-sale': { content: { links: ['ok', 'Pa55code-42'] } } }), { secrets: ['Pa55code-42'] });
    expect(inBody.diagnostics).toHaveLength(1);
    expect(inBody.diagnostics[0]!.message).toContain('the request body of campaign.flash-sale, field content.links[1]');
    expect(JSON.stringify(inBody.diagnostics)).not.toContain('Pa55code-42');
  });

  it('says clearly what is wrong with a file that is not a valid plan', () => {
    expect(parsePlanFile('{ nope', 'p.json').diagnostics[0]).toMatchObject({ code: 'planfile.invalid-json', file: 'p.json' });
    expect(parsePlanFile('[]').diagnostics[0]!.message).toContain('expected a JSON object');
    expect(parsePlanFile('{"kind":"terraform-plan"}').diagnostics[0]!.message).toContain('not a campaignctl plan file');

    const future = { ...JSON.parse(serializePlanFile(saved()).text!), format_version: '2' };
    const version = parsePlanFile(JSON.stringify(future)).diagnostics;
    expect(version).toHaveLength(1);
    expect(version[0]).toMatchObject({ code: 'planfile.version' });
    expect(version[0]!.hint).toContain('campaignctl plan --out');

    const broken = JSON.parse(serializePlanFile(saved()).text!);
    broken.serial = -1;
    broken.plan.changes[2].action = 'explode';
    delete broken.plan.changes[3].remoteId;
    broken.plan.changes[4].estimate = { total: 'many', byPlatform: {} };
    const problems = parsePlanFile(JSON.stringify(broken)).diagnostics.map((d) => d.message);
    expect(problems).toEqual([
      'invalid plan file: serial must be a non-negative integer',
      'invalid plan file: plan.changes[2].action must be one of create, replace, stop, forget, update, delete, send',
      'invalid plan file: plan.changes[3].remoteId is missing (use null for none)',
      'invalid plan file: plan.changes[4].estimate.total must be a number',
    ]);
  });
});

describe('checkStale', () => {
  const current = { environment: 'production', serial: 42, configHash: META.configHash!, commit: META.commit };

  it('nothing moved: empty', () => {
    expect(checkStale(saved(), current)).toEqual([]);
  });

  it('names each thing that moved', () => {
    const moved = checkStale(saved(), { environment: 'staging', serial: 44, configHash: 'sha256:other', commit: null });
    expect(moved.map((m) => m.field)).toEqual(['environment', 'serial', 'config_hash', 'commit']);
    expect(moved[0]!.message).toBe('the plan is for environment "production", not "staging"');
    expect(moved[1]).toMatchObject({ planned: 42, current: 44 });
    expect(moved[1]!.message).toContain('serial 42, now 44');
    expect(moved[3]!.message).toContain('3b1f0c9d2e4a, now no commit');
  });

  it('one field at a time', () => {
    expect(checkStale(saved(), { ...current, serial: 43 }).map((m) => m.field)).toEqual(['serial']);
    expect(checkStale(saved(), { ...current, configHash: 'sha256:x' }).map((m) => m.field)).toEqual(['config_hash']);
    expect(checkStale(saved(), { ...current, commit: 'ffff' }).map((m) => m.field)).toEqual(['commit']);
  });
});
