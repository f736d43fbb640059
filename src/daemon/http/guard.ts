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
    const auth = checkBearer(req.headers.authorization, services.secrets.apiToken);
    if (auth === 'missing-config') {
      await reply.code(403).send({ error: 'forbidden', message: 'the send API is off: start the daemon with CAMPAIGNCTL_API_TOKEN set' });
      return;
    }
    if (auth === 'unauthorized') {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <CAMPAIGNCTL_API_TOKEN>)' });
      return;
    }
    if (opts.refuseWhileDraining && services.draining()) {
      await reply.code(503).header('retry-after', '5').send({ error: 'draining', message: 'the daemon is shutting down and takes no new sends; try again shortly' });
    }
  };
}
