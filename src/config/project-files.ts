/**
 * Campaign files through the per-file pipeline, as cheaply as the run allows:
 *   1. a file whose stat stamp is the one `known` trusts is taken as unchanged, unread;
 *   2. the others are read and hashed; content with the sha256 `known` holds is unchanged too;
 *   3. the rest is parsed and schema-checked: on worker threads (poolSize()) when there are more
 *      than POOL_THRESHOLD of them, else on this thread. Only then are yaml, ajv and the schemas
 *      loaded at all.
 * The outcome list is in the order of `files`, whatever ran where, so loading gives the same
 * resources and diagnostics in the same order as a plain one-thread check.
 */
import { inProject } from './discover.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { fromBlob } from './cache-blob.js';
import { checkInPool, POOL_THRESHOLD, poolSize, type PoolItem, type PoolResult } from './check-pool.js';
import { sameStamp, statStamp, type FileStamp } from './file-stamp.js';
import { readUnit } from './read-unit.js';
import { isStoredCheck, type StoredCheck } from './stored-check.js';

/** What the caller already holds of a file: the content hash and the stamp it was read under. */
export interface KnownFile {
  sha256: string;
  stamp: FileStamp;
  /** The stamp may stand for the content (./file-stamp.ts). */
  trusted: boolean;
}

export type FileOutcome = { file: string; problem: Diagnostic } | { file: string; sha256: string; check: StoredCheck };

export interface CheckFilesOptions {
  known?: (file: string) => KnownFile | undefined;
  /** Threads to check on; 1 never starts workers. Default: poolSize(). */
  threads?: number;
  /** Use workers only when more files than this need checking. */
  poolThreshold?: number;
  /**
   * The stamp of the file at a position of `files`, taken by a scan (./scan.ts); undefined where
   * it could not be taken. Without it, each file `known` trusts is stat'ed here.
   */
  scanned?: (position: number) => FileStamp | undefined;
}

export interface CheckFilesReport {
  /** By position in `files`; none (a hole) where the content is the one `known` holds. */
  outcomes: FileOutcome[];
  /** The stamp each readable file was read (or taken) under, and whether it may stand for the content next time; by position. */
  stamps: (Pick<KnownFile, 'stamp' | 'trusted'> | undefined)[];
  /** The serialized check (../config/cache-blob.ts) where a worker thread sent one: kept as is, not serialized again. */
  blobs: (Uint8Array | undefined)[];
  /** Unchanged from what `known` holds: taken unread (stamp) or after hashing (content). */
  fromCache: number;
  /** Read (and hashed) in this run; the others were taken unread on their stat stamp. */
  read: number;
  /** Parsed and schema-checked in this run. */
  checked: number;
  /** Worker threads used (0: checked on this thread). */
  workers: number;
}

export async function checkProjectFiles(root: string, files: readonly string[], opts: CheckFilesOptions = {}): Promise<CheckFilesReport> {
  const outcomes = new Array<FileOutcome>(files.length);
  const stamps = new Array<CheckFilesReport['stamps'][number]>(files.length);
  const report: CheckFilesReport = { outcomes, stamps, blobs: new Array(files.length), fromCache: 0, read: 0, checked: 0, workers: 0 };
  const pending: PoolItem[] = [];
  files.forEach((file, i) => {
    const known = opts.known?.(file);
    if (known?.trusted && unchangedOnDisk(root, file, i, known.stamp, opts.scanned)) {
      stamps[i] = known;
      report.fromCache++;
      return;
    }
    pending.push([i, file, known?.sha256 ?? null]);
  });
  if (pending.length === 0) return report;
  report.read = pending.length;

  const threads = opts.threads ?? poolSize();
  const pooled = threads > 1 && pending.length > (opts.poolThreshold ?? POOL_THRESHOLD);
  const results = pooled ? await checkInPool(root, pending, threads) : await checkHere(root, pending);
  if (pooled) report.workers = Math.min(threads, Math.ceil(pending.length / 64));
  for (const [i, r] of results) {
    const file = files[i]!;
    if (r.kind === 'problem') {
      outcomes[i] = { file, problem: r.problem };
    } else if (r.kind === 'same') {
      stamps[i] = { stamp: r.stamp, trusted: r.trusted };
      report.fromCache++;
    } else {
      const check = 'check' in r ? (r.check as StoredCheck) : fromBlob<StoredCheck>(r.blob);
      // A worker's result that does not decode is a bug, not a file problem.
      if (!isStoredCheck(check)) throw new Error(`the check of ${file} came back damaged from a worker thread`);
      outcomes[i] = { file, sha256: r.sha256, check };
      stamps[i] = { stamp: r.stamp, trusted: r.trusted };
      if ('blob' in r) report.blobs[i] = r.blob;
      report.checked++;
    }
  }
  return report;
}

type HereResult = [number, PoolResult[1] | { kind: 'checked'; sha256: string; stamp: FileStamp; trusted: boolean; check: StoredCheck }];

/**
 * The pool's work on this thread. The checking code (yaml, ajv) is imported only for a file whose
 * content is new: re-reading files whose content the index holds (a stamp not yet trusted) needs
 * only a hash.
 */
async function checkHere(root: string, items: readonly PoolItem[]): Promise<HereResult[]> {
  const read = items.map(([i, file, expectedSha]) => [i, file, readUnit(root, file, expectedSha)] as const);
  const unit = read.some(([, , r]) => r.kind === 'read') ? await import('./file-unit.js') : undefined;
  return read.map(([i, file, r]): HereResult => [i, r.kind === 'read' ? unit!.checkRead(file, r) : r]);
}

function unchangedOnDisk(root: string, file: string, position: number, recorded: FileStamp, scanned: CheckFilesOptions['scanned']): boolean {
  // Unreadable: read (and reported) the long way.
  const stamp = scanned ? scanned(position) : statStamp(inProject(root, file));
  return stamp !== undefined && sameStamp(recorded, stamp);
}
