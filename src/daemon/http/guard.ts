/**
 * The gate in front of the write endpoints, run before the body is read (an unauthenticated
 * caller never gets 3 MiB parsed): no token configured is 403 (the daemon said so at start), a
 * wrong or missing token 401, and once shutdown began 503 (intake stops; readiness says why).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DaemonServices } from '../services.js';
import { checkBearer } from './auth.js';

export function requireToken(services: DaemonServices, opts: { refuseWhileDraining: boolean }) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = checkBearer(services.secrets.apiToken, req.headers.authorization);
    if (!auth.ok) {
      if (auth.status === 401) void reply.header('www-authenticate', 'Bearer');
      await reply.code(auth.status).send({ error: auth.status === 403 ? 'forbidden' : 'unauthorized', message: auth.message });
      return;
    }
    if (opts.refuseWhileDraining && services.draining()) {
      await reply.code(503).header('retry-after', '5').send({ error: 'draining', message: 'the daemon is shutting down and takes no new sends; try again shortly' });
    }
  };
}
