/**
 * The per-file result as the project index keeps it and worker threads send it: checkFile's output with
 * the positions encoded (./positions-codec.ts). Plain structured-clone data, stored exactly
 * (./cache-blob.ts: JSON, or v8 serialization for values JSON would change such as Infinity or -0).
 */
import { hash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import type { CheckedFile } from './check-file.js';
import type { CheckedConfig } from './config-file.js';
import type { ProjectConfig } from './config-types.js';
import { encodePositions } from './positions-codec.js';

export interface StoredCheck {
  resources: Resource[];
  diagnostics: Diagnostic[];
  /** [document index, encoded PositionIndex] */
  positions: [number, string][];
}

export interface StoredConfig {
  config: ProjectConfig;
  valid: boolean;
  /** Encoded positions; null when the quick lane read the file (see configPositions in ./locator.ts). */
  positions: string | null;
  diagnostics: Diagnostic[];
}

export function storeCheck(checked: CheckedFile): StoredCheck {
  return {
    resources: checked.resources,
    diagnostics: checked.diagnostics,
    positions: [...checked.positions].map(([index, p]) => [index, encodePositions(p)]),
  };
}

export function storeConfig(checked: CheckedConfig): StoredConfig {
  return { config: checked.config, valid: checked.valid, positions: checked.positions ? encodePositions(checked.positions) : null, diagnostics: checked.diagnostics };
}

/** Hex sha256 of UTF-8 text (crypto.hash: one call, no Hash object; every file of a cold load goes through it). */
export function sha256(text: string): string {
  return hash('sha256', text);
}

export function isStoredCheck(v: unknown): v is StoredCheck {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return Array.isArray(c.resources) && Array.isArray(c.diagnostics) && Array.isArray(c.positions);
}
