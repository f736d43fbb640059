/**
 * A project scan (./scan.ts) started on a worker thread ahead of need, and taken by whoever loads
 * that project first. The CLI starts one as its process starts (src/main.ts), so reading 10,000
 * directory entries and stat'ing 10,000 files runs on another core while the main thread loads
 * its modules, and a no-change `plan` finds the scan done when it gets to the files.
 *
 * A scan is only ever a head start: the project index compares its stamps with the ones it
 * recorded exactly as it would compare stamps it took itself, a scan taken for another root is
 * never used, and when the worker can not start or fails, the loader scans on its own thread.
 * The worker is unref'd: a scan nobody takes never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { Scan } from './scan.js';
import { workerScript } from './worker-script.js';

let pending: { root: string; scan: Promise<Scan | null> } | undefined;

/** Starts scanning `root` (an absolute project root) on a worker thread. */
export function startScan(root: string): void {
  let worker: Worker;
  try {
    worker = new Worker(workerScript(import.meta.url, 'scan-worker.js'), { workerData: { root } });
  } catch {
    return;
  }
  worker.unref();
  const scan = new Promise<Scan | null>((resolve) => {
    worker.once('message', (m: { scan: Scan | null }) => resolve(m.scan));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  pending = { root, scan };
}

/** The scan started for `root`, once (a second load scans afresh); undefined when none was, or it failed. */
export async function takeScan(root: string): Promise<Scan | undefined> {
  if (pending?.root !== root) return undefined;
  const { scan } = pending;
  pending = undefined;
  return (await scan) ?? undefined;
}
