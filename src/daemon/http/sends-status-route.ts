/**
 * `GET /v1/sends/{id}`: where an accepted send is. The outbox's states under the API's names:
 * pending is `queued`, done is `sent`; `sending`, `failed` and `unknown` as they are. `unknown`
 * means it may have reached CleverTap: it is never sent again by the daemon. A `sending` one also
 * says who claimed it and until when (claimedBy, leaseUntil; null in every other state).
 */
import type { FastifyInstance } from 'fastify';
import type { OutboxItem, OutboxStatus } from '../../state/store.js';
import type { DaemonServices } from '../services.js';
import { refusal, sendRefusal } from './refusal.js';

export type SendState = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown';

export const SEND_STATE: Record<OutboxStatus, SendState> = { pending: 'queued', sending: 'sending', done: 'sent', failed: 'failed', unknown: 'unknown' };

export function sendStatusJson(item: OutboxItem): Record<string, unknown> {
  return {
    id: item.id,
    kind: item.kind,
    address: item.address,
    status: SEND_STATE[item.status],
    attempts: item.attempts,
    enqueuedAt: item.enqueuedAt,
    lastAttemptAt: item.lastAttemptAt,
    nextAttemptAt: item.status === 'pending' ? item.nextAttemptAt : null,
    // While it is being sent: which replica holds the claim, and until when unless renewed (a
    // replica that stops renewing leaves it `unknown` after that, never sent again).
    claimedBy: item.status === 'sending' ? item.claimedBy : null,
    leaseUntil: item.status === 'sending' ? item.leaseUntil : null,
    // What the drain recorded when it finished (identities, calls, sent, failed, unknown).
    counts: item.result,
    error: item.lastError,
  };
}

export function registerSendStatusRoute(app: FastifyInstance, services: DaemonServices): void {
  app.get<{ Params: { id: string } }>('/v1/sends/:id', async (req, reply) => {
    const id = /^[1-9][0-9]{0,15}$/.test(req.params.id) ? Number(req.params.id) : NaN;
    const item = Number.isSafeInteger(id) ? await services.store.outbox.get(id) : null;
    if (!item) return sendRefusal(reply, 404, refusal('http.not-found', { id: req.params.id }));
    return reply.send(sendStatusJson(item));
  });
}
