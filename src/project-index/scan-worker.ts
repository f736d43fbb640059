/**
 * The worker thread of ./scan-ahead.ts: reads the project's index file when asked, then scans the
 * project (../config/scan.ts), and sends each back as soon as it has it (the index first: the main
 * thread parses it before it needs the scan), buffers transferred. A failure is sent as nothing
 * found: the main thread then does the work itself and meets the same error where it is reported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanProject } from '../config/scan.js';
import { readIndexBytes } from './index-bytes.js';
import type { ScanReply } from './scan-ahead.js';

const { root, indexFile } = workerData as { root: string; indexFile?: string };

const index = indexFile === undefined ? undefined : readIndexBytes(indexFile);
if (index) {
  // Transferred only when the bytes own their buffer (a file read whole does); else copied.
  const own = index.bytes.byteOffset === 0 && index.bytes.byteLength === index.bytes.buffer.byteLength;
  const bytes = own ? index.bytes : new Uint8Array(index.bytes);
  post({ index: { ...index, bytes } }, [bytes.buffer as ArrayBuffer]);
} else {
  post({ index: null });
}
try {
  // With no index to compare them with, the stamps would go unused: every file is read (and
  // stamped) as new. The main thread waits for this list before it reads the first file.
  const scan = await scanProject(root, { stat: index !== undefined });
  post({ scan }, [scan.stamps.buffer as ArrayBuffer]);
} catch {
  post({ scan: null });
}

function post(reply: ScanReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(reply, transfer);
}
