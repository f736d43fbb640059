/**
 * Every refusal of the HTTP API in one shape, `{ error, message, hint? }` with `error` a catalogue
 * code (plus `problems` where a 400 lists them), whichever route answers; every 401 carries
 * WWW-Authenticate; the token gate of POST /v1/reconcile is the send endpoints' one.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/diagnostics/catalogue.js';
import { registerCoreRoutes } from '../../src/daemon/http/core-routes.js';
import { registerIntakeRoutes } from '../../src/daemon/http/intake-routes.js';
import { registerRefusalHandlers } from '../../src/daemon/http/refusal.js';
import { githubSignature } from '../../src/daemon/http/webhook-signature.js';
import { AUTH, openIntake, SECRET, TOKEN } from './intake-helpers.js';

async function server(opts: { apiToken?: string | null; webhookSecret?: string | null } = {}) {
  const t = await openIntake(opts);
  const app = Fastify();
  registerRefusalHandlers(app, '3 MiB');
  registerCoreRoutes(app, t.services);
  registerIntakeRoutes(app, t.services);
  await app.ready();
  return { t, app };
}

const json = { 'content-type': 'application/json' };
const BODY = JSON.stringify({ to: ['u-1'], data: { orderId: 'SN-104233', carrier: 'DHL' } });

function expectRefusal(res: { statusCode: number; json(): unknown }, status: number, error: string): void {
  expect(res.statusCode).toBe(status);
  const body = res.json() as Record<string, unknown>;
  expect(body.error).toBe(error);
  expect(Object.keys(catalogue)).toContain(error);
  expect(typeof body.message).toBe('string');
  expect(Object.keys(body).every((k) => ['error', 'message', 'hint', 'problems'].includes(k))).toBe(true);
}

describe('HTTP refusals', () => {
  it('401 on the send endpoints, GET /v1/sends/{id} and POST /v1/reconcile: the same code, WWW-Authenticate, the token never echoed', async () => {
    const { app } = await server();
    const bad = { authorization: 'Bearer not-the-token' };
    for (const req of [
      { method: 'POST' as const, url: '/v1/messages/order-shipped/send', headers: { ...json, ...bad }, payload: BODY },
      { method: 'GET' as const, url: '/v1/sends/1', headers: bad },
      { method: 'POST' as const, url: '/v1/reconcile', headers: bad },
      { method: 'POST' as const, url: '/v1/reconcile' },
    ]) {
      const res = await app.inject(req);
      expectRefusal(res, 401, 'http.unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body).not.toContain(TOKEN);
    }
  });

  it('403 without a configured token: POST /v1/reconcile answers as the send endpoints do', async () => {
    const { app } = await server({ apiToken: null });
    const a = await app.inject({ method: 'POST', url: '/v1/reconcile', headers: AUTH });
    const b = await app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...json, ...AUTH }, payload: BODY });
    expectRefusal(a, 403, 'http.forbidden');
    expect(a.json()).toEqual(b.json());
  });

  it('503 while draining, on the sends (with Retry-After) and on POST /v1/reconcile', async () => {
    const { t, app } = await server();
    t.setDraining(true);
    const send = await app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...json, ...AUTH }, payload: BODY });
    expectRefusal(send, 503, 'http.draining');
    expect(send.headers['retry-after']).toBe('5');
    expectRefusal(await app.inject({ method: 'POST', url: '/v1/reconcile', headers: AUTH }), 503, 'http.draining');
  });

  it('413, a body that is not JSON, an unknown send id and an unknown route answer catalogue codes', async () => {
    const { app } = await server();
    const big = JSON.stringify({ to: ['u-1'], data: { pad: 'x'.repeat(3 * 1024 * 1024) } });
    expectRefusal(await app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...json, ...AUTH }, payload: big }), 413, 'http.too-large');
    expectRefusal(await app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...json, ...AUTH }, payload: '{"to":' }), 400, 'http.bad-request');
    expectRefusal(await app.inject({ method: 'GET', url: '/v1/sends/99', headers: AUTH }), 404, 'http.not-found');
    expectRefusal(await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' }), 404, 'http.no-route');
    expectRefusal(await app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...json, ...AUTH, 'idempotency-key': 'ä' }, payload: BODY }), 400, 'http.invalid-idempotency-key');
  });

  it('the webhook: 401 with WWW-Authenticate naming the signature header, 403 off, 400 without ref, 413', async () => {
    const { app } = await server();
    const hook = (raw: string, headers: Record<string, string>) => ({ method: 'POST' as const, url: '/hooks/github', headers: { ...json, 'x-github-event': 'push', ...headers }, payload: raw });
    const unsigned = await app.inject(hook('{"ref":"refs/heads/main"}', {}));
    expectRefusal(unsigned, 401, 'http.webhook-signature');
    expect(unsigned.headers['www-authenticate']).toMatch(/X-Hub-Signature-256/);
    expectRefusal(await app.inject(hook('{}', { 'x-hub-signature-256': githubSignature('{}', SECRET) })), 400, 'http.webhook-no-ref');
    const big = JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(3 * 1024 * 1024) });
    expectRefusal(await app.inject(hook(big, { 'x-hub-signature-256': githubSignature(big, SECRET) })), 413, 'http.too-large');
    const off = await server({ webhookSecret: null });
    expectRefusal(await off.app.inject(hook('{"ref":"refs/heads/main"}', {})), 403, 'http.webhook-off');
  });
});
