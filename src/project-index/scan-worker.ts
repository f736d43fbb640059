/**
 * The worker thread of ./scan-ahead.ts: scans one project (../config/scan.ts), reads its index
 * file when asked, and sends both back, their buffers transferred. A failure is sent as nothing
 * found: the main thread then does the work itself and meets the same error where it is reported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanProject } from '../config/scan.js';
import { readIndexBytes } from './persist.js';
import type { ScanReply } from './scan-ahead.js';

const { root, indexFile } = workerData as { root: string; indexFile?: string };

const reply: ScanReply = { scan: null, index: null };
const transfer: ArrayBuffer[] = [];
try {
  reply.scan = await scanProject(root);
  transfer.push(reply.scan.stamps.buffer as ArrayBuffer);
} catch {
  reply.scan = null;
}
const index = indexFile === undefined ? undefined : readIndexBytes(indexFile);
if (index) {
  // Transferred only when the bytes own their buffer (a file read whole does); else copied.
  const own = index.bytes.byteOffset === 0 && index.bytes.byteLength === index.bytes.buffer.byteLength;
  reply.index = { ...index, bytes: own ? index.bytes : new Uint8Array(index.bytes) };
  transfer.push(reply.index.bytes.buffer as ArrayBuffer);
}
parentPort!.postMessage(reply, transfer);
