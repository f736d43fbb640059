/**
 * The state operations in process, on a real temp project and its real SQLite state: list, show,
 * rm (forgets one row under the lock, audit names the operator) and resolve (a schedule tick or a
 * bulletin occurrence settled by hand). None of them opens CleverTap: the emulator's account file
 * stays as the apply left it. Refusals are data; nothing is printed.
 */
import { describe, expect, it } from 'vitest';
import { parseOccurrence, stateList, stateResolve, stateRm, stateShow } from '../../src/operations/state.js';
import { isRefusal } from '../../src/operations/under-lock.js';
import type { OperationContext } from '../../src/operations/context.js';
import type { RunKey } from '../../src/state/store.js';
import type { TempProject } from '../apply/helpers.js';
import { accountFile, applyAll, lockHeldElsewhere, OPERATOR, useOperationFixture } from './helpers.js';

let tp: TempProject;
let ctx: OperationContext;
let reopen: () => Promise<OperationContext>;
useOperationFixture((f) => ({ tp, ctx, reopen } = f));

/** Two applied campaigns, then a new run's context (which has not opened CleverTap). */
async function appliedPair(): Promise<OperationContext> {
  tp.campaign({ name: 'alpha' });
  tp.campaign({ name: 'beta' });
  await applyAll(tp, await reopen());
  return reopen();
}

const TICK: RunKey = { kind: 'schedule', subject: 'schedule.digest', key: '2026-06-01T07:00:00Z' };
const OCCURRENCE: RunKey = { kind: 'occurrence', subject: 'bulletin.album', key: 'nova-lane' };

/** A run a pass claimed and whose outcome is unknown (it died, or the answer was lost). */
async function unknownRun(on: OperationContext, key: RunKey): Promise<void> {
  await on.store.runs.claim(key);
  await on.store.runs.mark(key, 'unknown');
}

function codes(result: object): string[] | false {
  return isRefusal(result) && result.refused === 'problems' && result.diagnostics.map((d) => d.code);
}

describe('stateList and stateShow', () => {
  it('list what is recorded and show one row with its history; an unknown address is a refusal with a suggestion', async () => {
    const run = await appliedPair();
    const listing = await stateList(run);
    expect(listing).toMatchObject({ environment: 'test', location: tp.statePath, lock: null, openJournal: 0 });
    expect(listing.resources.map((r) => r.address)).toEqual(['campaign.alpha', 'campaign.beta']);

    const shown = await stateShow(run, { address: 'campaign.alpha' });
    if (isRefusal(shown)) throw new Error('expected the row');
    expect(shown.resource.address).toBe('campaign.alpha');
    expect(shown.history.map((h) => h.action)).toContain('create');

    const missing = await stateShow(run, { address: 'campaign.alpah' });
    expect(codes(missing)).toEqual(['state.not-found']);
    expect(isRefusal(missing) && missing.refused === 'problems' && missing.diagnostics[0]!.hint).toBe('did you mean `campaign.alpha`?');
  });
});

describe('stateRm', () => {
  it('forgets one row without opening CleverTap and records the operator', async () => {
    const run = await appliedPair();
    const before = accountFile(tp);
    const result = await stateRm(run, { address: 'campaign.alpha' });
    if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ ok: true, removed: { address: 'campaign.alpha' }, stillInYaml: true, by: OPERATOR });
    expect((await run.store.resources.list()).map((r) => r.address)).toEqual(['campaign.beta']);
    const [entry] = await run.store.audit.list({ address: 'campaign.alpha' });
    expect(entry).toMatchObject({ command: 'state rm', action: 'forget', author: OPERATOR, detail: { remoteId: result.removed.remoteId, by: OPERATOR } });
    expect(accountFile(tp)).toEqual(before);
    expect(await run.store.lock.current()).toBeNull();
  });

  it('refuses an unknown address and a row with an open remote write, as data, removing nothing', async () => {
    const run = await appliedPair();
    expect(codes(await stateRm(run, { address: 'campaign.gamma' }))).toEqual(['state.not-found']);
    const open = await run.store.journal.open({ address: 'campaign.beta', operation: 'stop', request: { remoteId: 1 }, window: null });
    const refused = await stateRm(run, { address: 'campaign.beta' });
    expect(codes(refused)).toEqual(['state.journal-open']);
    expect(isRefusal(refused) && refused.refused === 'problems' && refused.diagnostics[0]!.message).toContain(`marker ${open.id}`);
    expect((await run.store.resources.list()).map((r) => r.address)).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(await run.store.lock.current()).toBeNull();
  });

  it('held lock: refused with the holder; the row stays', async () => {
    const run = await appliedPair();
    const held = await lockHeldElsewhere(tp);
    try {
      const result = await stateRm(run, { address: 'campaign.alpha' });
      expect(result).toMatchObject({ ok: false, refused: 'locked', what: 'state rm', lock: { holder: { id: held.holder.id } } });
      expect(await run.store.resources.get('campaign.alpha')).not.toBeNull();
      expect(await run.store.audit.list({ address: 'campaign.alpha', command: 'state rm' })).toEqual([]);
    } finally {
      await held.release();
    }
  });
});

