/**
 * A project scan (../config/scan.ts) started on a worker thread ahead of need, taken by whoever
 * loads that project first. The CLI starts one as its process starts (src/cli/scan-ahead.ts), so
 * reading 10,000 directory entries and stat'ing 10,000 files run on another core while the main
 * thread loads its modules, then reads the project index file itself: a worker is ready to work
 * only ~100 ms after it is started, later than the main thread wants the index, and the scan
 * comes sooner when the worker does nothing else.
 *
 * Only ever a head start: the project index compares the scan's stamps with the ones it recorded
 * exactly as it would compare stamps it took itself. A scan taken for another root is never used;
 * when the worker can not start or fails, the loader scans on its own thread. The worker is
 * unref'd: a scan nobody takes never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { POOL_THRESHOLD, poolSize, warmPool } from '../config/check-pool.js';
import type { Scan } from '../config/scan.js';
import { workerScript } from '../config/worker-script.js';

/** The worker's one message (scan-worker.ts): the scan, and whether the index file was there (its stamps taken only then). */
export type ScanReply = { scan: Scan | null; indexed: boolean };

interface Pending {
  root: string;
  scan: Promise<Scan | null> | undefined;
}

let pending: Pending | undefined;

/** Starts scanning `root` (an absolute project root) on a worker thread; `indexFile`: the index the load will read, if any. */
export function startScan(root: string, indexFile?: string): void {
  let worker: Worker;
  try {
    worker = new Worker(workerScript(import.meta.url, 'scan-worker.js'), { workerData: { root, indexFile } });
  } catch {
    return;
  }
  worker.unref();
  let gotScan: (v: Scan | null) => void = () => {};
  const scan = new Promise<Scan | null>((resolve) => (gotScan = resolve));
  worker.on('message', (m: ScanReply) => {
    // No index to read (the first run, or persistence off): every file is new and will be checked.
    // With enough of them for the checking pool, its workers start now, while this thread still
    // loads the command's modules, instead of once the loader has looked at the scan.
    if (m.scan && !m.indexed && m.scan.files.length > POOL_THRESHOLD) warmPool(root, poolSize(), { unref: true });
    gotScan(m.scan);
  });
  // A worker that fails or ends early gives nothing more (a promise already settled stays so).
  const none = () => gotScan(null);
  worker.once('error', none);
  worker.once('exit', none);
  pending = { root, scan };
}

/** The scan started for `root`, once (a second load scans afresh); undefined when none was, or it failed. */
export async function takeScan(root: string): Promise<Scan | undefined> {
  const p = pending;
  if (p?.root !== root || !p.scan) return undefined;
  const { scan } = p;
  p.scan = undefined;
  return (await scan) ?? undefined;
}
