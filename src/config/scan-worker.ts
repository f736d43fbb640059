/**
 * The worker thread of ./scan-ahead.ts: scans one project (./scan.ts) and sends the scan back, its
 * stamps transferred. A failure is sent as a message too: the main thread then scans for itself
 * and meets the same error where a scan's errors are reported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanProject } from './scan.js';

const { root } = workerData as { root: string };

try {
  const scan = await scanProject(root);
  parentPort!.postMessage({ scan }, [scan.stamps.buffer as ArrayBuffer]);
} catch {
  parentPort!.postMessage({ scan: null });
}
