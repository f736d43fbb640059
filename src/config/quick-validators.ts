/**
 * Yes-or-no schema validation for the quick lane (./quick-parse.ts): the standalone validators the
 * build generated from the schemas (scripts/gen-validators.mjs), so no schema is compiled; when they
 * are missing (running from source) or were made from other schemas, the schemas compiled as usual.
 * A value they reject goes to the full lane, whose compiled schemas explain why.
 */
import { createRequire } from 'node:module';
import type { Kind } from '../model/resource.js';
import { loadSchemas } from './schemas.js';
import { schemasDigest } from './schemas-digest.js';

export type IsValid = (which: Kind | 'config', value: unknown) => boolean;

// Through ../config: the same file from src/config, dist/src/config and the CLI's bundle, dist/src/bin.
const GENERATED = '../config/schema-validators.cjs';

type Generated = Record<Kind | 'config', (value: unknown) => boolean> & { schemasDigest: string };

const byDir = new Map<string, IsValid>();

export function quickValidators(schemasDir: string): IsValid {
  let isValid = byDir.get(schemasDir);
  if (!isValid) {
    const generated = loadGenerated(schemasDir);
    isValid = generated ? (which, value) => generated[which](value) : (which, value) => loadSchemas(schemasDir).validator(which)(value) === true;
    byDir.set(schemasDir, isValid);
  }
  return isValid;
}

function loadGenerated(schemasDir: string): Generated | undefined {
  let mod: Generated;
  try {
    mod = createRequire(import.meta.url)(GENERATED) as Generated;
  } catch {
    return undefined; // not built: running from source
  }
  return mod.schemasDigest === schemasDigest(schemasDir) ? mod : undefined;
}
