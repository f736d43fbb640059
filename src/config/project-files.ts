/**
 * Every campaign file of a project through the per-file pipeline, as cheaply as the run allows:
 *   1. a file whose stat stamp is the one the cache trusts is taken from the cache unread;
 *   2. the others are read and hashed; content the cache holds for that path is taken from it;
 *   3. the rest is parsed and schema-checked: on worker threads (every core) when there are more
 *      than POOL_THRESHOLD of them, else on this thread. Only then are yaml, ajv and the schemas
 *      loaded at all.
 * The outcome list is in the order of `files`, whatever ran where, so loading gives the same
 * resources and diagnostics in the same order as a plain one-thread check.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkInPool, POOL_THRESHOLD, poolSize, type PoolItem, type PoolResult } from './check-pool.js';
import { sameStamp, statStamp } from './file-stamp.js';
import { fromCheckBlob } from './check-blob.js';
import type { LoadCache } from './load-cache.js';
import { isStoredCheck, type StoredCheck } from './stored-check.js';
import path from 'node:path';

export type FileOutcome = { file: string; problem: Diagnostic } | { file: string; sha256: string; check: StoredCheck };

export interface CheckFilesOptions {
  cache?: LoadCache;
  /** Threads to check on; 1 never starts workers. Default: every core (poolSize()). */
  threads?: number;
  /** Use workers only when more files than this need checking. */
  poolThreshold?: number;
}

export interface CheckFilesReport {
  outcomes: FileOutcome[];
  /** Taken from the cache unread (stamp) or after hashing (content). */
  fromCache: number;
  /** Read (and hashed) in this run; the others were taken unread on their stat stamp. */
  read: number;
  /** Parsed and schema-checked in this run. */
  checked: number;
  /** Worker threads used (0: checked on this thread). */
  workers: number;
}

export async function checkProjectFiles(root: string, files: readonly string[], opts: CheckFilesOptions = {}): Promise<CheckFilesReport> {
  const cache = opts.cache;
  const outcomes = new Array<FileOutcome>(files.length);
  const report: CheckFilesReport = { outcomes, fromCache: 0, read: 0, checked: 0, workers: 0 };
  const pending: PoolItem[] = [];
  files.forEach((file, i) => {
    const entry = cache?.get(file);
    if (entry?.trusted && unchangedOnDisk(root, file, entry.stamp)) {
      const check = fromCheckBlob(entry.blob);
      if (isStoredCheck(check)) {
        outcomes[i] = { file, sha256: entry.sha256, check };
        report.fromCache++;
        return;
      }
    }
    pending.push([i, file, entry?.sha256 ?? null]);
  });
  if (pending.length === 0) return report;
  report.read = pending.length;

  const threads = opts.threads ?? poolSize();
  const pooled = threads > 1 && pending.length > (opts.poolThreshold ?? POOL_THRESHOLD);
  const results = pooled ? await checkInPool(root, pending, threads) : await checkHere(root, pending, cache !== undefined);
  if (pooled) report.workers = Math.min(threads, Math.ceil(pending.length / 64));
  const retry: PoolItem[] = [];
  for (const [i, r] of results) {
    const file = files[i]!;
    if (r.kind === 'problem') {
      outcomes[i] = { file, problem: r.problem };
    } else if (r.kind === 'same') {
      const entry = cache?.get(file);
      const check = entry && fromCheckBlob(entry.blob);
      if (!isStoredCheck(check)) {
        retry.push([i, file, null]);
        continue;
      }
      outcomes[i] = { file, sha256: r.sha256, check };
      cache!.restamp(file, r.stamp, r.trusted);
      report.fromCache++;
    } else {
      const check = 'check' in r ? (r.check as StoredCheck) : fromCheckBlob(r.blob)!;
      outcomes[i] = { file, sha256: r.sha256, check };
      if (cache) cache.set(file, { stamp: r.stamp, trusted: r.trusted, sha256: r.sha256, blob: r.blob });
      report.checked++;
    }
  }
  // A cached result that no longer deserializes: check the file again, here.
  for (const [i, r] of retry.length ? await checkHere(root, retry, cache !== undefined) : []) {
    const file = files[i]!;
    if (r.kind === 'problem') outcomes[i] = { file, problem: r.problem };
    else if (r.kind === 'checked') {
      outcomes[i] = { file, sha256: r.sha256, check: (r as { check: StoredCheck }).check };
      cache?.set(file, { stamp: r.stamp, trusted: r.trusted, sha256: r.sha256, blob: r.blob });
      report.checked++;
    }
  }
  return report;
}

type HereResult = [number, PoolResult[1] & { check?: StoredCheck }];

/** The pool's work on this thread; the checking code (yaml, ajv) is imported only now. */
async function checkHere(root: string, items: readonly PoolItem[], wantBlobs: boolean): Promise<HereResult[]> {
  const unit = await import('./file-unit.js');
  return items.map(([i, file, expectedSha]): HereResult => {
    const r = unit.readAndCheck(root, file, expectedSha);
    if (r.kind !== 'checked') return [i, r];
    const blob = wantBlobs ? unit.toBlob(r.check) : new Uint8Array(0);
    return [i, { kind: 'checked', sha256: r.sha256, stamp: r.stamp, trusted: r.trusted, blob, check: r.check }];
  });
}

function unchangedOnDisk(root: string, file: string, recorded: Parameters<typeof sameStamp>[0]): boolean {
  // `file` is a clean relative path from discover(): joined without path.join's normalizing, which
  // costs as much as the stat itself on 10,000 files.
  // Unreadable: read (and reported) the long way.
  const stamp = statStamp(root + path.sep + file);
  return stamp !== undefined && sameStamp(recorded, stamp);
}
