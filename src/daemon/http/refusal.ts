/**
 * Every refusal the HTTP API answers has one body: `{ error, message, hint? }` where `error` is a
 * diagnostic code of the catalogue (src/diagnostics/catalogue.ts holds the wording), plus
 * `problems` when the refusal lists what was wrong with the request. A 401 always carries
 * WWW-Authenticate, whichever route answers it.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { diagnostic, type ArgsOf, type DiagnosticCode } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { problemsOf, type Problem } from '../intake/problems.js';

export interface RefusalBody {
  error: string;
  message: string;
  hint?: string;
  problems?: Problem[];
}

/** The body of a refusal with catalogue code `code`; `problems` are the diagnostics it lists. */
export function refusal<C extends DiagnosticCode>(code: C, args: ArgsOf<C>, problems?: readonly Diagnostic[]): RefusalBody {
  return bodyOf(diagnostic(code, args), problems);
}

/** A refusal that is one diagnostic already (an unknown contract): its code, message and hint. */
export function bodyOf(d: Diagnostic, problems?: readonly Diagnostic[]): RefusalBody {
  const body: RefusalBody = { error: d.code, message: d.message };
  if (d.hint !== undefined) body.hint = d.hint;
  if (problems) body.problems = problemsOf(problems);
  return body;
}

/** The scheme a 401 names: the bearer token for the API, the signature header for the webhook. */
export type Challenge = 'bearer' | 'webhook';

const CHALLENGES: Record<Challenge, string> = {
  bearer: 'Bearer realm="campaignctl"',
  // No registered scheme fits an HMAC over the body; this names the header GitHub must send.
  webhook: 'X-Hub-Signature-256 realm="campaignctl webhook"',
};

export function sendRefusal(reply: FastifyReply, status: number, body: RefusalBody, challenge: Challenge = 'bearer'): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', CHALLENGES[challenge]);
  return reply.code(status).send(body);
}

/** The answer to an error fastify raised before or around a handler (a body too large or not JSON, a throw). */
export function fastifyErrorBody(err: Pick<FastifyError, 'statusCode' | 'message'>, limit: string): { status: number; body: RefusalBody } {
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 413) return { status, body: refusal('http.too-large', { limit }) };
  if (status === 500) return { status, body: refusal('http.internal', {}) };
  return { status, body: refusal('http.bad-request', { detail: err.message }) };
}

/** An error handler answering in the refusal shape (a 500 is logged; its detail never goes to the caller). */
export function answerFastifyError(limit: string) {
  return async (err: FastifyError, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const { status, body } = fastifyErrorBody(err, limit);
    if (status === 500) req.log.error({ err }, 'request failed');
    return sendRefusal(reply, status, body);
  };
}

/** The server-wide answers in the same shape: routes that do not exist, errors no scope answered itself. */
export function registerRefusalHandlers(app: FastifyInstance, limit: string): void {
  app.setNotFoundHandler(async (req: FastifyRequest, reply: FastifyReply) => sendRefusal(reply, 404, refusal('http.no-route', { method: req.method, url: req.url.split('?')[0]! })));
  app.setErrorHandler(answerFastifyError(limit));
}
