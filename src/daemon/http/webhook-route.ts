/**
 * `POST /hooks/github`: a push to the followed branch (or a ping) asks the daemon to fetch; the
 * payload itself is never applied or trusted beyond `ref`: the daemon fetches and reads the commit
 * from the remote as it would on a poll. Answered at once (GitHub gives up after 10 s).
 *
 * - no CAMPAIGNCTL_WEBHOOK_SECRET: 403, the hook is off;
 * - a missing or bad X-Hub-Signature-256 (or only the SHA-1 one): 401, nothing happens;
 * - `ping`: 202; `push` to refs/heads/<branch>: 202 and a fetch; any other event or branch: 202
 *   with `ignored` saying why (GitHub shows the body in its delivery log);
 * - more than 3 MiB: 413.
 * Every answer is counted in campaignctl_webhook_requests_total{result}.
 *
 * The route lives in its own plugin scope whose only body parser keeps the raw bytes: the
 * signature is over them, and the rest of the API keeps fastify's JSON parser.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DaemonServices } from '../services.js';
import { fastifyErrorBody, refusal, sendRefusal, type RefusalBody } from './refusal.js';
import { checkGithubSignature } from './webhook-signature.js';

export const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

type WebhookResult = 'accepted' | 'ignored' | 'unauthorized' | 'not-configured' | 'too-large' | 'bad-request' | 'draining';

export function registerWebhookRoute(app: FastifyInstance, services: DaemonServices): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    // Answers fastify gives before the handler runs (413, a broken body) are counted here.
    scope.setErrorHandler(async (err: { statusCode?: number; message: string }, _req, reply) => {
      const answer = fastifyErrorBody({ statusCode: err.statusCode, message: err.message }, '3 MiB');
      services.metrics.webhookRequestsTotal.inc({ result: answer.status === 413 ? 'too-large' : 'bad-request' });
      return sendRefusal(reply, answer.status, answer.body, 'webhook');
    });
    scope.post('/hooks/github', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (req, reply) => {
      const answer = (status: number, result: WebhookResult, body: RefusalBody | Record<string, unknown>): FastifyReply => {
        services.metrics.webhookRequestsTotal.inc({ result });
        return status >= 400 ? sendRefusal(reply, status, body as RefusalBody, 'webhook') : reply.code(status).send(body);
      };
      const secret = services.secrets.webhookSecret;
      if (!secret) return answer(403, 'not-configured', refusal('http.webhook-off', {}));
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = checkGithubSignature(raw, { sha256: header(req.headers['x-hub-signature-256']), sha1: header(req.headers['x-hub-signature']) }, secret);
      if (signature !== 'ok') return answer(401, 'unauthorized', refusal('http.webhook-signature', { sha1Only: signature === 'sha1-only' }));
      if (services.draining()) return answer(503, 'draining', refusal('http.draining', { what: 'webhook' }));
      const event = header(req.headers['x-github-event']) ?? '';
      if (event === 'ping') return answer(202, 'accepted', { accepted: true, event });
      if (event !== 'push') return answer(202, 'ignored', { accepted: false, ignored: `event \`${event || '(none)'}\`: only push and ping are acted on` });
      const ref = pushRef(raw, header(req.headers['content-type']));
      if (ref === null) return answer(400, 'bad-request', refusal('http.webhook-no-ref', {}));
      if (services.branch === null) return answer(202, 'ignored', { accepted: false, ignored: 'the daemon follows a local folder, not a branch (start it with --git-remote and --branch)' });
      if (ref !== `refs/heads/${services.branch}`) return answer(202, 'ignored', { accepted: false, ignored: `push to ${ref}: the daemon follows refs/heads/${services.branch}` });
      services.requestFetch();
      return answer(202, 'accepted', { accepted: true, event, action: 'fetch' });
    });
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The push's `ref`, from a JSON body or GitHub's form encoding (`payload=<json>`); null when absent or unreadable. */
function pushRef(raw: Buffer, contentType: string | undefined): string | null {
  try {
    const text = raw.toString('utf8');
    const json = contentType?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(text).get('payload') ?? '' : text;
    const ref = (JSON.parse(json) as { ref?: unknown }).ref;
    return typeof ref === 'string' ? ref : null;
  } catch {
    return null;
  }
}
