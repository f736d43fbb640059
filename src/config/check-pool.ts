/**
 * Checking many campaign files on every core: a pool of worker threads (./check-worker.ts), each
 * reading, hashing, parsing and schema-checking the files it is handed, in batches taken from one
 * queue so a slow batch never leaves a core idle. Results come back keyed by the file's position,
 * so the caller assembles them in file order: the same output as checking on one thread.
 *
 * A worker costs a thread start and its own schema compilation (~0.45 s CPU), so the loader uses
 * the pool only when enough files need checking (POOL_THRESHOLD).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileStamp } from './file-stamp.js';
import { workerScript } from './worker-script.js';

/** Fewer files than this to check: one thread is faster than starting workers. */
export const POOL_THRESHOLD = 200;
/** Files per message: big enough to amortize messaging, small enough to balance the cores. */
const BATCH = 64;

/** [position in the caller's list, project-relative path, sha256 the cache holds for it or null] */
export type PoolItem = [number, string, string | null];

export interface PoolRequest {
  batch: number;
  items: PoolItem[];
}

export type PoolResult = [
  number,
  (
    | { kind: 'problem'; problem: Diagnostic }
    | { kind: 'same'; sha256: string; stamp: FileStamp; trusted: boolean }
    | { kind: 'checked'; sha256: string; stamp: FileStamp; trusted: boolean; blob: Uint8Array }
  ),
];

export interface PoolReply {
  batch: number;
  results: PoolResult[];
}

/** How many threads parsing may use: every core the process may run on. */
export function poolSize(): number {
  return availableParallelism();
}

export async function checkInPool(root: string, items: readonly PoolItem[], size: number): Promise<PoolResult[]> {
  const batches: PoolItem[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const results: PoolResult[] = [];
  const workers = Array.from({ length: Math.max(1, Math.min(size, batches.length)) }, () => new Worker(workerScript(import.meta.url, 'check-worker.js'), { workerData: { root } }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= batches.length) return resolve();
              const request: PoolRequest = { batch: next, items: batches[next++]! };
              worker.postMessage(request);
            };
            worker.on('message', (reply: PoolReply) => {
              results.push(...reply.results);
              feed();
            });
            // A worker that throws or dies is a bug, reported as one by main's top-level catch.
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (next < batches.length || code !== 0) reject(new Error(`a loader worker exited early (code ${code})`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
