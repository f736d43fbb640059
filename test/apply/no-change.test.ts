/**
 * The no-change record (.campaignctl/cache/no-change-<env>.json): a plan that found nothing to do
 * is given again, without reading state's rows or running the planner, only while every input
 * stands: the configuration, the recorded state, CleverTap's answer (asked every time), the options
 * and the clock. Each test moves one input and checks the plan is worked out afresh and is right.
 * Emulator at the HTTP edge, real SQLite state, real temp project.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandTarget } from '../../src/diagnostics/command-line.js';
import { MAX_AGE_MS, NoChangeMemo, reusePlan } from '../../src/apply/no-change.js';
import { computePlan } from '../../src/apply/planning.js';
import { listWindows, startEarlyRefresh } from '../../src/apply/refresh.js';
import type { CampaignCreateBody } from '../../src/clevertap/wire.js';
import { pushCampaign } from '../sandbox/helpers.js';
import type { PlanOptions } from '../../src/plan/types.js';
import { applyOnce, load, PROVENANCE, useApplyFixture, type ApplyFixture } from './helpers.js';

let f: ApplyFixture;
useApplyFixture((fixture) => (f = fixture));

const lists = () => f.emu.state.requests({ family: 'list' }).length;

/** A plan as `campaignctl plan` computes it; `reused` when the record answered (the planner did not run). */
async function plan(opts: { now?: Date; options?: PlanOptions; commandTarget?: CommandTarget; digestAhead?: boolean } = {}) {
  const project = await load(f.tp);
  // As `campaignctl plan` does: the state revision first; CleverTap asked over the record's windows
  // when they are this state's, before the record is checked.
  const revision = await f.store.revision();
  const noChange = NoChangeMemo.read(project);
  const early = await startEarlyRefresh(f.store, f.client, { accountTimezone: 'UTC', windows: noChange.windowsFor(revision, 'UTC'), known: noChange.answersFor(revision, 'UTC') });
  // CleverTap's answer digested as it comes, as `plan` does when it asked over the record's windows.
  if (early && !early.rows && opts.digestAhead !== false) noChange.digestWhenAnswered(early.answers);
  noChange.check(project, revision);
  const listsBefore = lists();
  const request = {
    project,
    store: f.store,
    client: f.client,
    now: opts.now ?? new Date(),
    options: { noEstimate: true, ...opts.options },
    commandTarget: opts.commandTarget,
    provenance: PROVENANCE,
    early,
    noChange,
  };
  const reused = await reusePlan(request);
  const outcome = reused ?? (await computePlan(request));
  return { outcome, reused: reused !== undefined, listed: lists() - listsBefore };
}

/** Two campaigns applied, then a first plan that writes the record. */
async function applied() {
  f.tp.campaign({ name: 'alpha' });
  f.tp.campaign({ name: 'beta' });
  await applyOnce(f.tp, f.store, f.client);
  const first = await plan();
  expect(first.reused).toBe(false);
  expect(first.outcome.plan.changes).toEqual([]);
  return first;
}

const shape = (o: Awaited<ReturnType<typeof plan>>['outcome']) => ({
  changes: o.plan.changes,
  drift: o.plan.drift,
  warnings: o.plan.warnings,
  notes: o.plan.notes,
  summary: o.plan.summary,
  diagnostics: o.diagnostics,
  meta: o.meta,
});

