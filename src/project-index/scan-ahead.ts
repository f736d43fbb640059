/**
 * A project scan (../config/scan.ts) started on a worker thread ahead of need, and the project
 * index file's bytes read with it (./persist.ts readIndexBytes), both taken by whoever loads that
 * project first. The CLI starts one as its process starts (src/cli/scan-ahead.ts), so reading
 * 10,000 directory entries, stat'ing 10,000 files and reading and checksumming a 12 MB index run on
 * another core while the main thread loads its modules.
 *
 * Only ever a head start: the project index compares the scan's stamps with the ones it recorded
 * exactly as it would compare stamps it took itself, and the index bytes pass the same checks as
 * bytes it read itself. A scan taken for another root, or bytes of another file, are never used;
 * when the worker can not start or fails, the loader reads and scans on its own thread. The
 * worker is unref'd: a scan nobody takes never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { POOL_THRESHOLD, poolSize, warmPool } from '../config/check-pool.js';
import type { Scan } from '../config/scan.js';
import { workerScript } from '../config/worker-script.js';
import type { IndexBytes } from './index-bytes.js';

/** One of the worker's two messages (scan-worker.ts): the index file's bytes first, then the scan. */
export type ScanReply = { index: IndexBytes | null } | { scan: Scan | null };

interface Pending {
  root: string;
  indexFile: string | undefined;
  index: Promise<IndexBytes | null> | undefined;
  scan: Promise<Scan | null> | undefined;
}

let pending: Pending | undefined;

/** Starts scanning `root` (an absolute project root), and reading `indexFile` when given, on a worker thread. */
export function startScan(root: string, indexFile?: string): void {
  let worker: Worker;
  try {
    worker = new Worker(workerScript(import.meta.url, 'scan-worker.js'), { workerData: { root, indexFile } });
  } catch {
    return;
  }
  worker.unref();
  let gotIndex: (v: IndexBytes | null) => void = () => {};
  let gotScan: (v: Scan | null) => void = () => {};
  const index = new Promise<IndexBytes | null>((resolve) => (gotIndex = resolve));
  const scan = new Promise<Scan | null>((resolve) => (gotScan = resolve));
  let indexFound = false;
  worker.on('message', (m: ScanReply) => {
    if ('index' in m) {
      indexFound = m.index !== null;
      return gotIndex(m.index);
    }
    // No index to read (the first run, or persistence off): every file is new and will be checked.
    // With enough of them for the checking pool, its workers start now, while this thread still
    // loads the command's modules, instead of once the loader has looked at the scan.
    if (m.scan && !indexFound && m.scan.files.length > POOL_THRESHOLD) warmPool(root, poolSize(), { unref: true });
    gotScan(m.scan);
  });
  // A worker that fails or ends early gives nothing more (a promise already settled stays so).
  const none = () => {
    gotIndex(null);
    gotScan(null);
  };
  worker.once('error', none);
  worker.once('exit', none);
  pending = { root, indexFile, index, scan };
}

/** The scan started for `root`, once (a second load scans afresh); undefined when none was, or it failed. */
export async function takeScan(root: string): Promise<Scan | undefined> {
  const p = pending;
  if (p?.root !== root || !p.scan) return undefined;
  const { scan } = p;
  p.scan = undefined;
  return (await scan) ?? undefined;
}

/** The bytes of the index file `file` read ahead, once; undefined when none were asked for, or could be read. */
export async function takeIndexBytes(root: string, file: string): Promise<IndexBytes | undefined> {
  const p = pending;
  if (p?.root !== root || p.indexFile !== file || !p.index) return undefined;
  const { index } = p;
  p.index = undefined;
  return (await index) ?? undefined;
}
