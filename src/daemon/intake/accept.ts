/**
 * Accepting a runtime send over HTTP, in the order the API promises:
 * 1. the body's shape, then the contract: an unknown name is 404;
 * 2. the body against the contract, with the same checks the CLI's `send`, `trigger` and `raise`
 *    run (checkSend / checkTrigger / checkRaise): any problem is 400 and nothing is queued;
 * 3. the send committed to the durable outbox (group commit, ./commit-batcher.ts);
 * 4. only then 202 with the outbox id.
 * With an Idempotency-Key the same key and the same request answer the first answer again and
 * queue nothing; the same key with another request is 422.
 *
 * A contract the project can not use right now (its file has errors) is the deployment's problem,
 * not the caller's: 503, so the caller tries again later instead of dropping the send.
 */
import { findContract, sendContract } from '../../operations/runtime-contract.js';
import { checkRaise } from '../../operations/raise.js';
import { checkSend } from '../../operations/send.js';
import { checkTrigger } from '../../operations/trigger.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { bodyOf, refusal, type RefusalBody } from '../http/refusal.js';
import { StateError } from '../../state/errors.js';
import type { JsonObject } from '../../state/store.js';
import type { DaemonServices } from '../services.js';
import { commitBatcherFor } from './commit-batcher.js';
import { raisePayload, recipientLists, sendPayload, shapeRaiseBody, shapeSendBody, type IntakeKind } from './request-shape.js';
import { sameRequest } from './same-request.js';

export type IntakeAnswer = { status: 202; body: { id: number }; replayed: boolean } | { status: 400 | 404 | 422 | 503; body: RefusalBody };

const refused = (status: 400 | 404 | 422 | 503, body: RefusalBody): IntakeAnswer => ({ status, body });

/** A key a caller chose: visible ASCII, at most 200 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Checked request, ready for the outbox. */
type Checked = { ok: true; address: string; payload: JsonObject } | { ok: false; answer: IntakeAnswer };

export async function acceptSend(services: DaemonServices, kind: IntakeKind, name: string, body: unknown, idempotencyKey?: string): Promise<IntakeAnswer> {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return refused(400, refusal('http.invalid-idempotency-key', { several: false }));
  }
  const checked = kind === 'raise' ? checkRaiseRequest(services, name, body) : checkSendRequest(services, kind, name, body);
  if (!checked.ok) return checked.answer;
  const { address, payload } = checked;
  // Due from the daemon's clock (the one the drain asks with), not the store's.
  const now = services.clock().toISOString();
  let enqueued;
  try {
    enqueued = await commitBatcherFor(services.store).run((tx) =>
      tx.outbox.enqueue({ kind, address, payload, notBefore: now, ...(idempotencyKey === undefined ? {} : { dedupeKey: `http:${idempotencyKey}` }) }),
    );
  } catch (err) {
    // A payload the state refuses to keep (a secret-looking key, a credentialed URL): the caller's to fix.
    if (err instanceof StateError && err.code === 'not-storable') return refused(400, refusal('http.not-storable', { detail: err.message }));
    throw err;
  }
  const { item, created } = enqueued;
  if (!created) {
    if (!sameRequest(item, kind, address, payload)) {
      return refused(422, refusal('http.idempotency-conflict', {}));
    }
    return { status: 202, body: { id: item.id }, replayed: true };
  }
  services.metrics.outboxItems.inc({ status: 'pending' });
  services.wakeOutbox();
  return { status: 202, body: { id: item.id }, replayed: false };
}

function lookupRefusal(diagnostics: Diagnostic[]): IntakeAnswer {
  // An unknown name answers that diagnostic itself (its hint names the closest contract).
  const unknown = diagnostics.find((d) => d.code === 'runtime.unknown-contract');
  if (unknown) return refused(404, bodyOf(unknown, diagnostics));
  return refused(503, refusal('http.contract-unusable', {}, diagnostics));
}

function checkSendRequest(services: DaemonServices, kind: 'message' | 'trigger', name: string, body: unknown): Checked {
  const shaped = shapeSendBody(kind, body);
  if (!shaped.ok) return { ok: false, answer: refused(400, refusal('http.invalid-body', {}, shaped.problems)) };
  const ctx = services.context();
  const found = sendContract(ctx.project, kind, name);
  if (!found.ok) return { ok: false, answer: lookupRefusal(found.diagnostics) };
  const to = recipientLists(shaped.value.to, found.value.defaultKey);
  const options = { contract: found.value.resource.address, to: to as Record<string, string[]>, data: shaped.value.data };
  const result = kind === 'message' ? checkSend(ctx, options) : checkTrigger(ctx, options);
  if (result.status === 'refused') return { ok: false, answer: refused(400, refusal('http.contract-refused', {}, result.diagnostics)) };
  return { ok: true, address: found.value.resource.address, payload: sendPayload(to, shaped.value.data) };
}

function checkRaiseRequest(services: DaemonServices, name: string, body: unknown): Checked {
  const shaped = shapeRaiseBody(body);
  if (!shaped.ok) return { ok: false, answer: refused(400, refusal('http.invalid-body', {}, shaped.problems)) };
  const ctx = services.context();
  const found = findContract(ctx.project, 'Bulletin', name);
  if (!found.ok) return { ok: false, answer: lookupRefusal(found.diagnostics) };
  const result = checkRaise(ctx, { bulletin: found.value.address, name: shaped.value.name, properties: shaped.value.properties });
  if (result.status === 'refused') return { ok: false, answer: refused(400, refusal('http.contract-refused', {}, result.diagnostics)) };
  return { ok: true, address: found.value.address, payload: raisePayload(shaped.value) };
}
