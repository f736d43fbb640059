/**
 * The one gate in front of the write endpoints (the sends, POST /v1/reconcile) and GET
 * /v1/sends/{id}, run before the body is read (an unauthenticated caller never gets 3 MiB
 * parsed): no token configured is 403 (the daemon said so at start), a wrong or missing token 401
 * with WWW-Authenticate, and, where asked, 503 once shutdown began (intake stops; readiness says
 * why). Answers are catalogue refusals (./refusal.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DaemonServices } from '../services.js';
import { checkBearer } from './auth.js';
import { refusal, sendRefusal } from './refusal.js';

export interface GateOptions {
  /** What is refused while the daemon drains (its words differ); null: answered while draining too. */
  refuseWhileDraining: 'sends' | 'reconcile' | null;
}

export function requireToken(services: DaemonServices, opts: GateOptions) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = checkBearer(services.secrets.apiToken, req.headers.authorization);
    if (!auth.ok) {
      await sendRefusal(reply, auth.status, auth.body);
      return;
    }
    if (opts.refuseWhileDraining !== null && services.draining()) {
      await sendRefusal(reply.header('retry-after', '5'), 503, refusal('http.draining', { what: opts.refuseWhileDraining }));
    }
  };
}
