/**
 * The bearer token of the write endpoints (CAMPAIGNCTL_API_TOKEN): compared in constant time
 * after a length check. No token configured: 403 (the endpoints are off); a wrong or missing one:
 * 401. The gate every route that writes or reads sends goes through is ./guard.ts's.
 */
import { timingSafeEqual } from 'node:crypto';
import { refusal, type RefusalBody } from './refusal.js';

export type TokenCheck = { ok: true } | { ok: false; status: 401 | 403; body: RefusalBody };

export function checkBearer(configured: string | null, authorization: string | undefined): TokenCheck {
  if (!configured) return { ok: false, status: 403, body: refusal('http.forbidden', {}) };
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return { ok: false, status: 401, body: refusal('http.unauthorized', { missing: true }) };
  return tokensEqual(match[1]!, configured) ? { ok: true } : { ok: false, status: 401, body: refusal('http.unauthorized', { missing: false }) };
}

/** Constant time for equal lengths; different lengths are unequal without comparing bytes. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

