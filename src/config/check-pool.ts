/**
 * Checking many campaign files on several cores: a pool of worker threads (./check-worker.ts), each
 * reading, hashing, parsing and schema-checking the files it is handed, in batches taken from one
 * queue so a slow batch never leaves a core idle. Results come back keyed by the file's position,
 * so the caller assembles them in file order: the same output as checking on one thread.
 *
 * A worker costs a thread start and its own schema compilation (~0.45 s CPU), so the loader uses
 * the pool only when enough files need checking (POOL_THRESHOLD).
 *
 * The project index may offer the context of the per-resource rules for a root (offerRules) before
 * it checks the files: this thread then runs those rules on each file as its result comes back,
 * while the workers check the next ones, instead of idling until all are checked and running them
 * after. (On the workers they would cost more in all: each thread loads the template engine and
 * works out the zones' clock changes again.) What was found is kept by the file's blob
 * (rulesFound), with the context it was found in, for the index to take when that is still its
 * context.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedEnvironment } from './environment.js';
import type { FileStamp } from './file-stamp.js';
import { isStoredCheck, type StoredCheck } from './stored-check.js';
import { workerScript } from './worker-script.js';

/** Fewer files than this to check: one thread is faster than starting workers. */
export const POOL_THRESHOLD = 200;
/** Files per message: big enough to amortize messaging, small enough to balance the cores. */
const BATCH = 64;
/** Batches handed to each worker ahead of its replies (see checkInPool). */
const IN_FLIGHT = 3;

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
    /** `check`: the blob already decoded on this thread (to run the rules on), for the caller to take as is. */
    | { kind: 'checked'; sha256: string; stamp: FileStamp; trusted: boolean; blob: Uint8Array; check?: StoredCheck }
  ),
];

/** What the per-resource rules read besides the file; `context` and `partials` are the index's own (compared by identity). */
export interface PoolRules {
  /** The index's digest of campaignctl.yaml and the resolved environment. */
  context: string;
  environment: ResolvedEnvironment;
  partials: Record<string, string>;
  /** The rules' "now", ms since the epoch. */
  now: number;
  /**
   * The per-resource rules over one checked file (../project-index/file-findings.ts), loaded when
   * first needed: handed in by the index, which knows what the rules read.
   */
  findings: () => Promise<(root: string, file: string, sha256: string, check: StoredCheck, rules: PoolRules) => FileFindings>;
}

/** Per resource of a checked file, in the order of its resources: findings, until when they stand (null: while their inputs do), reads. */
export type FileFindings = [Diagnostic[], number | null, string[]][];

const offers = new Map<string, PoolRules>();
const found = new WeakMap<Uint8Array, { rules: PoolRules; found: FileFindings }>();

/** The rules' context for the next checks of `root` in the pool; undefined withdraws it. */
export function offerRules(root: string, rules: PoolRules | undefined): void {
  if (rules) offers.set(root, rules);
  else offers.delete(root);
}

/** What the workers found for the file checked into `blob`, and the context (as offered) they found it in. */
export function rulesFound(blob: Uint8Array | undefined): { rules: PoolRules; found: FileFindings } | undefined {
  return blob && found.get(blob);
}

export interface PoolReply {
  batch: number;
  results: PoolResult[];
}

/** The environment variable that sets how many threads checking may use (1: this thread alone, no workers). */
const THREADS_VARIABLE = 'CAMPAIGNCTL_THREADS';
const MAX_THREADS = 256;

/** CAMPAIGNCTL_THREADS as set: undefined when unset or empty; not ok unless a whole number from 1 to 256. */
export function threadsSetting(environ: Record<string, string | undefined>): { ok: true; threads: number | undefined } | { ok: false; value: string } {
  const value = environ[THREADS_VARIABLE]?.trim();
  if (!value) return { ok: true, threads: undefined };
  const threads = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  return threads >= 1 && threads <= MAX_THREADS ? { ok: true, threads } : { ok: false, value };
}

/**
 * How many threads checking may use: CAMPAIGNCTL_THREADS, else defaultThreads of the cores the
 * process may run on. (The CLI refuses a value it can not use before any command runs: src/main.ts.)
 */
export function poolSize(environ: Record<string, string | undefined> = process.env): number {
  const setting = threadsSetting(environ);
  return (setting.ok && setting.threads) || defaultThreads(availableParallelism());
}

/** The fewest cores on which checking starts worker threads unasked. */
export const POOL_MIN_CORES = 3;

/**
 * Threads to check on when CAMPAIGNCTL_THREADS is unset: one per core from POOL_MIN_CORES up, else
 * this thread alone. On two cores the workers share them with this thread, which runs the rules
 * and plans meanwhile: the pool then cost 0.5-1.2 s more CPU on a 10,000-file cold plan than one
 * thread (serializing each result, decoding it here, each worker's start) and was no faster,
 * 0.70-1.06 x F against 0.67-1.02 x F on the bench's three corpora (docs/performance.md). Not
 * measured on more cores.
 */
