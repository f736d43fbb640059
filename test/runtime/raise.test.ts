/**
 * Raising business events: ad hoc raises (exact body, CleverTap's limits checked first) and
 * bulletin occurrences raised exactly once: across repeated calls and applies, across a process
 * killed with SIGKILL between the claim and the call, never again after an ambiguous outcome, and
 * settled by hand with resolveOccurrence (what `state resolve` runs).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinResource } from '../../src/model/specs.js';
import { raiseBulletin, raiseOccurrence, resolveOccurrence } from '../../src/runtime/index.js';
import { clientFor } from '../clevertap/helpers.js';
import { applyOnce, clientFor as applyClient, emulator as applyEmulator, load, openState, TempProject } from '../apply/helpers.js';
import { createOccurrenceChild, type OccurrenceChild } from './child.js';
import { CONTRACTS, EVENT, useFixtures } from './fixture.js';

const setup = useFixtures();

const BULLETIN = 'bulletin.album-released';
const RAISE = '/1/targets/trigger.json';

describe('raiseBulletin (ad hoc)', () => {
  it('sends business_event, the rendered name, string properties, c-by from YAML and when now', async () => {
    const f = await setup();
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const result = await raiseBulletin(f.ctx, { bulletin, name: '{{properties.artist}} live', properties: { artist: 'Nova Lane', album: 'Live' } });
    expect(result.status).toBe('done');
    const [req] = f.sandbox.state.requests();
    expect(req!.path).toBe(RAISE);
    expect(req!.body).toEqual({
      business_event: EVENT,
      name: 'Nova Lane live',
      properties: { artist: 'Nova Lane', album: 'Live' },
      'c-by': 'editor@example.com',
      when: 'now',
    });
    expect(req!.response?.status).toBe(200);
    const [entry] = await f.store.audit.list();
    expect(entry).toMatchObject({ address: BULLETIN, action: 'raise', outcome: 'succeeded', detail: { business_event: EVENT, calls: 1 } });
  });

  it('checks the properties schema and CleverTap limits before sending anything', async () => {
    const f = await setup({
      files: {
        // an open contract, so the limits themselves are what refuses
        'campaigns/bulletins/open.yaml': `apiVersion: campaignctl/v1
kind: Bulletin
metadata:
  name: open
spec:
  business_event: ${EVENT}
  c-by: editor@example.com
  properties:
    type: object
    additionalProperties: true
`,
      },
    });
    const strict = f.resource(BULLETIN) as BulletinResource;
    const refused = await raiseBulletin(f.ctx, { bulletin: strict, name: 'x', properties: { artist: 'A', label: 'L' } });
    expect(refused.status).toBe('invalid');
    if (refused.status === 'invalid') {
      const text = refused.diagnostics.map((d) => d.message).join('\n');
      expect(text).toContain('album'); // required, missing
      expect(text).toContain('label'); // not in the contract
    }
    const open = f.resource('bulletin.open') as BulletinResource;
    const limits = await raiseBulletin(f.ctx, {
      bulletin: open,
      name: 'x',
      properties: { ['k'.repeat(121)]: 'v', long: 'é'.repeat(257), count: 3 as unknown as string },
    });
    expect(limits.status).toBe('invalid');
    if (limits.status === 'invalid') {
      const text = limits.diagnostics.map((d) => d.message).join('\n');
      expect(text).toMatch(/121 characters/);
      expect(text).toMatch(/514 bytes/);
      expect(text).toMatch(/count[\s\S]*string/);
    }
    const empty = await raiseBulletin(f.ctx, { bulletin: open, name: '  ', properties: {} });
    expect(empty.status).toBe('invalid');
    expect(f.sandbox.state.requests()).toHaveLength(0);
  });

  it('an ambiguous answer is unknown and is not retried', async () => {
    const f = await setup();
    f.sandbox.state.injectFaults([{ fault: 'drop-after-commit', family: 'trigger' }]);
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const result = await raiseBulletin(f.ctx, { bulletin, name: 'n', properties: { artist: 'A', album: 'B' } });
    expect(result.status === 'done' && result.report.outcome).toBe('unknown');
    expect(f.sandbox.state.requests()).toHaveLength(1);
    expect((await f.store.audit.list())[0]!.outcome).toBe('unknown');
  });

  it('dry run sends nothing', async () => {
    const f = await setup();
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const result = await raiseBulletin(f.ctx, { bulletin, name: 'n', properties: { artist: 'A', album: 'B' }, dryRun: true });
    expect(result.status).toBe('dry-run');
    expect(result.prepared.body.name).toBe('n');
    expect(f.sandbox.state.requests()).toHaveLength(0);
  });
});

describe('raiseOccurrence', () => {
  it('raises once with the occurrence body; a second call finds the claim and sends nothing', async () => {
    const f = await setup();
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const first = await raiseOccurrence(f.ctx, { bulletin, key: 'nova-midnight' });
    expect(first.status).toBe('raised');
    const second = await raiseOccurrence(f.ctx, { bulletin, key: 'nova-midnight' });
    expect(second).toMatchObject({ status: 'already-claimed', run: { status: 'done' } });
    const requests = f.sandbox.state.requests();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({
      business_event: EVENT,
      name: 'Nova Lane: Midnight Echoes is out',
      properties: { artist: 'Nova Lane', album: 'Midnight Echoes' },
      'c-by': 'editor@example.com',
      when: 'now',
    });
    const run = await f.store.runs.get({ kind: 'occurrence', subject: BULLETIN, key: 'nova-midnight' });
    expect(run).toMatchObject({ status: 'done', attempts: 1 });
    expect(typeof run!.detail!.occurrenceHash).toBe('string');
    const [entry] = await f.store.audit.list();
    expect(entry).toMatchObject({ address: `${BULLETIN}#nova-midnight`, action: 'raise', outcome: 'succeeded' });
  });

  it('an ambiguous raise is unknown and never raised again', async () => {
    const f = await setup({ sandbox: { hangMs: 1_000 } });
    f.sandbox.state.injectFaults([{ fault: 'timeout', family: 'trigger' }]);
    const ctx = { ...f.ctx, client: clientFor(f.sandbox, { timeoutMs: 200 }) };
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const first = await raiseOccurrence(ctx, { bulletin, key: 'nova-midnight' });
    expect(first.status).toBe('unknown');
    const again = await raiseOccurrence(ctx, { bulletin, key: 'nova-midnight' });
    expect(again).toMatchObject({ status: 'already-claimed', run: { status: 'unknown' } });
    expect(f.sandbox.state.requests()).toHaveLength(1);
    expect(f.sandbox.state.sends()).toHaveLength(1); // it had landed
  });

  it('a definite refusal is failed, and the next attempt claims it again', async () => {
    const f = await setup({ sandbox: { businessEvents: [] } });
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const refused = await raiseOccurrence(f.ctx, { bulletin, key: 'nova-midnight' });
    expect(refused.status).toBe('failed');
    if (refused.status === 'failed') expect(refused.report.failure).toMatchObject({ kind: 'fail', httpStatus: 400 });
    f.sandbox.state.registerBusinessEvents([EVENT]);
    const raised = await raiseOccurrence(f.ctx, { bulletin, key: 'nova-midnight' });
    expect(raised).toMatchObject({ status: 'raised', run: { status: 'done', attempts: 2 } });
    expect(f.sandbox.state.sends()).toHaveLength(1);
  });

  it('an occurrence the bulletin does not have claims nothing', async () => {
    const f = await setup();
    const bulletin = f.resource(BULLETIN) as BulletinResource;
    const result = await raiseOccurrence(f.ctx, { bulletin, key: 'nova-midnite' });
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') expect(result.diagnostics[0]!.hint).toContain('nova-midnight');
    expect(await f.store.runs.list()).toHaveLength(0);
    expect(f.sandbox.state.requests()).toHaveLength(0);
  });
});

describe('occurrences on apply', () => {
  const projects: TempProject[] = [];
  afterEach(() => {
    for (const p of projects.splice(0)) p.dispose();
  });
  function bulletinProject(): TempProject {
    const tp = new TempProject();
    projects.push(tp);
    tp.write('campaigns/bulletins/album-released.yaml', CONTRACTS['campaigns/bulletins/album-released.yaml']!);
    return tp;
  }
  const NOW = new Date('2025-07-01T12:00:00Z');

  it('a due occurrence is raised by the first apply only; a future one waits', async () => {
    const tp = bulletinProject();
    const h = await applyEmulator({ businessEvents: [EVENT] });
    const client = applyClient(h, { fast: true });
    const store = await openState(tp.statePath);
    try {
      const first = await applyOnce(tp, store, client, { now: NOW });
      expect(first.planned.plan.changes.map((c) => `${c.action} ${c.address}`)).toContain(`send ${BULLETIN}#nova-midnight`);
      expect(first.planned.plan.scheduled.map((s) => s.key)).toEqual(['later']);
      expect(first.result!.ok).toBe(true);
      for (let i = 0; i < 2; i++) {
        const again = await applyOnce(tp, store, client, { now: NOW });
        expect(again.planned.plan.changes.filter((c) => c.action === 'send')).toEqual([]);
      }
      expect(h.state.requests({ path: RAISE })).toHaveLength(1);
    } finally {
      client.close();
      await store.close();
      await h.close();
    }
  });

  it('unknown is never re-raised by apply; state resolve --not-raised lets the next apply raise it once', async () => {
    const tp = bulletinProject();
    const h = await applyEmulator({ businessEvents: [EVENT] });
    const client = applyClient(h, { fast: true });
    const store = await openState(tp.statePath);
    try {
      h.state.injectFaults([{ fault: '500', family: 'trigger' }]);
      const first = await applyOnce(tp, store, client, { now: NOW });
      expect(first.result!.outcomes.find((o) => o.address === `${BULLETIN}#nova-midnight`)).toMatchObject({ status: 'failed', error: { ambiguous: true } });
      const second = await applyOnce(tp, store, client, { now: NOW });
      expect(second.planned.plan.changes.filter((c) => c.action === 'send')).toEqual([]);
      expect(second.planned.plan.warnings.map((w) => w.code)).toContain('plan.occurrence-unknown');
      expect(h.state.requests({ path: RAISE })).toHaveLength(1);

      const known = (await load(tp)).resources().find((r) => r.address === BULLETIN) as unknown as BulletinResource;
      const resolved = await resolveOccurrence(store, { command: 'state resolve', git: { isRepo: false, commit: null, author: null, dirty: false } }, { bulletin: BULLETIN, key: 'nova-midnight', outcome: 'not-raised', known });
      expect(resolved).toMatchObject({ status: 'resolved', before: { status: 'unknown' }, run: { status: 'failed' } });
      await applyOnce(tp, store, client, { now: NOW });
      await applyOnce(tp, store, client, { now: NOW });
      expect(h.state.requests({ path: RAISE })).toHaveLength(2); // the first (500) and exactly one more
      expect(await store.runs.get({ kind: 'occurrence', subject: BULLETIN, key: 'nova-midnight' })).toMatchObject({ status: 'done' });
      expect((await store.audit.list({ command: 'state resolve' }))[0]).toMatchObject({ action: 'resolve', detail: { resolved: 'not-raised', from: 'unknown', to: 'failed' } });
    } finally {
      client.close();
      await store.close();
      await h.close();
    }
  });

  it('state resolve --raised on an occurrence never claimed means apply never raises it; a typo is refused', async () => {
    const tp = bulletinProject();
    const h = await applyEmulator({ businessEvents: [EVENT] });
    const client = applyClient(h, { fast: true });
    const store = await openState(tp.statePath);
    try {
      const known = (await load(tp)).resources().find((r) => r.address === BULLETIN) as unknown as BulletinResource;
      const who = { command: 'state resolve', git: { isRepo: false, commit: null, author: null, dirty: false } };
      const typo = await resolveOccurrence(store, who, { bulletin: BULLETIN, key: 'nova', outcome: 'raised', known });
      expect(typo.status).toBe('invalid');
      expect(await resolveOccurrence(store, who, { bulletin: BULLETIN, key: 'nova-midnight', outcome: 'not-raised', known })).toEqual({ status: 'nothing-to-undo' });
      expect(await resolveOccurrence(store, who, { bulletin: BULLETIN, key: 'nova-midnight', outcome: 'raised', known })).toMatchObject({ status: 'resolved', before: null, run: { status: 'done' } });
      const applied = await applyOnce(tp, store, client, { now: NOW });
      expect(applied.planned.plan.changes.filter((c) => c.action === 'send')).toEqual([]);
      expect(h.state.requests({ path: RAISE })).toHaveLength(0);
    } finally {
      client.close();
      await store.close();
      await h.close();
    }
  });

  describe('kill -9 between the claim and the call', () => {
    let child: OccurrenceChild;
    beforeAll(() => {
      child = createOccurrenceChild();
    });
    afterAll(() => child.dispose());

    it('leaves the run claimed, sends nothing, and no later apply raises it', async () => {
      const tp = bulletinProject();
      const h = await applyEmulator({ businessEvents: [EVENT] });
      const stateFile = tp.statePath;
      const args = { dir: tp.root, stateFile, url: h.url, accountId: 'APPLY-TEST-ACCOUNT', passcode: 'apply-test-passcode-7c1e', bulletin: BULLETIN, key: 'nova-midnight' };
      const killed = await child.raise({ ...args, mode: 'die-after-claim' });
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stdout).toBe('');
      expect(h.state.requests({ path: RAISE })).toHaveLength(0);

      const store = await openState(stateFile);
      const client = applyClient(h, { fast: true });
      try {
        expect(await store.runs.get({ kind: 'occurrence', subject: BULLETIN, key: 'nova-midnight' })).toMatchObject({ status: 'claimed' });
        const applied = await applyOnce(tp, store, client, { now: NOW });
        expect(applied.planned.plan.changes.filter((c) => c.action === 'send')).toEqual([]);
        expect(applied.planned.plan.warnings.map((w) => w.code)).toContain('plan.occurrence-unknown');
        expect(h.state.requests({ path: RAISE })).toHaveLength(0);
      } finally {
        client.close();
        await store.close();
      }
      // another process trying it normally is refused by the claim too
      const other = await child.raise({ ...args, mode: 'normal' });
      expect(JSON.parse(other.stdout.trim())).toEqual({ status: 'already-claimed' });
      expect(h.state.requests({ path: RAISE })).toHaveLength(0);
      await h.close();
    });
  });
});
