/**
 * The daemon's own routes: liveness, readiness, metrics, status (JSON and the page) and
 * POST /v1/reconcile. The send endpoints and the webhook are ./intake-routes.ts's.
 */
import type { FastifyInstance } from 'fastify';
import type { DaemonServices } from '../services.js';
import { requireToken } from './guard.js';
import { renderStatusPage } from './status-page.js';

export function registerCoreRoutes(app: FastifyInstance, services: DaemonServices): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const r = services.readiness();
    return reply.code(r.ready ? 200 : 503).send({ ready: r.ready, reasons: r.reasons });
  });

  app.get('/metrics', async (_req, reply) => {
    const registry = services.metrics.registry;
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/v1/status', async () => services.status());

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(renderStatusPage(await services.status(), { now: services.clock() })));

  app.post('/v1/reconcile', { onRequest: requireToken(services, { refuseWhileDraining: 'reconcile' }) }, async (_req, reply) => {
    services.requestReconcile('api', { force: true });
    return reply.code(202).send({ accepted: true });
  });
}
