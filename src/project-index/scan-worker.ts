/**
 * The worker thread of ./scan-ahead.ts: scans the project (../config/scan.ts) and sends the scan
 * back, its stamps transferred. A failure is sent as nothing found: the main thread then does the
 * work itself and meets the same error where it is reported.
 */
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { scanProject } from '../config/scan.js';
import type { ScanReply } from './scan-ahead.js';

const { root, indexFile } = workerData as { root: string; indexFile?: string };

// With no index file to compare them with, the stamps would go unused: every file is read (and
// stamped) as new, and the main thread waits for this list before it reads the first one.
const indexed = indexFile !== undefined && existsSync(indexFile);
// No top-level await: the CLI's bundle of this script is CommonJS (scripts/bundle-cli.mjs).
scanProject(root, { stat: indexed }).then(
  (scan) => post({ scan, indexed }, [scan.stamps.buffer as ArrayBuffer]),
  () => post({ scan: null, indexed }),
);

function post(reply: ScanReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(reply, transfer);
}
