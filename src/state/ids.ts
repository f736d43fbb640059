/**
 * Short random ids for journal markers and lock holders. The marker is embedded in CleverTap
 * campaign names and found again by read-back, so it must be short, unambiguous to read and made
 * of characters no campaign title mangles: lower-case Crockford base32 (no i, l, o, u).
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const MARKER_LENGTH = 10;
export const MARKER_PATTERN = /^[0-9a-hjkmnp-tv-z]{10}$/;

/** 10 characters, 50 random bits. */
export function newMarker(): string {
  const bytes = randomBytes(MARKER_LENGTH);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}
