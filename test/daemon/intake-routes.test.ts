/**
 * The send endpoints in-process (fastify inject) on a DaemonServices of real parts: the answer
 * comes only after the send is in the outbox of the real SQLite state; every refusal leaves the
 * outbox empty.
 */
import { describe, expect, it } from 'vitest';
import { AUTH, openIntake, TOKEN } from './intake-helpers.js';

const DATA = { orderId: 'SN-104233', carrier: 'DHL' };
const send = (body: unknown, headers: Record<string, string> = AUTH, name = 'order-shipped') => ({
  method: 'POST' as const,
  url: `/v1/messages/${name}/send`,
  headers: { 'content-type': 'application/json', ...headers },
  payload: JSON.stringify(body),
});

describe('POST /v1/messages/{name}/send', () => {
  it('answers 202 { id } once the send is committed to the outbox, and GET /v1/sends/{id} reports it queued', async () => {
    const t = await openIntake();
    const res = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: DATA }));
    expect(res.statusCode).toBe(202);
    const { id } = res.json() as { id: number };
    const item = await t.o.ctx.store.outbox.get(id);
    expect(item).toMatchObject({ kind: 'message', address: 'message.order-shipped', status: 'pending', payload: { to: { Identity: ['u-1'] }, data: DATA } });
    expect(t.wakes).toBe(1);
    const status = await t.app.inject({ method: 'GET', url: `/v1/sends/${id}`, headers: AUTH });
    expect(status.json()).toMatchObject({ id, status: 'queued', address: 'message.order-shipped', counts: null });
    expect((await t.services.metrics.outboxItems.get()).values).toContainEqual(expect.objectContaining({ labels: { status: 'pending' }, value: 1 }));
    expect(t.o.emulator.state.requests()).toHaveLength(0);
  });

  it('a list of ids goes under the contract\'s default key', async () => {
    const t = await openIntake();
    const res = await t.app.inject(send({ to: ['u-1', 'u-2'], data: DATA }));
    expect(res.statusCode).toBe(202);
    expect((await t.o.ctx.store.outbox.get(res.json<{ id: number }>().id))?.payload).toEqual({ to: { Identity: ['u-1', 'u-2'] }, data: DATA });
  });

  it.each([
    ['no token configured: 403', null, AUTH, 403],
    ['a wrong token: 401', TOKEN, { authorization: 'Bearer not-the-token' }, 401],
    ['a token of another length: 401', TOKEN, { authorization: `Bearer ${TOKEN}x` }, 401],
    ['no Authorization header: 401', TOKEN, {}, 401],
    ['not a bearer token: 401', TOKEN, { authorization: `Basic ${TOKEN}` }, 401],
  ] as const)('%s, nothing queued', async (_name, apiToken, headers, status) => {
    const t = await openIntake({ apiToken });
    const res = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: DATA }, headers));
    expect(res.statusCode).toBe(status);
    expect(res.body).not.toContain(TOKEN);
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
    const read = await t.app.inject({ method: 'GET', url: '/v1/sends/1', headers });
    expect(read.statusCode).toBe(status);
  });

  it.each([
    ['data outside the contract', { to: { Identity: ['u-1'] }, data: { orderId: '12', carrier: 'FedEx' } }, 'render.data-invalid', 'http.contract-refused'],
    ['Liquid in a value', { to: { Identity: ['u-1'] }, data: { ...DATA, orderId: '{{ Profile.email }}' } }, 'input.liquid-in-data', 'http.contract-refused'],
    ['an identity key the endpoint does not take', { to: { Emial: ['a@x.com'] }, data: DATA }, 'runtime.identity-key', 'http.contract-refused'],
    ['nobody to send to', { to: {}, data: DATA }, 'runtime.no-recipients', 'http.contract-refused'],
    ['no `to`', { data: DATA }, 'input.invalid', 'http.invalid-body'],
    ['a misspelt field', { to: { Identity: ['u-1'] }, date: DATA }, 'input.invalid', 'http.invalid-body'],
    ['a body that is not an object', ['u-1'], 'input.invalid', 'http.invalid-body'],
  ])('%s: 400 with the problems, nothing queued', async (_name, body, code, error) => {
    const t = await openIntake();
    const res = await t.app.inject(send(body));
    expect(res.statusCode).toBe(400);
    const answer = res.json<{ error: string; message: string; problems: { code: string; message: string }[] }>();
    expect(answer.error).toBe(error);
    expect(answer.message).toMatch(/nothing was queued/);
    expect(answer.problems.map((p) => p.code)).toContain(code);
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
    expect(t.wakes).toBe(0);
  });

  it('data the state refuses to keep (a URL with credentials) is 400, nothing queued', async () => {
    const t = await openIntake();
    const res = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: { orderId: 'https://ops:hunter2@shop.example/o/1' } }, AUTH, 'receipt'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'http.not-storable', message: expect.stringMatching(/a URL with credentials at data\.orderId/) });
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
  });

  it('an unknown name is 404 with the closest one', async () => {
    const t = await openIntake();
    const res = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: DATA }, AUTH, 'order-shiped'));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'runtime.unknown-contract', hint: 'did you mean `order-shipped`?', problems: [{ code: 'runtime.unknown-contract', hint: 'did you mean `order-shipped`?' }] });
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
  });

  it('Idempotency-Key: the same request answers the same id and queues nothing new; another request under it is 422', async () => {
    const t = await openIntake();
    const key = { ...AUTH, 'idempotency-key': 'order-SN-104233-shipped' };
    const first = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: DATA }, key));
    // Same request, keys in another order.
    const again = await t.app.inject(send({ data: { carrier: 'DHL', orderId: 'SN-104233' }, to: { Identity: ['u-1'] } }, key));
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await t.app.inject(send({ to: { Identity: ['u-2'] }, data: DATA }, key));
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ error: 'http.idempotency-conflict', message: expect.stringMatching(/different request/) });
    const onTrigger = await t.app.inject({ ...send({ to: ['a@example.com'], data: { plan: 'Premium' } }, key), url: '/v1/triggers/subscription-upgraded/fire' });
    expect(onTrigger.statusCode).toBe(422);
    expect(await t.o.ctx.store.outbox.list()).toHaveLength(1);
    expect(t.wakes).toBe(1);
  });

  it('the same key sent twice at once queues one item', async () => {
    const t = await openIntake();
    const key = { ...AUTH, 'idempotency-key': 'k-concurrent' };
    const [a, b] = await Promise.all([t.app.inject(send({ to: ['u-1'], data: DATA }, key)), t.app.inject(send({ to: ['u-1'], data: DATA }, key))]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(a.json()).toEqual(b.json());
    expect(await t.o.ctx.store.outbox.list()).toHaveLength(1);
  });

  it('a body over 3 MiB is 413, nothing queued', async () => {
    const t = await openIntake();
    const res = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: { ...DATA, pad: 'x'.repeat(3 * 1024 * 1024) } }));
    expect(res.statusCode).toBe(413);
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
  });

  it('while draining: 503, nothing queued', async () => {
    const t = await openIntake();
    t.setDraining(true);
    const res = await t.app.inject(send({ to: { Identity: ['u-1'] }, data: DATA }));
    expect(res.statusCode).toBe(503);
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
  });

  it('GET /v1/sends/{id} of an id never given is 404', async () => {
    const t = await openIntake();
    for (const id of ['99', 'abc', '0']) expect((await t.app.inject({ method: 'GET', url: `/v1/sends/${id}`, headers: AUTH })).statusCode).toBe(404);
  });
});

