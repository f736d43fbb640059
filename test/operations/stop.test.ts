/**
 * operations.stop in process: a real temp project on the embedded sandbox, its real SQLite state.
 * The result and the refusals are data; the lock is taken before CleverTap is opened; nothing is
 * printed (the fixture checks stdout and stderr after each test).
 */
import { describe, expect, it } from 'vitest';
import { stop } from '../../src/operations/stop.js';
import { isRefusal } from '../../src/operations/under-lock.js';
import type { TempProject } from '../apply/helpers.js';
import type { OperationContext } from '../../src/operations/context.js';
import type { OperationEvent } from '../../src/operations/events.js';
import { accountFile, applyAll, lockHeldElsewhere, OPERATOR, sandboxOf, useOperationFixture } from './helpers.js';

let tp: TempProject;
let ctx: OperationContext;
let events: OperationEvent[];
let reopen: () => Promise<OperationContext>;
useOperationFixture((f) => ({ tp, ctx, events, reopen } = f));

describe('stop', () => {
  it('stops the campaigns named on CleverTap, records who and why, and tells one event per campaign', async () => {
    tp.campaign({ name: 'alpha', labels: { team: 'growth' } });
    tp.campaign({ name: 'beta', labels: { team: 'growth' } });
    tp.campaign({ name: 'gamma', labels: { team: 'retention' } });
    await applyAll(tp, ctx);

    const result = await stop(ctx, { selector: { team: 'growth' }, reason: '  wrong price  ' });
    if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ ok: true, stopped: 2, skipped: 0, failed: 0, reason: 'wrong price', by: OPERATOR, sandbox: true, warnings: [] });
    expect(result.against).toMatch(/^the embedded sandbox/);
    expect(result.outcomes.map((o) => [o.address, o.status])).toEqual([
      ['campaign.alpha', 'stopped'],
      ['campaign.beta', 'stopped'],
    ]);
    expect(events.filter((e) => e.kind === 'stop.outcome').map((e) => e.kind === 'stop.outcome' && e.outcome.address)).toEqual(['campaign.alpha', 'campaign.beta']);
    expect(events).toContainEqual({ kind: 'debug', text: `stopping through ${result.against}` });

    const { emu } = await sandboxOf(ctx);
    const byId = new Map(emu.state.campaigns().map((c) => [c.id, c.status]));
    for (const address of ['campaign.alpha', 'campaign.beta']) {
      const row = (await ctx.store.resources.get(address))!;
      expect(row.status).toBe('stopped');
      expect(byId.get(row.remoteId!)).toBe('stopped');
      const [entry] = await ctx.store.audit.list({ address });
      expect(entry).toMatchObject({ command: 'stop', action: 'stop', author: OPERATOR, detail: { reason: 'wrong price', by: OPERATOR, emergency: true } });
    }
    expect((await ctx.store.resources.get('campaign.gamma'))!.status).not.toBe('stopped');
    // The lock was released: the next operator action can take it.
    expect(await ctx.store.lock.current()).toBeNull();
  });

  it('refuses a request naming nothing or without a reason before opening anything', async () => {
    const nothing = await stop(ctx, { reason: ' ' });
    expect(nothing).toMatchObject({ ok: false, refused: 'problems' });
    if (!isRefusal(nothing) || nothing.refused !== 'problems') throw new Error('expected problems');
    expect(nothing.diagnostics.map((d) => d.code)).toEqual(['stop.nothing-named', 'stop.reason-required']);

    // An empty selector would match every campaign: it names nothing.
    const empty = await stop(ctx, { selector: {}, reason: 'outage' });
    expect(isRefusal(empty) && empty.refused === 'problems' && empty.diagnostics.map((d) => d.code)).toEqual(['stop.nothing-named']);
    expect(accountFile(tp)).toBeNull();
    expect(await ctx.store.audit.list({})).toEqual([]);
  });

  it('refuses an address campaignctl does not manage, as data naming the closest one', async () => {
    tp.campaign({ name: 'alpha' });
    await applyAll(tp, ctx);
    const result = await stop(ctx, { addresses: ['campaign.alpah'], reason: 'outage' });
    if (!isRefusal(result) || result.refused !== 'problems') throw new Error(`expected problems: ${JSON.stringify(result)}`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['stop.not-managed']);
    expect(result.diagnostics[0]!.hint).toContain('campaign.alpha');
    expect((await ctx.store.resources.get('campaign.alpha'))!.status).not.toBe('stopped');
    expect(await ctx.store.lock.current()).toBeNull();
  });

  it('held lock: refused with the holder before CleverTap is opened, so the emulator account file is untouched', async () => {
    tp.campaign({ name: 'alpha' });
    await applyAll(tp, ctx);
    const fresh = await reopen();
    const before = accountFile(tp);
    expect(before).not.toBeNull();

    const held = await lockHeldElsewhere(tp);
    try {
      const result = await stop(fresh, { addresses: ['campaign.alpha'], reason: 'outage' });
      expect(result).toMatchObject({ ok: false, refused: 'locked', what: 'stop', lock: { holder: { id: held.holder.id, command: 'apply', host: 'ci-runner-7', pid: 4242 } } });
      // Starting the emulator rewrites its account file; a refused stop never started it.
      expect(accountFile(tp)).toEqual(before);
      // The other run's lock is still its own.
      expect((await fresh.store.lock.current())?.id).toBe(held.holder.id);
      expect((await fresh.store.resources.get('campaign.alpha'))!.status).not.toBe('stopped');
    } finally {
      await held.release();
    }

    // The control: once the lock is free the same stop opens the emulator (its file is rewritten) and stops.
    const after = await stop(fresh, { addresses: ['campaign.alpha'], reason: 'outage' });
    expect(after).toMatchObject({ ok: true, stopped: 1 });
    expect(accountFile(tp)!.mtimeNs).not.toBe(before!.mtimeNs);
  });
});
