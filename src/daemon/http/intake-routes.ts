/**
 * The send endpoints, GET /v1/sends/{id} and POST /hooks/github.
 *
 * Placeholder with the agreed signature so the daemon compiles: the intake routes are built on
 * their own branch and replace this body.
 */
import type { FastifyInstance } from 'fastify';
import type { DaemonServices } from '../services.js';

export function registerIntakeRoutes(_app: FastifyInstance, _services: DaemonServices): void {
  // Nothing registered yet.
}