export function defaultThreads(cores: number): number {
  return cores >= POOL_MIN_CORES ? cores : 1;
}

interface Warm {
  worker: Worker;
  /** Why it ended before it was taken. */
  failed?: unknown;
}

const warming = new Map<string, Warm[]>();

/**
 * Starts `size` workers for `root` before the files to check are known (when many are new to the
 * caller): a worker's start (the thread, its modules) then overlaps the caller's reading of
 * campaignctl.yaml instead of following it. checkInPool takes them; coolPool ends any it did not.
 * `unref`: they do not keep the process alive until checkInPool takes them.
 */
export function warmPool(root: string, size: number, opts: { unref?: boolean } = {}): void {
  if (size <= 1 || warming.has(root)) return;
  const warm = Array.from({ length: size }, (): Warm => {
    const w: Warm = { worker: new Worker(workerScript(import.meta.url, 'check-worker.js'), { workerData: { root } }) };
    // Started ahead of the loader (../project-index/scan-ahead.ts): never what keeps the process alive until taken.
    if (opts.unref) w.worker.unref();
    // Until taken, a failure is held for checkInPool to report (and never thrown unheard).
    w.worker.once('error', (error) => void (w.failed ??= error));
    w.worker.once('exit', (code) => void (w.failed ??= new Error(`a loader worker exited early (code ${code})`)));
    return w;
  });
  warming.set(root, warm);
}

/** How many workers warmPool started for `root` wait to be taken. */
export function warmCount(root: string): number {
  return warming.get(root)?.length ?? 0;
}

/** Ends the workers warmPool started for `root` that no check took. */
export async function coolPool(root: string): Promise<void> {
  const left = warming.get(root) ?? [];
  warming.delete(root);
  await Promise.all(left.map((w) => w.worker.terminate()));
}

export async function checkInPool(root: string, items: readonly PoolItem[], size: number): Promise<PoolResult[]> {
  const batches: PoolItem[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const results: PoolResult[] = [];
  const wanted = Math.max(1, Math.min(size, batches.length));
  const warm = (warming.get(root) ?? []).splice(0, wanted);
  for (const w of warm) w.worker.ref();
  const workers = [...warm.map((w) => w.worker), ...Array.from({ length: wanted - warm.length }, () => new Worker(workerScript(import.meta.url, 'check-worker.js'), { workerData: { root } }))];
  const rules = offers.get(root);
  // Loaded while the workers start; each batch's rules run in turn, after the batch that came before.
  const kit = rules && Promise.all([rules.findings(), import('./cache-blob.js')]);
  let ruling: Promise<void> = Promise.resolve();
  let ruleError: { error: unknown } | undefined;
  const rule = (reply: PoolReply) => {
    ruling = ruling.then(async () => {
      if (!kit || ruleError) return;
      const [fileFindings, { fromBlob }] = await kit;
      const files = new Map(batches[reply.batch]!.map(([i, file]) => [i, file]));
      for (const [i, r] of reply.results) {
        if (r.kind !== 'checked') continue;
        const check = fromBlob<StoredCheck>(r.blob);
        // One that does not decode is reported by the caller (../config/project-files.ts).
        if (!isStoredCheck(check)) continue;
        found.set(r.blob, { rules: rules!, found: fileFindings(root, files.get(i)!, r.sha256, check, rules!) });
        // Decoded once: the caller takes the check as it is instead of decoding the blob again.
        r.check = check;
      }
    }).catch((error: unknown) => void (ruleError ??= { error }));
  };
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker, k) =>
          new Promise<void>((resolve, reject) => {
            const failed = warm[k]?.failed;
            if (failed) return reject(failed);
            let inFlight = 0;
            const feed = () => {
              if (next < batches.length) {
                inFlight++;
                const request: PoolRequest = { batch: next, items: batches[next++]! };
                worker.postMessage(request);
              } else if (inFlight === 0) resolve();
            };
            worker.on('message', (reply: PoolReply) => {
              inFlight--;
              results.push(...reply.results);
              feed();
              rule(reply);
            });
            // A worker that throws or dies is a bug, reported as one by main's top-level catch.
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (inFlight > 0 || next < batches.length || code !== 0) reject(new Error(`a loader worker exited early (code ${code})`));
            });
            // Batches in flight per worker: while this thread is busy (the rules of the batch before,
            // loading the rules' code, a collection), a worker that finishes one starts on the next
            // instead of idling until its reply is heard.
            for (let j = 0; j < IN_FLIGHT; j++) feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  await ruling;
  // A rule that throws is a bug, as on the main path (#runRules): reported the same way.
  if (ruleError) throw ruleError.error;
  return results;
}
