/**
 * One campaign file through the per-file pipeline, as the main thread and the worker threads both
 * run it: read, hash, and (unless the content is the one the project index already holds) parse and
 * schema-check, in the quick lane when it can (./quick-parse.ts). The schemas are compiled only when a file actually needs checking.
 * This module pulls in yaml and ajv: the loader imports it only when some file missed the cache.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { toBlob as blobOf } from './cache-blob.js';
import { checkFile } from './check-file.js';
import { checkConfigFile } from './config-file.js';
import type { FileStamp } from './file-stamp.js';
import { isTrustable } from './file-stamp.js';
import { packageSchemasDir } from './package-dir.js';
import { quickCheck } from './quick-parse.js';
import { quickValidators } from './quick-validators.js';
import { readSource } from './read-source.js';
import { loadSchemas, type SchemaSet } from './schemas.js';
import { sha256, storeCheck, storeConfig, type StoredCheck, type StoredConfig } from './stored-check.js';

export type UnitResult =
  | { kind: 'problem'; problem: Diagnostic }
  /** The content hashes to `expectedSha`: the cached result stands (under a new stamp). */
  | { kind: 'same'; sha256: string; stamp: FileStamp; trusted: boolean }
  | { kind: 'checked'; sha256: string; stamp: FileStamp; trusted: boolean; check: StoredCheck };

let schemas: SchemaSet | undefined;

/** The schemas, compiled on first use (once per thread). */
export function unitSchemas(): SchemaSet {
  schemas ??= loadSchemas();
  return schemas;
}

export function readAndCheck(root: string, file: string, expectedSha: string | null): UnitResult {
  const read = readSource(root, file);
  if ('problem' in read) return { kind: 'problem', problem: read.problem };
  const hash = sha256(read.text);
  const trusted = isTrustable(read.stamp, read.readAt);
  if (hash === expectedSha) return { kind: 'same', sha256: hash, stamp: read.stamp, trusted };
  const check = storeCheck(quickCheck(file, read.text, quickValidators(packageSchemasDir())) ?? checkFile(file, read.text, unitSchemas()));
  return { kind: 'checked', sha256: hash, stamp: read.stamp, trusted, check };
}

export function checkConfigText(text: string): StoredConfig {
  return storeConfig(checkConfigFile(text, unitSchemas, quickValidators(packageSchemasDir())));
}

/** A result as worker threads send it back (./cache-blob.ts). */
export function toBlob(value: StoredCheck | StoredConfig): Uint8Array {
  return blobOf(value);
}
