/**
 * The content of the JSON Schemas as one digest: the stamp the
 * build writes into the standalone validators (./quick-validators.ts) so that validators generated
 * from other schemas are never used.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function schemasDigest(schemasDir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(schemasDir).filter((f) => f.endsWith('.json')).sort()) {
    h.update(`schema ${name}\0`).update(readFileSync(path.join(schemasDir, name))).update('\0');
  }
  return h.digest('hex');
}
