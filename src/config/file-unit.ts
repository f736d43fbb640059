/**
 * One campaign file through the per-file pipeline, as the main thread and the worker threads both
 * run it: read, hash, and (unless the content is the one the project index already holds) parse and
 * schema-check, in the quick lane when it can (./quick-parse.ts). The schemas are compiled only when a file actually needs checking.
 * This module pulls in yaml and ajv: the loader imports it only when some file missed the cache.
 */
import { knownJsonExact, toBlob as blobOf } from './cache-blob.js';
import { checkFile } from './check-file.js';
import { checkConfigFile } from './config-file.js';
import type { FileStamp } from './file-stamp.js';
import { packageSchemasDir } from './package-dir.js';
import { quickCheck } from './quick-parse.js';
import { quickValidators } from './quick-validators.js';
import { readUnit, type ReadUnit } from './read-unit.js';
import { loadSchemas, type SchemaSet } from './schemas.js';
import { storeCheck, storeConfig, type StoredCheck, type StoredConfig } from './stored-check.js';

/** What reading gave (./read-unit.ts) when nothing was left to check, or the check of new content. */
export type UnitResult = Exclude<ReadUnit, { kind: 'read' }> | { kind: 'checked'; sha256: string; stamp: FileStamp; trusted: boolean; check: StoredCheck };

let schemas: SchemaSet | undefined;

/** The schemas, compiled on first use (once per thread). */
export function unitSchemas(): SchemaSet {
  schemas ??= loadSchemas();
  return schemas;
}

export function readAndCheck(root: string, file: string, expectedSha: string | null): UnitResult {
  const read = readUnit(root, file, expectedSha);
  return read.kind === 'read' ? checkRead(file, read) : read;
}

/** A file read (./read-unit.ts) whose content is new: parsed and checked. */
export function checkRead(file: string, read: Extract<ReadUnit, { kind: 'read' }>): UnitResult {
  const quick = quickCheck(file, read.text, quickValidators(packageSchemasDir()));
  const check = storeCheck(quick ?? checkFile(file, read.text, unitSchemas()));
  if (quick?.jsonExact) knownJsonExact(check);
  return { kind: 'checked', sha256: read.sha256, stamp: read.stamp, trusted: read.trusted, check };
}

export function checkConfigText(text: string): StoredConfig {
  return storeConfig(checkConfigFile(text, unitSchemas, quickValidators(packageSchemasDir())));
}

/** A result as worker threads send it back (./cache-blob.ts). */
export function toBlob(value: StoredCheck | StoredConfig): Uint8Array {
  return blobOf(value);
}
