/**
 * The fastify server on --listen: pino as its logger (requests logged without headers or bodies),
 * the core routes, then the intake routes. Port 0 takes any free port; the bound address is
 * logged (`listening`) and returned.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DaemonServices } from '../services.js';
import { registerCoreRoutes } from './core-routes.js';
import { registerIntakeRoutes } from './intake-routes.js';
import { registerRefusalHandlers } from './refusal.js';

export async function startServer(services: DaemonServices, listen: { host: string; port: number }): Promise<{ app: FastifyInstance; address: string }> {
  const app = Fastify({
    // pino's Logger is what fastify wants; its types differ only in a field fastify never reads.
    loggerInstance: services.log.child({ component: 'http' }) as FastifyBaseLogger,
    // One debug line per request (below) instead of fastify's two info lines: probes and scrapes are many.
    logController: new LogController({ disableRequestLogging: true }),
    // A send body is bounded by the intake's own checks; the webhook allows up to 3 MiB.
    bodyLimit: 3 * 1024 * 1024,
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, url: req.routeOptions.url ?? req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  registerRefusalHandlers(app, '3 MiB');
  registerCoreRoutes(app, services);
  registerIntakeRoutes(app, services);
  await app.listen({ host: listen.host, port: listen.port });
  const bound = app.server.address();
  const address = typeof bound === 'object' && bound ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : String(bound);
  return { app, address };
}