describe('POST /v1/triggers/{name}/fire and /v1/bulletins/{name}/raise', () => {
  it('a trigger and a raise are queued with their contract addresses', async () => {
    const t = await openIntake();
    const fire = await t.app.inject({ ...send({ to: ['a@example.com'], data: { plan: 'Premium' } }), url: '/v1/triggers/subscription-upgraded/fire' });
    const raise = await t.app.inject({ ...send({ name: 'Nova Lane: Daybreak', properties: { artist: 'Nova Lane', album: 'Daybreak' } }), url: '/v1/bulletins/album-released/raise' });
    expect([fire.statusCode, raise.statusCode]).toEqual([202, 202]);
    const items = await t.o.ctx.store.outbox.list();
    expect(items.map((i) => [i.kind, i.address, i.payload])).toEqual([
      ['trigger', 'trigger.subscription-upgraded', { to: { Email: ['a@example.com'] }, data: { plan: 'Premium' } }],
      ['raise', 'bulletin.album-released', { name: 'Nova Lane: Daybreak', properties: { artist: 'Nova Lane', album: 'Daybreak' } }],
    ]);
  });

  it.each([
    ['a raise without a name', '/v1/bulletins/album-released/raise', { properties: { artist: 'A', album: 'B' } }, 'input.invalid'],
    ['a raise with properties outside the contract', '/v1/bulletins/album-released/raise', { name: 'x', properties: { artist: 'A' } }, 'render.data-invalid'],
    ['a trigger with a payload outside the contract', '/v1/triggers/subscription-upgraded/fire', { to: ['a@example.com'], data: { plan: 'Gold' } }, 'render.data-invalid'],
  ])('%s: 400, nothing queued', async (_name, url, body, code) => {
    const t = await openIntake();
    const res = await t.app.inject({ ...send(body), url });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ problems: { code: string }[] }>().problems.map((p) => p.code)).toContain(code);
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
  });

  it('an unknown bulletin is 404', async () => {
    const t = await openIntake();
    const res = await t.app.inject({ ...send({ name: 'x' }), url: '/v1/bulletins/album-relased/raise' });
    expect(res.statusCode).toBe(404);
  });
});
