/**
 * The daemon's intake: the three send endpoints and `GET /v1/sends/{id}` behind the bearer token,
 * and GitHub's webhook behind its signature. Each group is its own plugin scope, so the token gate
 * and the webhook's raw-body parser apply to their routes only.
 */
import type { FastifyInstance } from 'fastify';
import type { DaemonServices } from '../services.js';
import { requireToken } from './guard.js';
import { answerFastifyError } from './refusal.js';
import { registerSendRoutes } from './send-routes.js';
import { registerSendStatusRoute } from './sends-status-route.js';
import { registerWebhookRoute } from './webhook-route.js';

export function registerIntakeRoutes(app: FastifyInstance, services: DaemonServices): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', requireToken(services, { refuseWhileDraining: 'sends' }));
    // A body too large or not JSON is refused by fastify before the handler: same body shape.
    scope.setErrorHandler(answerFastifyError('3 MiB'));
    registerSendRoutes(scope, services);
  });
  void app.register(async (scope) => {
    scope.addHook('onRequest', requireToken(services, { refuseWhileDraining: null }));
    registerSendStatusRoute(scope, services);
  });
  registerWebhookRoute(app, services);
}
