/**
 * Results derived per resource, kept across runs in one JSON file under .campaignctl/cache/, so a
 * run where little changed derives only what changed. The file holds for one context (a digest of
 * everything the results depend on besides the resource itself: campaignctl's code, the
 * environment's vars and zone, the partials); entries are keyed by the caller (content hash,
 * document, address). Another context, a damaged file or an unwritable folder: the memo starts
 * empty, and is rewritten. Only entries a run used are written back, so entries of edited or
 * deleted files do not pile up.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from './atomic-write.js';
import { cacheKey, codeDigest } from './cache-key.js';
import type { ResolvedEnvironment } from './environment.js';
import { CACHE_DIR } from './load-cache.js';
import { packageSchemasDir } from './package-dir.js';

export class Memo<T> {
  readonly #file: string;
  readonly #context: string;
  readonly #entries: Map<string, T>;
  readonly #used = new Set<string>();
  #dirty = false;

  private constructor(file: string, context: string, entries: Map<string, T>) {
    this.#file = file;
    this.#context = context;
    this.#entries = entries;
  }

  static open<T>(file: string, context: string): Memo<T> {
    const entries = new Map<string, T>();
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { context?: unknown; entries?: unknown };
      if (stored.context === context && Array.isArray(stored.entries)) {
        for (const e of stored.entries as unknown[]) if (Array.isArray(e) && typeof e[0] === 'string') entries.set(e[0], e[1] as T);
      }
    } catch {
      // absent or damaged: start empty
    }
    return new Memo(file, context, entries);
  }

  get(key: string): T | undefined {
    const v = this.#entries.get(key);
    if (v !== undefined) this.#used.add(key);
    return v;
  }

  set(key: string, value: T): void {
    this.#entries.set(key, value);
    this.#used.add(key);
    this.#dirty = true;
  }

  /** Writes the used entries when anything changed; false when the folder can not be written. */
  save(): boolean {
    if (!this.#dirty && this.#used.size === this.#entries.size) return true;
    const entries = [...this.#used].map((k) => [k, this.#entries.get(k)]);
    if (!writeAtomically(this.#file, JSON.stringify({ context: this.#context, entries }))) return false;
    this.#dirty = false;
    return true;
  }
}

/**
 * The key of one resource's entry: its file's content (the first 128 bits of its sha256) and its
 * document in the file, which together decide everything else, its address included. Short keys:
 * a warm run looks up 10,000 of them twice.
 */
export function memoKey(fileSha: string, documentIndex: number): string {
  return `${fileSha.slice(0, 32)}:${documentIndex}`;
}

/** `.campaignctl/cache/<name>-<environment>.json` of a project. */
export function memoFile(root: string, name: string, environmentName: string): string {
  return path.join(root, CACHE_DIR, `${name}-${environmentName.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
}

/**
 * The context of a memo: the load cache's key (./cache-key.ts: campaignctl, schemas, libraries,
 * Node), the code in `codeDirs` of src/ that derives the results, and what a resource reads from the
 * environment: vars, account time zone, quiet hours, partials. (Plain JSON: a reordered vars block only costs a
 * re-derive.)
 */
export function memoContext(environment: Pick<ResolvedEnvironment, 'vars' | 'accountTimezone' | 'quietHours'>, partials: Record<string, string>, codeDirs: readonly string[]): string {
  return createHash('sha256')
    .update(cacheKey(packageSchemasDir()))
    .update('\0')
    .update(codeDigest(codeDirs))
    .update('\0')
    .update(JSON.stringify({ vars: environment.vars, accountTimezone: environment.accountTimezone, quietHours: environment.quietHours ?? null, partials: Object.entries(partials).sort() }))
    .digest('hex');
}
