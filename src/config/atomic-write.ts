/**
 * Writing a cache file so that a reader never sees half of it: to a temporary file next to it, then
 * renamed over it. A folder that can not be written is not an error for a cache (the next run is
 * simply cold again): false then, and nothing left behind.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writevSync } from 'node:fs';
import path from 'node:path';

/**
 * `data` may be pieces, written one after the other as one file: the project index is 10,000 blobs
 * and a header, and joining them first would copy 12 MB into fresh memory only to write it.
 */
export function writeAtomically(file: string, data: string | Uint8Array | readonly Uint8Array[]): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    if (Array.isArray(data)) writePieces(tmp, data);
    else writeFileSync(tmp, data as string | Uint8Array);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder itself is unusable: nothing was left behind
    }
    return false;
  }
}

function writePieces(file: string, pieces: readonly Uint8Array[]): void {
  const fd = openSync(file, 'w');
  try {
    // libuv writes every piece (IOV_MAX at a time, resuming after a short write) or fails.
    const written = writevSync(fd, pieces as Uint8Array[]);
    const size = pieces.reduce((n, p) => n + p.byteLength, 0);
    if (written !== size) throw new Error(`wrote ${written} of ${size} bytes`);
  } finally {
    closeSync(fd);
  }
}
