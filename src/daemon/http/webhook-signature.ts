/**
 * GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`
 * keyed with the webhook secret. Checked over the exact bytes received (a parsed and re-serialised
 * body would not match), compared with timingSafeEqual after a length check (timingSafeEqual
 * throws on different lengths, and the length of a hex SHA-256 is no secret). The SHA-1 header
 * alone is refused: SHA-1 HMACs are what GitHub keeps only for old integrations.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'ok' | 'missing' | 'sha1-only' | 'bad';

export function checkGithubSignature(raw: Buffer, headers: { sha256?: string; sha1?: string }, secret: string): SignatureCheck {
  const given = headers.sha256;
  if (given === undefined || given === '') return headers.sha1 ? 'sha1-only' : 'missing';
  const match = /^sha256=([0-9a-f]{64})$/i.exec(given.trim());
  if (!match) return 'bad';
  const expected = createHmac('sha256', secret).update(raw).digest();
  const received = Buffer.from(match[1]!, 'hex');
  if (received.length !== expected.length) return 'bad';
  return timingSafeEqual(received, expected) ? 'ok' : 'bad';
}

/** What a test or a sender puts in X-Hub-Signature-256 for `raw`. */
export function githubSignature(raw: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}
