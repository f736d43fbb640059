/**
 * Request fields the contract does not list (src/clevertap/unverified.ts LISTED_FIELDS): every
 * request marks them in the log; a strict emulator refuses them, since CleverTap might.
 */
import { unlistedFieldRefusal, unlistedFields } from '../clevertap/request-rules.js';
import type { RequestRefusal } from '../clevertap/request-rules.js';
import { LISTED_FIELDS } from '../clevertap/unverified.js';

/** The environment variable that makes every emulator strict unless told otherwise. */
export const STRICT_ENV = 'CAMPAIGNCTL_SANDBOX_STRICT';

export function strictByDefault(environ: Record<string, string | undefined> = process.env): boolean {
  return environ[STRICT_ENV] === '1';
}

export function unlistedIn(path: string, body: Record<string, unknown>): string[] {
  const listed = LISTED_FIELDS[path];
  return listed ? unlistedFields(body, listed.fields) : [];
}

export function unlistedRefusal(path: string, unlisted: readonly string[]): RequestRefusal | null {
  const listed = LISTED_FIELDS[path];
  return listed ? unlistedFieldRefusal(path, unlisted, listed.section) : null;
}
