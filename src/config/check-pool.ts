/**
 * Checking many campaign files on every core: worker threads (./check-worker.ts) and this thread
 * itself, each reading, hashing, parsing and schema-checking the files it takes, in batches taken
 * from one queue so a slow batch never leaves a core idle. Results come back keyed by the file's
 * position, so the caller assembles them in file order: the same output as checking on one thread.
 *
 * This thread is one of the threads: on N cores it starts N - 1 workers and checks batches itself
 * between their messages. Waiting for the workers instead left one core's worth of work undone
 * while a worker started (~0.1-0.2 s: a thread, its modules), and every file a worker checks must
 * be decoded here again (a worker's result crosses as a serialized blob, ./cache-blob.ts).
 *
 * A worker costs a thread start and its own module loading, so the loader uses the pool only when
 * enough files need checking (POOL_THRESHOLD).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileStamp } from './file-stamp.js';
import type { StoredCheck } from './stored-check.js';
import { packageRoot } from './package-dir.js';

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

/** How many threads parsing may use: every core the process may run on (this thread included). */
export function poolSize(): number {
  return availableParallelism();
}

/** A result checked on this thread: the check itself, no blob to decode. */
export type HereResult = [number, Exclude<PoolResult[1], { kind: 'checked' }> | { kind: 'checked'; sha256: string; stamp: FileStamp; trusted: boolean; check: StoredCheck }];

/**
 * Checks `items` on `threads` threads: this one (with `checkHere`) and threads - 1 workers.
 * Returns the results in no particular order, and how many workers it started.
 */
export async function checkInPool(
  root: string,
  items: readonly PoolItem[],
  threads: number,
  checkHere: (item: PoolItem) => HereResult,
): Promise<{ results: (PoolResult | HereResult)[]; workers: number }> {
  const batches: PoolItem[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const results: (PoolResult | HereResult)[] = [];
  // No more workers than batches this thread leaves them (none for a single batch).
  const count = Math.max(0, Math.min(threads - 1, batches.length - 1));
  const workers = Array.from({ length: count }, () => new Worker(workerScript(), { workerData: { root } }));
  let next = 0;
  let failed: unknown;
  const fromWorkers = Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const feed = () => {
            if (next >= batches.length || failed !== undefined) {
              if (inFlight === 0) resolve();
              return;
            }
            const request: PoolRequest = { batch: next, items: batches[next++]! };
            inFlight++;
            worker.postMessage(request);
          };
          worker.on('message', (reply: PoolReply) => {
            inFlight--;
            results.push(...reply.results);
            feed();
          });
          // A worker that throws or dies is a bug, reported as one by main's top-level catch.
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (inFlight > 0 || next < batches.length || code !== 0) reject(new Error(`a loader worker exited early (code ${code})`));
          });
          // Two batches in hand: a worker that finishes one starts the next at once, instead of
          // idling until this thread, busy with a batch of its own, takes its reply and feeds it.
          feed();
          feed();
        }),
    ),
  ).catch((err: unknown) => {
    failed ??= err;
  });
  try {
    // This thread takes a batch whenever it is free; between two it yields, so the workers' replies
    // are taken (and they are fed) while it works.
    while (next < batches.length && failed === undefined) {
      for (const item of batches[next++]!) results.push(checkHere(item));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await fromWorkers;
    if (failed !== undefined) throw failed;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { results, workers: count };
}

/**
 * The compiled worker next to this module; when this module runs from TypeScript source (the test
 * runner), the built copy under dist/ (`npm test` builds first).
 */
function workerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  const sibling = path.join(path.dirname(here), 'check-worker.js');
  if (existsSync(sibling)) return pathToFileURL(sibling);
  return pathToFileURL(path.join(packageRoot(), 'dist', 'src', 'config', 'check-worker.js'));
}