describe('stateResolve', () => {
  it('settles a schedule tick as raised: the fire time is read as UTC, the audit names the operator', async () => {
    await unknownRun(ctx, TICK);
    const result = await stateResolve(ctx, { occurrence: ' schedule.digest#2026-06-01T07:00:00.000Z ', outcome: 'raised' });
    if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ kind: 'schedule', address: 'schedule.digest#2026-06-01T07:00:00Z', resolved: 'raised', status: 'resolved', before: { status: 'unknown' }, run: { status: 'done' } });
    expect(await ctx.store.runs.get(TICK)).toMatchObject({ status: 'done' });
    const [entry] = await ctx.store.audit.list({ address: 'schedule.digest#2026-06-01T07:00:00Z' });
    expect(entry).toMatchObject({ command: 'state resolve', action: 'resolve', author: OPERATOR, detail: { resolved: 'raised', from: 'unknown', to: 'done' } });
    expect(accountFile(tp)).toBeNull();
  });

  it('settles a bulletin occurrence as not raised, so the next apply raises it', async () => {
    await unknownRun(ctx, OCCURRENCE);
    const result = await stateResolve(ctx, { occurrence: 'album#nova-lane', outcome: 'not-raised' });
    expect(result).toMatchObject({ ok: true, kind: 'bulletin', address: 'bulletin.album#nova-lane', status: 'resolved', before: { status: 'unknown' }, run: { status: 'failed' } });
    expect(await ctx.store.runs.get(OCCURRENCE)).toMatchObject({ status: 'failed' });
  });

  it('refuses what it can not settle, as data: a malformed address, a tick never run, an occurrence the YAML does not have', async () => {
    expect(parseOccurrence('schedule.digest')).toMatchObject({ ok: false, diagnostic: { code: 'input.invalid' } });
    expect(codes(await stateResolve(ctx, { occurrence: 'album', outcome: 'raised' }))).toEqual(['input.invalid']);
    expect(codes(await stateResolve(ctx, { occurrence: 'schedule.digest#2026-06-01T07:00:00Z', outcome: 'raised' }))).toEqual(['input.invalid']);
    expect(codes(await stateResolve(ctx, { occurrence: 'bulletin.album#nova-lane', outcome: 'raised' }))).toEqual(['runtime.occurrence-unknown-key']);
    expect(await ctx.store.runs.list()).toEqual([]);
    expect(await ctx.store.audit.list({})).toEqual([]);
  });

  it('held lock: refused with the holder; the run stays unknown', async () => {
    await unknownRun(ctx, TICK);
    const held = await lockHeldElsewhere(tp, 'run-due');
    try {
      const result = await stateResolve(ctx, { occurrence: 'schedule.digest#2026-06-01T07:00:00Z', outcome: 'raised' });
      expect(result).toMatchObject({ ok: false, refused: 'locked', what: 'state resolve', lock: { holder: { id: held.holder.id, command: 'run-due' } } });
      expect(await ctx.store.runs.get(TICK)).toMatchObject({ status: 'unknown' });
    } finally {
      await held.release();
    }
  });
});
