/**
 * Writing a cache file so that a reader never sees half of it: to a temporary file next to it, then
 * renamed over it. A folder that can not be written is not an error for a cache (the next run is
 * simply cold again): false then, and nothing left behind.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * CRC-32s the pieces' writer works out as it writes, each of the pieces from one of `starts` (a
 * piece's index) to the next start or the end, written last, as `text(crcs)`, at byte `at` of the
 * file (over a placeholder of as many bytes: the project index holds, in its header's first line,
 * the CRCs of what follows that line up to its files' checked results, and of those).
 */
export interface CrcPatch {
  starts: readonly number[];
  at: number;
  text: (crcs: readonly number[]) => string;
}

/**
 * `data` may be pieces, text (written as UTF-8) or bytes, written one after the other as one file:
 * the project index is 10,000 blobs and a header, and making each a Buffer, or joining them, would
 * put 10 MB into fresh memory only to write it. They go through one reused buffer instead.
 */
export function writeAtomically(file: string, data: string | Uint8Array | readonly (string | Uint8Array)[], crc?: CrcPatch): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    if (Array.isArray(data)) writePieces(tmp, data, crc);
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

function writePieces(file: string, pieces: readonly (string | Uint8Array)[], crc: CrcPatch | undefined): void {
  const fd = openSync(file, 'w');
  try {
    const out = new ChunkedWriter(fd);
    for (let i = 0; i < pieces.length; i++) {
      if (crc?.starts.includes(i)) out.startCrc();
      out.put(pieces[i]!);
    }
    out.flush();
    if (crc) writeAll(fd, Buffer.from(crc.text(out.crcs), 'utf8'), crc.at);
  } finally {
    closeSync(fd);
  }
}

/** The reused buffer's size: big enough that 10 MB is ten writes, small enough to stay in cache. */
const CHUNK = 1 << 20;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a pair's 4 bytes are 2 per unit). */
const MAX_UTF8_PER_UNIT = 3;
/** The longest text put into the buffer in one go; longer text goes in slices. */
const TEXT_SLICE = Math.floor(CHUNK / MAX_UTF8_PER_UNIT);

class ChunkedWriter {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(CHUNK);
  #used = 0;
  /** The CRCs started so far; the last one takes each byte written. */
  readonly crcs: number[] = [];

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** From here on every byte written is taken into a new CRC. */
  startCrc(): void {
    this.flush();
    this.crcs.push(0);
  }

  put(piece: string | Uint8Array): void {
    if (typeof piece !== 'string') return this.#putBytes(piece);
    if (piece.length > TEXT_SLICE) return this.#putSlices(piece);
    if (this.#used + piece.length * MAX_UTF8_PER_UNIT > CHUNK) this.flush();
    this.#used += this.#buffer.write(piece, this.#used, 'utf8');
  }

  flush(): void {
    if (this.#used === 0) return;
    this.#write(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  #putBytes(bytes: Uint8Array): void {
    if (bytes.byteLength <= CHUNK - this.#used) {
      this.#buffer.set(bytes, this.#used);
      this.#used += bytes.byteLength;
      return;
    }
    this.flush();
    this.#write(bytes);
  }

  /** Long text (the index's files table) in slices, never cut between the halves of a surrogate pair. */
  #putSlices(text: string): void {
    for (let from = 0; from < text.length; ) {
      let to = Math.min(text.length, from + TEXT_SLICE);
      if (to < text.length && isHighSurrogate(text.charCodeAt(to - 1))) to--;
      this.put(text.slice(from, to));
      from = to;
    }
  }

  #write(bytes: Uint8Array): void {
    const last = this.crcs.length - 1;
    if (last >= 0) this.crcs[last] = crc32(bytes, this.crcs[last]);
    writeAll(this.#fd, bytes);
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** Every byte of `bytes` (a short write is resumed), at `position` or at the file's current offset. */
function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  for (let done = 0; done < bytes.byteLength; ) {
    const n = writeSync(fd, bytes, done, bytes.byteLength - done, position === undefined ? null : position + done);
    if (n <= 0) throw new Error(`wrote ${done} of ${bytes.byteLength} bytes`);
    done += n;
  }
}
