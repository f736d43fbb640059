/**
 * The bearer token of the daemon's write endpoints (CAMPAIGNCTL_API_TOKEN). Compared in constant
 * time: both sides are hashed first, so neither the token's length nor its prefix leaks through
 * how long the comparison takes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type BearerCheck = 'ok' | 'missing-config' | 'unauthorized';

/** `header` is the request's Authorization header; `token` the configured one (null: none configured). */
export function checkBearer(header: string | undefined, token: string | null): BearerCheck {
  if (token === null || token === '') return 'missing-config';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return 'unauthorized';
  return timingSafeEqual(digest(match[1]!), digest(token)) ? 'ok' : 'unauthorized';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
