/**
 * The bearer token of the write endpoints (CAMPAIGNCTL_API_TOKEN): compared in constant time
 * after a length check. No token configured: 403 (the endpoints are off); a wrong or missing one:
 * 401. Shared by every route that writes (POST /v1/reconcile, the send endpoints).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type TokenCheck = { ok: true } | { ok: false; status: 401 | 403; message: string };

export function checkBearer(configured: string | null, authorization: string | undefined): TokenCheck {
  if (!configured) return { ok: false, status: 403, message: 'write endpoints are off: CAMPAIGNCTL_API_TOKEN is not set on the daemon' };
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return { ok: false, status: 401, message: 'missing bearer token (Authorization: Bearer <CAMPAIGNCTL_API_TOKEN>)' };
  return tokensEqual(match[1]!, configured) ? { ok: true } : { ok: false, status: 401, message: 'wrong bearer token' };
}

/** Constant time for equal lengths; different lengths are unequal without comparing bytes. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Answers 401/403 and returns false when the request may not write; true lets the handler go on.
 * Use: `if (!(await requireToken(services.secrets.apiToken, req, reply))) return reply;`
 */
export async function requireToken(configured: string | null, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const check = checkBearer(configured, req.headers.authorization);
  if (check.ok) return true;
  await reply.code(check.status).send({ error: check.message });
  return false;
}