describe('the no-change record', () => {
  it('answers the next plan when nothing moved: the same plan, CleverTap still asked', async () => {
    const first = await applied();
    expect(existsSync(path.join(f.tp.root, '.campaignctl', 'cache', 'no-change-test.json'))).toBe(true);
    const again = await plan();
    expect(again.reused).toBe(true);
    expect(again.listed).toBeGreaterThan(0);
    expect(shape(again.outcome)).toEqual(shape(first.outcome));
    expect(again.outcome.refresh?.statuses).toEqual(first.outcome.refresh?.statuses);
    // The same when CleverTap's answer is digested only once the record is checked.
    const late = await plan({ digestAhead: false });
    expect(late.reused).toBe(true);
    expect(shape(late.outcome)).toEqual(shape(first.outcome));
  });

  it("keeps the digests of CleverTap's answers; other bytes are decoded and judged by the managed campaigns' rows alone", async () => {
    await applied();
    const file = path.join(f.tp.root, '.campaignctl', 'cache', 'no-change-test.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as { windows: unknown[]; answers?: string[] };
    expect(record.answers).toHaveLength(record.windows.length);
    expect(record.answers!.every((d) => /^[0-9a-f]{64}$/.test(d))).toBe(true);
    // The same bytes again: the record's own digest stands for them, nothing decoded. (Shown with
    // the record's digest made unrelated: still answered while the bytes match; not once the
    // answers' digests are gone, when the rows are decoded and digested.)
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...stored, remote: '0'.repeat(64) }));
    expect((await plan()).reused).toBe(true);
    writeFileSync(file, JSON.stringify({ ...stored, remote: '0'.repeat(64), answers: undefined }));
    expect((await plan()).reused).toBe(false);
    writeFileSync(file, JSON.stringify(stored));
    expect((await plan()).reused).toBe(true);
    // The managed campaigns' list is kept as text, parsed only when the answers' bytes moved or the
    // refresh is asked for: damaged, the same bytes still answer, and the refresh says what to do.
    expect(typeof stored.managed).toBe('string');
    writeFileSync(file, JSON.stringify({ ...stored, managed: '{"not":"a list"}' }));
    const lazy = await plan();
    expect(lazy.reused).toBe(true);
    expect(() => lazy.outcome.refresh).toThrow(/no-change record .*no-change-test\.json holds no list of managed campaigns: delete it and run again/);
    writeFileSync(file, JSON.stringify({ ...stored, managed: '{"not":"a list"}', answers: undefined }));
    expect((await plan()).reused).toBe(false);
    writeFileSync(file, JSON.stringify(stored));
    expect((await plan()).reused).toBe(true);
    // A campaign made on the dashboard in the same window: the answer's bytes differ, the managed
    // campaigns' rows do not, so the record still answers (decoded this time).
    await f.client.createCampaign(pushCampaign({ name: 'made on the dashboard', when: '20310601 09:00' }) as CampaignCreateBody);
    const revision = await f.store.revision();
    const noChange = NoChangeMemo.read(await load(f.tp));
    const answers = await listWindows(f.client, noChange.windowsFor(revision, 'UTC')!, undefined, noChange.answersFor(revision, 'UTC'));
    expect(answers.map((a) => a.digest)).not.toEqual(record.answers);
    expect(answers.flatMap((a) => a.rows().map((r) => r.name))).toContain('made on the dashboard');
    const after = await plan();
    expect(after.reused).toBe(true);
    expect(after.outcome.plan.changes).toEqual([]);
  });

  it('does not answer after a campaign file changed', async () => {
    await applied();
    f.tp.campaign({ name: 'beta', body: 'Something else entirely.' });
    const edited = await plan();
    expect(edited.reused).toBe(false);
    expect(edited.outcome.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['replace campaign.beta']);
  });

  it('does not answer after state was written, and a plan with changes is never recorded', async () => {
    await applied();
    // Starting months after the others: outside the list windows the record holds.
    f.tp.campaign({ name: 'gamma', when: '2032-01-15T09:00:00Z' });
    const pending = await plan();
    expect(pending.outcome.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create campaign.gamma']);
    expect((await plan()).reused).toBe(false);
    await applyOnce(f.tp, f.store, f.client);
    const afterApply = await plan();
    expect(afterApply.reused).toBe(false);
    expect(afterApply.outcome.plan.changes).toEqual([]);
    // Asked again over windows that cover it: not taken for missing on CleverTap.
    expect(afterApply.outcome.plan.drift).toEqual([]);
    expect(afterApply.outcome.refresh?.statuses.find((x) => x.address === 'campaign.gamma')?.state).toBe('scheduled');
    expect((await plan()).reused).toBe(true);
    await f.store.resources.delete('campaign.gamma');
    const afterRm = await plan();
    expect(afterRm.reused).toBe(false);
    expect(afterRm.outcome.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create campaign.gamma']);
  });

  // CleverTap's answer digested as it comes (as `plan` does), and only once the record is checked.
  for (const digestAhead of [true, false]) {
    it(`does not answer when CleverTap says something else: a stop on the dashboard shows as drift (answer digested ${digestAhead ? 'as it came' : 'at the check'})`, async () => {
      await applied();
      const alpha = (await f.store.resources.get('campaign.alpha'))!.remoteId!;
      f.emu.state.dashboardStop(alpha);
      const drifted = await plan({ digestAhead });
      expect(drifted.reused).toBe(false);
      expect(drifted.outcome.plan.drift.map((d) => `${d.address} ${d.actual}`)).toEqual(['campaign.alpha stopped']);
    });
  }

  it('stands only until a recorded start comes, and never longer than its maximum age', async () => {
    f.tp.campaign({ name: 'soon', when: new Date(Date.now() + 30 * 60_000).toISOString() });
    await applyOnce(f.tp, f.store, f.client);
    const now = new Date();
    expect((await plan({ now })).reused).toBe(false);
    expect((await plan({ now: new Date(now.getTime() + 60_000) })).reused).toBe(true);
    const started = new Date(now.getTime() + 31 * 60_000);
    expect((await plan({ now: started })).reused).toBe(false); // and records anew from `started`
    expect((await plan({ now: new Date(started.getTime() + MAX_AGE_MS - 1) })).reused).toBe(true);
    expect((await plan({ now: new Date(started.getTime() + MAX_AGE_MS) })).reused).toBe(false);
  });

  it('does not answer under other options, and a scoped plan is never recorded', async () => {
    await applied();
    expect((await plan({ options: { allowMassStop: true } })).reused).toBe(false);
    expect((await plan({ options: { allowMassStop: true } })).reused).toBe(true);
    expect((await plan()).reused).toBe(false);
    const scoped: PlanOptions = { scope: { addresses: ['campaign.alpha'] } };
    expect((await plan({ options: scoped })).reused).toBe(false);
    expect((await plan({ options: scoped })).reused).toBe(false);
  });

  it('answers whatever the estimation options: a plan with nothing to do asks no estimate', async () => {
    await applied(); // recorded with --no-estimate
    expect((await plan({ options: { noEstimate: false } })).reused).toBe(true);
    expect((await plan({ options: { noEstimate: false, estimateLimit: 3 } })).reused).toBe(true);
  });

  it('does not answer a run whose printed commands would point elsewhere (another --dir)', async () => {
    await applied();
    const here = { env: 'test', dir: 'proj' };
    expect((await plan({ commandTarget: here })).reused).toBe(false);
    expect((await plan({ commandTarget: here })).reused).toBe(true);
    expect((await plan({ commandTarget: { env: 'test', dir: 'elsewhere' } })).reused).toBe(false);
  });
});
