/**
 * The outbox drain in-process: items accepted through the API are sent through the real
 * operations to the emulator, each claimed before its call; what may have landed is never sent
 * again; what definitely did not go out is retried only when it may pass later.
 */
import { describe, expect, it } from 'vitest';
import { AUTH, CLAIMER, openIntake, until, type Intake } from './intake-helpers.js';

const DATA = { orderId: 'SN-104233', carrier: 'DHL' };

async function accept(t: Intake, id: string): Promise<number> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ to: { Identity: [id] }, data: DATA }) });
  expect(res.statusCode).toBe(202);
  return res.json<{ id: number }>().id;
}

async function statusOf(t: Intake, id: number): Promise<Record<string, unknown>> {
  return (await t.app.inject({ method: 'GET', url: `/v1/sends/${id}`, headers: AUTH })).json();
}

async function gauge(t: Intake): Promise<Record<string, number>> {
  return Object.fromEntries((await t.services.metrics.outboxItems.get()).values.map((v) => [String(v.labels.status), v.value]));
}

describe('the outbox drain', () => {
  it('sends every accepted item once, at most 3 calls in flight, and reports them sent with counts; logs hold counts, never data or ids', async () => {
    const t = await openIntake({ sandbox: { latencyMs: 40 } });
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) ids.push(await accept(t, `user-${i}`));
    t.drain();
    await until(async () => (await t.o.ctx.store.outbox.list({ status: 'done' })).length === 9);
    expect(t.o.emulator.state.sends()).toHaveLength(9);
    expect(t.o.emulator.state.sends().map((s) => (s.body as { to: { Identity: string[] } }).to.Identity[0]).sort()).toEqual(ids.map((_, i) => `user-${i}`).sort());
    expect(t.o.emulator.state.concurrency().peak.send).toBeLessThanOrEqual(3);
    expect(await statusOf(t, ids[0]!)).toMatchObject({ status: 'sent', attempts: 1, counts: { identities: 1, calls: 1, sent: 1, failed: 0, unknown: 0 } });
    expect(await gauge(t)).toMatchObject({ pending: 0, sending: 0, done: 9 });
    const lines = t.logs().filter((l) => l.msg === 'send batch');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatchObject({ kind: 'message', address: 'message.order-shipped', result: 'done', sent: 1, identities: 1 });
    expect(t.logText()).not.toMatch(/user-\d|SN-104233|DHL/);
  });

  it('an item a dead replica left `sending` becomes unknown once its lease ran out, and is never sent; a live replica\'s claim is left alone', async () => {
    const t = await openIntake();
    const claim = async (id: number, by: string, leaseMs: number) =>
      expect((await t.o.ctx.store.outbox.claimDue(new Date(Date.now() + 60_000).toISOString(), 1, { by, leaseMs })).map((i) => i.id)).toEqual([id]);
    const stranded = await accept(t, 'u-stranded');
    await claim(stranded, 'dead-replica', 300);
    const elsewhere = await accept(t, 'u-elsewhere');
    await claim(elsewhere, 'live-replica', 60_000);
    const fresh = await accept(t, 'u-fresh');
    t.drain({ pollMs: 50 });
    await until(async () => (await t.o.ctx.store.outbox.get(fresh))?.status === 'done');
    await until(async () => (await t.o.ctx.store.outbox.get(stranded))?.status === 'unknown');
    expect(await statusOf(t, stranded)).toMatchObject({ status: 'unknown', error: expect.stringMatching(/claim of replica dead-replica ran out .*may have been sent/) });
    expect(await t.o.ctx.store.outbox.get(elsewhere)).toMatchObject({ status: 'sending', claimedBy: 'live-replica' });
    expect(await t.o.ctx.store.outbox.get(fresh)).toMatchObject({ status: 'done', claimedBy: CLAIMER });
    expect(t.o.emulator.state.sends().map((s) => (s.body as { to: { Identity: string[] } }).to.Identity)).toEqual([['u-fresh']]);
    expect(await gauge(t)).toMatchObject({ unknown: 1, done: 1, sending: 1 });
    expect(t.logs().filter((l) => /claim ran out while being sent are now unknown/.test(String(l.msg)))).toMatchObject([{ outbox: [stranded], claimedBy: ['dead-replica'] }]);
  });

  it('a call that outlasts the lease keeps its claim (renewed while in flight) and is recorded done', async () => {
    const t = await openIntake({ sandbox: { latencyMs: 1200 } });
    const id = await accept(t, 'u-slow');
    // Its own drain looks for expired claims every 20 ms: a lease that was not renewed would be caught.
    t.drain({ pollMs: 20, leaseMs: 300 });
    await until(() => (t.o.emulator.state.concurrency().inFlight.send ?? 0) === 1);
    const first = (await t.o.ctx.store.outbox.get(id))!.leaseUntil!;
    await new Promise((r) => setTimeout(r, 500));
    const during = (await t.o.ctx.store.outbox.get(id))!;
    expect(during.status).toBe('sending');
    expect(Date.parse(during.leaseUntil!)).toBeGreaterThan(Date.parse(first));
    await until(async () => (await t.o.ctx.store.outbox.get(id))?.status !== 'sending');
    expect(await t.o.ctx.store.outbox.get(id)).toMatchObject({ status: 'done', attempts: 1, claimedBy: CLAIMER, leaseUntil: null });
    expect(t.o.emulator.state.sends()).toHaveLength(1);
    expect(t.errors).toEqual([]);
  });

  it('GET /v1/sends/{id} says who claimed an item and until when while it is being sent, and nothing of a claim before or after', async () => {
    const t = await openIntake({ sandbox: { latencyMs: 800 } });
    const id = await accept(t, 'u-claimed');
    expect(await statusOf(t, id)).toMatchObject({ status: 'queued', claimedBy: null, leaseUntil: null });
    t.drain({ leaseMs: 30_000 });
    await until(() => (t.o.emulator.state.concurrency().inFlight.send ?? 0) === 1);
    const during = await statusOf(t, id);
    const item = (await t.o.ctx.store.outbox.get(id))!;
    expect(during).toMatchObject({ status: 'sending', claimedBy: CLAIMER, leaseUntil: item.leaseUntil });
    // The lease runs from the claim: about 30 s ahead, not already over.
    const ahead = Date.parse(String(during.leaseUntil)) - Date.now();
    expect(ahead).toBeGreaterThan(20_000);
    expect(ahead).toBeLessThanOrEqual(30_000);
    await until(async () => (await t.o.ctx.store.outbox.get(id))?.status === 'done');
    expect(await statusOf(t, id)).toMatchObject({ status: 'sent', claimedBy: null, leaseUntil: null });
  });

  it('an answer lost after CleverTap committed: unknown, never sent again', async () => {
    const t = await openIntake();
    t.o.emulator.state.injectFaults([{ fault: 'drop-after-commit', family: 'send' }]);
    const id = await accept(t, 'u-1');
    t.drain({ pollMs: 20 });
    await until(async () => (await t.o.ctx.store.outbox.get(id))?.status === 'unknown');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.o.emulator.state.requests({ family: 'send' })).toHaveLength(1);
    expect(await statusOf(t, id)).toMatchObject({ status: 'unknown', attempts: 1, error: expect.stringMatching(/sent 0, failed 0, unknown 1 of 1 identities/) });
  });

  it('refused by CleverTap (definitely not sent, would be refused again): failed after one attempt', async () => {
    const t = await openIntake({ sandbox: { externalTriggers: [] } });
    const res = await t.app.inject({ method: 'POST', url: '/v1/triggers/subscription-upgraded/fire', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ to: ['a@example.com'], data: { plan: 'Premium' } }) });
    const id = res.json<{ id: number }>().id;
    t.drain({ pollMs: 20 });
    await until(async () => (await t.o.ctx.store.outbox.get(id))?.status === 'failed');
    expect(await statusOf(t, id)).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^sent 0, failed 1, unknown 0 of 1 identities; fail/) });
    expect(t.o.emulator.state.requests()).toHaveLength(1);
  });

  it('429 past the client\'s retries: nothing went out, so it is queued again with a back-off and then sent', async () => {
    const t = await openIntake();
    t.o.emulator.state.injectFaults([{ fault: '429', family: 'send', count: 5 }]);
    const id = await accept(t, 'u-1');
    t.drain({ pollMs: 20, backoffMs: 50 });
    await until(async () => (await t.o.ctx.store.outbox.get(id))?.status === 'done', 20_000);
    const item = await t.o.ctx.store.outbox.get(id);
    expect(item).toMatchObject({ attempts: 2, lastError: expect.stringMatching(/rate-limited/) });
    expect(t.o.emulator.state.sends()).toHaveLength(1);
    expect(t.logs().filter((l) => l.msg === 'send batch').map((l) => l.result)).toEqual(['retry', 'done']);
  }, 30_000);

  it('a raise and a trigger are sent through their operations', async () => {
    const t = await openIntake();
    const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const fire = (await post('/v1/triggers/subscription-upgraded/fire', { to: ['a@example.com'], data: { plan: 'Premium' } })).json<{ id: number }>().id;
    const raise = (await post('/v1/bulletins/album-released/raise', { name: 'Nova Lane: Daybreak', properties: { artist: 'Nova Lane', album: 'Daybreak' } })).json<{ id: number }>().id;
    t.drain();
    await until(async () => (await t.o.ctx.store.outbox.list({ status: 'done' })).length === 2);
    expect(t.o.emulator.state.sends().map((s) => s.kind).sort()).toEqual(['external-trigger', 'raise']);
    expect(await statusOf(t, raise)).toMatchObject({ status: 'sent', counts: { calls: 1, sent: 1 } });
    expect(await statusOf(t, fire)).toMatchObject({ status: 'sent', counts: { identities: 1, sent: 1 } });
    expect((await t.o.audit()).map((a) => a.command).sort()).toEqual(['raise', 'trigger']);
  });

  it('stop() waits for the calls in flight and starts no new ones', async () => {
    const t = await openIntake({ sandbox: { latencyMs: 300 } });
    for (let i = 0; i < 6; i++) await accept(t, `u-${i}`);
    const drain = t.drain();
    await until(() => (t.o.emulator.state.concurrency().inFlight.send ?? 0) === 3);
    await drain.stop();
    const items = await t.o.ctx.store.outbox.list();
    expect(items.map((i) => i.status)).toEqual(['done', 'done', 'done', 'pending', 'pending', 'pending']);
    expect(t.o.emulator.state.sends()).toHaveLength(3);
  });
});
