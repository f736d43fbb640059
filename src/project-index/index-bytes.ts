/**
 * The first step of reading a project index file (./persist.ts): its bytes, its magic and where its
 * header ends, and the CRC-32 of its body. On its own so that the worker that reads it ahead
 * (./scan-worker.ts) loads nothing else of the index.
 */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** The index format's tag; bump its number when the layout changes (./persist.ts). */
export const MAGIC = Buffer.from('CTLINDX5');

/**
 * An index file's bytes read ahead, and the CRC-32 of what follows its header (null when the file
 * is too short to have one): a worker thread reads them while the main thread loads its modules
 * (./scan-ahead.ts); readIndex takes them instead of reading the file itself.
 */
export interface IndexBytes {
  file: string;
  bytes: Uint8Array;
  bodyCrc: number | null;
}

/** The bytes of `file` with the CRC of its body; undefined when it can not be read. */
export function readIndexBytes(file: string): IndexBytes | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const end = headerEndOf(bytes);
  return { file, bytes, bodyCrc: end === undefined || end > bytes.length ? null : crc32(bytes.subarray(end)) };
}

/** Where the header ends, once the magic is checked; undefined when there is none. */
export function headerEndOf(bytes: Buffer): number | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  return MAGIC.length + 4 + bytes.readUInt32LE(MAGIC.length);
}
