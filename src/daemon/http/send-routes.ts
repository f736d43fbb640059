/**
 * `POST /v1/messages/{name}/send`, `POST /v1/triggers/{name}/fire`, `POST /v1/bulletins/{name}/raise`:
 * the HTTP face of ../intake/accept.ts. Bodies up to 3 MiB (413 beyond, from fastify's bodyLimit).
 */
import type { FastifyInstance } from 'fastify';
import { acceptSend } from '../intake/accept.js';
import type { IntakeKind } from '../intake/request-shape.js';
import type { DaemonServices } from '../services.js';
import { refusal, sendRefusal } from './refusal.js';

export const INTAKE_BODY_LIMIT = 3 * 1024 * 1024;

const ROUTES: { kind: IntakeKind; url: string }[] = [
  { kind: 'message', url: '/v1/messages/:name/send' },
  { kind: 'trigger', url: '/v1/triggers/:name/fire' },
  { kind: 'raise', url: '/v1/bulletins/:name/raise' },
];

export function registerSendRoutes(app: FastifyInstance, services: DaemonServices): void {
  for (const { kind, url } of ROUTES) {
    app.post<{ Params: { name: string } }>(url, { bodyLimit: INTAKE_BODY_LIMIT }, async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (Array.isArray(key)) return sendRefusal(reply, 400, refusal('http.invalid-idempotency-key', { several: true }));
      const answer = await acceptSend(services, kind, req.params.name, req.body, key);
      if (answer.status === 202 && answer.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(answer.status).send(answer.body);
    });
  }
}
