/**
 * A loader worker thread: reads, hashes and checks the campaign files it is sent, with its own
 * compiled schemas (compiled once, on the first file that needs them), and sends each result back
 * as the cache's blob (transferred, not copied). See ./check-pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readAndCheck, toBlob } from './file-unit.js';
import type { PoolReply, PoolRequest, PoolResult } from './check-pool.js';

const { root } = workerData as { root: string };

parentPort!.on('message', handle);

function handle(request: PoolRequest): void {
  const results: PoolResult[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const [index, file, expectedSha] of request.items) {
    const r = readAndCheck(root, file, expectedSha);
    if (r.kind !== 'checked') {
      results.push([index, r]);
      continue;
    }
    const blob = ownBuffer(toBlob(r.check));
    transfer.push(blob.buffer as ArrayBuffer);
    results.push([index, { kind: 'checked', sha256: r.sha256, stamp: r.stamp, trusted: r.trusted, blob }]);
  }
  const reply: PoolReply = { batch: request.batch, results };
  parentPort!.postMessage(reply, transfer);
}

/** A Uint8Array that owns its whole ArrayBuffer (a pooled slice must not be transferred). */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
