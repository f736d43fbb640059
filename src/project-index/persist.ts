/**
 * The project index on disk, for the CLI: ONE file per environment asked for,
 * `.campaignctl/cache/index-default.bin` (or `index-env-<name>.bin` for `--env name`).
 *
 * Keyed by the build id (../config/build-id.ts: all of the built code, the schemas, the lockfile, Node.js):
 * a file made under another id, or that does not decode, is not used at all (and is rewritten).
 * Within one build, what else a part depends on is checked on every run, so every key is right by
 * construction:
 *   - a file's checked result holds for its content: a file is taken unread only when its stat
 *     stamp is the one recorded and was trustworthy when recorded (../config/file-stamp.ts), else it
 *     is read and hashed, and checked again when the hash moved;
 *   - rule findings and spec hashes hold for campaignctl.yaml and the resolved environment (whole)
 *     as one digest, read and resolved every run; for the partials and data files each resource
 *     reads (both read again every run); and for a clock before the finding's `until`.
 * CAMPAIGNCTL_CACHE=off turns persistence off.
 *
 * Layout: MAGIC, uint32 LE header length, the header: two lines of JSON, the first with key,
 * context, config, partials, data files, the rules across resources, two CRC-32s (of all that
 * follows that first line up to the blobs, and of the blobs), the blobs' length, the files' count
 * and the digest of their paths, and the files table's summary and digest (./files-summary.ts);
 * the second the files table, by column: path, and diagnostics, documents, findings and reads,
 * short for the common file (see FileColumns). Then uint32 LE length of the derived hashes, the
 * derived hashes (JSON), each file's numbers (NUMBERS float64 each: size, mtimeMs, ctimeMs, ino,
 * trusted, blob length), each file's content SHA-256 (32 bytes), then each file's checked result
 * as a blob (../config/cache-blob.ts: JSON, or v8 serialization for values JSON would change).
 *
 * The first line and the rest up to the blobs (lengths, CRC) are checked when the file is read.
 * The blobs (~70% of the file) are read and checked with them, or, for a load that defers them
 * (LoadOptions.deferResults: `plan`), only when the files are first decoded or readBlobs() is
 * called. The files table is parsed only when first needed (`files`): a scan is compared with the
 * files' numbers and the digest of their paths, and a file read again with its binary SHA-256,
 * which need no parse (the plan after an apply reads the file it edited again: parsing the 2 MB
 * table for its hash cost that plan ~40 ms, the collection of what it made included). The
 * table becomes entries only when first asked for, the derived hashes are parsed only when the
 * index is first asked for one (a plan that builds desired state), and the blobs decoded only
 * when it is asked for resources. A run that finds every file at its recorded stamp (the repeated
 * no-change plan) needs none of the three: the summary and digest answer for the table, and a
 * `plan` then never reads its blobs (~5% of it: a 12 MB read into fresh memory, and its CRC).
 */
import path from 'node:path';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Derived } from '../apply/desired.js';
import { writeAtomically, type CrcPatch } from '../config/atomic-write.js';
import { blobText } from '../config/cache-blob.js';
import { CACHE_DIR } from '../config/cache-dir.js';
import type { StoredConfig } from '../config/stored-check.js';
import { desiredKey } from '../apply/desired-key.js';
import type { FileState, Finding, IndexedFile, IndexState } from './project-index.js';
import { filesDigest, pathsDigest, summarize, type FilesSummary } from './files-summary.js';
import { scannedAt, type Scan } from '../config/scan.js';


export { CACHE_DIR };
export { cacheEnabled, indexFile } from './index-file.js';

/**
 * The files, by column (parsing 10,000 small rows of nested arrays cost more): `rest` is, for the
 * common file (no diagnostics, one resource at document 0, its finding without diagnostics,
 * reading nothing), only its finding's `until`, and for any other file [diagnostics, documents,
 * findings, reads] in full. Each file's numbers are not in it but in the body, as float64s (see
 * FileNumbers): a scan is compared with them without parsing this table, and 20,000 timestamps
 * are neither printed as JSON nor parsed back.
 */
interface FileColumns {
  paths: string[];
  rest: (number | null | FullRest)[];
}
/** Bytes per file of the content hashes' section (a SHA-256). */
const HASH_BYTES = 32;
/** NUMBERS per file: size, mtimeMs, ctimeMs, ino, trusted (1 or 0), blob length; little-endian in the file. */
type FileNumbers = Float64Array;
const BIG_ENDIAN = endianness() === 'BE';
type FullRest = [Diagnostic[], number[], ([Diagnostic[], number | null] | null)[], (string[] | null)[]];
const NUMBERS = 6;
/** The shared lists of the common file (see readIndex), frozen: nothing may add to them. */
const NONE: Diagnostic[] & string[] = Object.freeze([]) as unknown as Diagnostic[] & string[];
const FIRST_DOC: number[] = Object.freeze([0]) as unknown as number[];

interface Header {
  key: string;
  context: string;
  configSha: string | null;
  config: StoredConfig;
  partials: Record<string, string>;
  data: [string, string][];
  projectFindings: Diagnostic[] | null;
  /** CRC-32 of all that follows the first line up to the blobs. */
  crc: number;
  /** CRC-32 of the blobs. */
  blobsCrc: number;
  /** The blobs' bytes in all (each file's numbers say its own). */
  blobs: number;
  /** How many files the table and the numbers hold, and the digest of their paths in order (pathsDigest). */
  files: number;
  paths: string;
  /** What the files table gives (./files-summary.ts), and its files' digest. */
  summary: FilesSummary;
  digest: string;
}

/** The index format's tag; bump its number when the layout changes. */
const MAGIC = Buffer.from('CTLINDX8');

/** Where the header ends, once the magic is checked; undefined when there is none. */
function headerEndOf(bytes: Buffer): number | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  return MAGIC.length + 4 + bytes.readUInt32LE(MAGIC.length);
}

/** Where the header's first line ends (the offset of its newline); undefined when it does not end within the header. */
function firstLineEndOf(bytes: Buffer, headerEnd: number): number | undefined {
  const newline = bytes.indexOf(NEWLINE, MAGIC.length + 4);
  return newline < 0 || newline >= headerEnd ? undefined : newline;
}

/** The header's first line ends at the first newline: JSON.stringify writes none of its own. */
const NEWLINE = 0x0a;
/** What is read first of an index: its first line is in it (unless its configuration is very long). */
const HEAD_BYTES = 64 * 1024;

/**
 * The state in `file` when it was made under `key`, else why it can not be used (this never
 * throws). The header's first line is read here, and all that follows it checked (lengths, CRC).
 * The files table, the header's second line and the biggest part of it, is parsed only when first
 * needed (a file read again, or `files`): a scan is compared with the files' numbers and the
 * digest of their paths. It becomes 10,000 entries only when `files` is asked for. Numbers whose
 * blob lengths do not add up are no numbers: every file is then checked as new. A table that
 * passed the CRC yet does not decode (a writer's bug) throws when it is first needed.
 */
export function readIndex(file: string, key: string, opts: { deferBlobs?: boolean } = {}): IndexState | string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return 'absent';
  }
  // The descriptor stays open while the blobs are left to read (the bytes of this file, whatever
  // is renamed over it meanwhile); closed once they are read, or on any refusal.
  let blobsLeft = false;
  try {
    const read = readIndexOpen(fd, file, key, opts.deferBlobs === true);
    blobsLeft = typeof read !== 'string' && read.unreadBlobs === true;
    return read;
  } catch {
    return 'unreadable';
  } finally {
    if (!blobsLeft) closeSync(fd);
  }
}

function readIndexOpen(fd: number, file: string, key: string, deferBlobs: boolean): IndexState | string {
  const size = fstatSync(fd).size;
  // The first line first (it says where the blobs start), then all before the blobs into one buffer:
  // fresh memory costs a page fault per 4 KB (~10 us each on the bench's machine), so nothing read
  // is copied again.
  let top = readAt(fd, 0, Math.min(size, HEAD_BYTES));
  const headerEnd = headerEndOf(top);
  if (headerEnd === undefined) return 'not a campaignctl index';
  if (headerEnd + 4 > size) return 'truncated';
  let lineEnd = firstLineEndOf(top, headerEnd);
  if (lineEnd === undefined && top.length < headerEnd) {
    top = readAt(fd, 0, headerEnd);
    lineEnd = firstLineEndOf(top, headerEnd);
  }
  if (lineEnd === undefined) return 'corrupt header';
  let h: Header;
  try {
    h = JSON.parse(top.toString('utf8', MAGIC.length + 4, lineEnd)) as Header;
  } catch {
    return 'corrupt header';
  }
  if (typeof h !== 'object' || h === null || typeof h.key !== 'string') return 'corrupt header';
  if (h.key !== key) return 'made by another build of campaignctl';
  try {
    if (!Number.isSafeInteger(h.blobs) || h.blobs < 0 || !Number.isSafeInteger(h.files) || h.files < 0 || typeof h.paths !== 'string' || typeof h.summary !== 'object' || h.summary === null || typeof h.digest !== 'string') return 'corrupt header';
    const blobsAt = size - h.blobs;
    if (blobsAt < headerEnd + 4) return 'truncated';
    const bytes = Buffer.allocUnsafe(blobsAt);
    const had = top.copy(bytes, 0, 0, Math.min(top.length, blobsAt));
    if (readFully(fd, bytes, had, blobsAt - had, had) !== blobsAt - had) return 'truncated';
    const derivedEnd = headerEnd + 4 + bytes.readUInt32LE(headerEnd);
    const numbersEnd = derivedEnd + h.files * NUMBERS * Float64Array.BYTES_PER_ELEMENT;
    const hashesEnd = numbersEnd + h.files * HASH_BYTES;
    if (hashesEnd > blobsAt) return 'truncated';
    if (hashesEnd < blobsAt) return 'trailing bytes';
    // Taken only now, once the index is this build's and its lengths fit.
    if (crc32(bytes.subarray(lineEnd + 1)) !== h.crc) return 'corrupt entry';
    // The blobs (~70% of the file) now, or, deferred, when the files are first decoded: a run that
    // takes the table whole (the no-change plan) reads and checks none of them.
    const checkedBlobs = (): Buffer | undefined => {
      const read = readAt(fd, hashesEnd, h.blobs);
      return read.length === h.blobs && crc32(read) === h.blobsCrc ? read : undefined;
    };
    let blobs = deferBlobs ? undefined : checkedBlobs();
    if (!deferBlobs && !blobs) return 'corrupt entry';
    const derivedBytes = bytes.subarray(headerEnd + 4, derivedEnd);
    let derived: Map<string, Derived> | undefined;
    let files: Map<string, FileState> | undefined;
    let table: FileColumns | undefined;
    let numbers: FileNumbers | null | undefined;
    const numbersOf = () => (numbers === undefined ? (numbers = fileNumbers(bytes, derivedEnd, h.files, h.blobs)) : numbers);
    // The table's bytes passed the CRC with the rest: written by JSON.stringify, they parse. Should
    // they still not (a writer's bug), nothing of this index is guessed at: the run stops here.
    const columns = () => (table ??= parseColumns(bytes.toString('utf8', lineEnd + 1, headerEnd), h.files, file));
    // Deferred blobs are read once, on this descriptor (then closed); ones that fail their CRC are a
    // damaged index: the run stops, as for a table that does not decode, nothing of it guessed at.
    let tried = false;
    const takeBlobs = (): Buffer => {
      if (!blobs && !tried) {
        tried = true;
        try {
          blobs = checkedBlobs();
        } catch {
          // reported below
        } finally {
          closeSync(fd);
        }
      }
      if (blobs) return blobs;
      throw new Error(`the project index ${file} passed its checksum but its checked results do not: delete ${path.dirname(file)} and run again`);
    };
    const undecoded: NonNullable<IndexState['undecoded']> = {
      summary: h.summary,
      digest: h.digest,
      prepare: () => void numbersOf(),
      movedIn: (scan) => {
        const n = numbersOf();
        return n === null ? undefined : movedIn(h, n, scan);
      },
      sha256At: (position) => (position < h.files ? sha256At(bytes, numbersEnd, position) : undefined),
    };
    return {
      context: h.context,
      configSha: h.configSha,
      config: h.config,
      partials: h.partials,
      data: new Map(h.data),
      projectFindings: h.projectFindings ?? undefined,
      get derived() {
        return (derived ??= decodeDerived(derivedBytes));
      },
      set derived(value) {
        derived = value;
      },
      get files() {
        if (files === undefined) {
          const n = numbersOf();
          files = n === null ? new Map() : decodeFiles(columns(), n, (i) => sha256At(bytes, numbersEnd, i), takeBlobs(), 0);
        }
        return files;
      },
      get unreadBlobs() {
        return blobs === undefined;
      },
      readBlobs: () => void takeBlobs(),
      set files(value) {
        files = value;
      },
      get undecoded() {
        return files === undefined ? undecoded : undefined;
      },
    };
  } catch {
    return 'corrupt header';
  }
}

/**
 * The files' numbers (a copy: a Float64Array needs its own aligned buffer), when their blob
 * lengths add up to the blobs' length; null otherwise (no file is then taken as indexed).
 */
function fileNumbers(bytes: Buffer, at: number, files: number, blobs: number): FileNumbers | null {
  const length = files * NUMBERS * Float64Array.BYTES_PER_ELEMENT;
  const copy = Buffer.from(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + length));
  if (BIG_ENDIAN) copy.swap64();
  const numbers = new Float64Array(copy.buffer, copy.byteOffset, files * NUMBERS);
  let total = 0;
  for (let i = 0; i < files; i++) total += numbers[i * NUMBERS + 5]!;
  return total === blobs ? numbers : null;
}

/** The files table of a header's second line; throws when it does not parse or does not hold `files` files. */
function parseColumns(text: string, files: number, indexPath: string): FileColumns {
  let c: FileColumns | undefined;
  try {
    c = JSON.parse(text) as FileColumns;
  } catch {
    // handled below
  }
  if (c && Array.isArray(c.paths) && Array.isArray(c.rest) && c.paths.length === files && c.rest.length === files) {
    if (c.rest.every((r) => !Array.isArray(r) || (r[2].length === r[1].length && r[3].length === r[1].length))) return c;
  }
  throw new Error(`the project index ${indexPath} passed its checksum but its files table does not decode: delete ${path.dirname(indexPath)} and run again`);
}

/** The content SHA-256 (hex) of the file at `position`, from the hashes' section at `at`. */
function sha256At(bytes: Buffer, at: number, position: number): string {
  return bytes.toString('hex', at + position * HASH_BYTES, at + (position + 1) * HASH_BYTES);
}

/** The files table as entries (the blobs follow the derived hashes, file by file, from `offset`). */
function decodeFiles(columns: FileColumns, numbers: FileNumbers, sha256: (position: number) => string, bytes: Buffer, offset: number): Map<string, FileState> {
  const files = new Map<string, FileState>();
  const { paths, rest } = columns;
  for (let i = 0; i < paths.length; i++) {
    const at = i * NUMBERS;
    const length = numbers[at + 5]!;
    const r = rest[i]!;
    files.set(paths[i]!, {
      sha256: sha256(i),
      stamp: { size: numbers[at]!, mtimeMs: numbers[at + 1]!, ctimeMs: numbers[at + 2]!, ino: numbers[at + 3]! },
      trusted: numbers[at + 4] === 1,
      blob: bytes.subarray(offset, offset + length),
      // Each file its own findings and reads arrays: the index replaces their items in place. What
      // it only ever replaces whole (the common file's empty lists, its one document) is shared:
      // 10,000 files' worth fewer objects to make and collect.
      diagnostics: Array.isArray(r) ? r[0] : NONE,
      docs: Array.isArray(r) ? r[1] : FIRST_DOC,
      findings: Array.isArray(r) ? r[2].map((f): Finding | undefined => (f ? { diagnostics: f[0], until: f[1] } : undefined)) : [{ diagnostics: NONE, until: r }],
      reads: Array.isArray(r) ? r[3].map((x) => x ?? undefined) : [NONE as string[]],
    });
    offset += length;
  }
  return files;
}

/**
 * Where the scan finds the table's files, in its order, not each at the stamp recorded and trusted
 * then (the files checkProjectFiles would read again; none: every file taken unread), told without
 * parsing the table or making an entry per file; undefined when the scan finds other files.
 */
function movedIn(h: Pick<Header, 'files' | 'paths'>, numbers: FileNumbers, scan: Scan): number[] | undefined {
  if (scan.files.length !== h.files || pathsDigest(scan.files) !== h.paths) return undefined;
  const moved: number[] = [];
  for (let i = 0; i < h.files; i++) {
    const at = i * NUMBERS;
    if (numbers[at + 4] !== 1 || !scannedAt(scan, i, numbers[at]!, numbers[at + 1]!, numbers[at + 2]!, numbers[at + 3]!)) moved.push(i);
  }
  return moved;
}

/**
 * Writes the state (a temporary file renamed over the old one: a reader never sees half an
 * index). Files that could not be read are left out (read again next time), and so are derived
 * values of contents no longer indexed. False when the folder can not be written (not an error:
 * the next run is simply cold).
 */
export function writeIndex(file: string, key: string, s: IndexState): boolean {
  const columns: FileColumns = { paths: [], rest: [] };
  const hashes: string[] = [];
  const numbers: number[] = [];
  // Each blob as text where it is JSON (encoded as it is written: no Buffer per file), else its bytes.
  const blobs: (string | Uint8Array)[] = [];
  let blobBytes = 0;
  const written: IndexedFile[] = [];
  // The derived values of the contents indexed, file by file (those of contents gone are left out;
  // two files of one content write theirs twice, read back as one).
  const rows: [string, string, Derived['startsAt'] | null][] = [];
  for (const [p, e] of s.files) {
    if ('problem' in e) continue;
    written.push(e);
    const blob = e.blob ?? blobText(e.check!);
    const length = typeof blob === 'string' ? Buffer.byteLength(blob, 'utf8') : blob.byteLength;
    columns.paths.push(p);
    hashes.push(e.sha256);
    numbers.push(e.stamp.size, e.stamp.mtimeMs, e.stamp.ctimeMs, e.stamp.ino, e.trusted ? 1 : 0, length);
    columns.rest.push(restOf(e));
    blobs.push(blob);
    blobBytes += length;
    for (const doc of e.docs) {
      const k = desiredKey(e.sha256, doc);
      const d = s.derived.get(k);
      if (d) rows.push([k, d.specHash, d.startsAt ?? null]);
    }
  }
  const derived = JSON.stringify(rows);
  const derivedLength = Buffer.alloc(4);
  derivedLength.writeUInt32LE(Buffer.byteLength(derived, 'utf8'));
  const header: Omit<Header, 'crc' | 'blobsCrc'> = {
    key,
    context: s.context,
    configSha: s.configSha,
    config: s.config,
    partials: s.partials,
    data: [...s.data],
    projectFindings: s.projectFindings ?? null,
    blobs: blobBytes,
    files: columns.paths.length,
    paths: pathsDigest(columns.paths),
    summary: summarize(written),
    digest: filesDigest(columns.paths.map((path, i) => ({ path, sha256: hashes[i]! }))),
  };
  // Two lines: the header, then the files table (read only when needed: see readIndex). The CRC of
  // what follows the first line is known only once that is written: the header starts with room
  // for it (JSON allows the spaces before a number), filled in last.
  const firstLine = `${CRC_FIELD}${' '.repeat(CRC_WIDTH - 1)}0${BLOBS_CRC_FIELD}${' '.repeat(CRC_WIDTH - 1)}0,${JSON.stringify(header).slice(1)}\n`;
  const table = JSON.stringify(columns);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(Buffer.byteLength(firstLine, 'utf8') + Buffer.byteLength(table, 'utf8'));
  const numberBytes = Buffer.from(Float64Array.from(numbers).buffer);
  if (BIG_ENDIAN) numberBytes.swap64();
  const hashBytes = Buffer.from(hashes.join(''), 'hex');
  // Every hash is a SHA-256 in hex (../config/read-unit.ts); anything else would be read back as another.
  if (hashBytes.length !== hashes.length * HASH_BYTES) return false;
  // Two CRCs: of the table up to the blobs (pieces 3-7), and of the blobs (8 on).
  const crc: CrcPatch = { starts: [3, 8], at: MAGIC.length + 4 + CRC_FIELD.length, text: (crcs) => `${String(crcs[0] ?? 0).padStart(CRC_WIDTH)}${BLOBS_CRC_FIELD}${String(crcs[1] ?? 0).padStart(CRC_WIDTH)}` };
  return writeAtomically(file, [MAGIC, length, firstLine, table, derivedLength, derived, numberBytes, hashBytes, ...blobs], crc);
}

/** The header's first fields, the CRC-32s of what follows its line up to the blobs and of the blobs: each in CRC_WIDTH characters, the most a uint32 takes. */
const CRC_FIELD = '{"crc":';
const BLOBS_CRC_FIELD = ',"blobsCrc":';
const CRC_WIDTH = 10;

/** A file's diagnostics, documents, findings and reads as `rest` holds them (see FileColumns). */
function restOf(e: IndexedFile): FileColumns['rest'][number] {
  const [finding] = e.findings;
  const [reads] = e.reads;
  const common = e.diagnostics.length === 0 && e.docs.length === 1 && e.docs[0] === 0 && e.findings.length === 1 && finding !== undefined && finding.diagnostics.length === 0 && e.reads.length === 1 && reads !== undefined && reads.length === 0;
  return common ? finding.until : [e.diagnostics, e.docs, e.findings.map((f) => (f ? [f.diagnostics, f.until] : null)), e.reads.map((r) => r ?? null)];
}

/**
 * The derived hashes of a read index, parsed when first asked for. Their bytes passed the CRC with
 * the rest; should they still not parse, the index simply knows no hash (each is derived again).
 */
function decodeDerived(bytes: Buffer): Map<string, Derived> {
  try {
    const rows = JSON.parse(bytes.toString('utf8')) as [string, string, Derived['startsAt'] | null][];
    return new Map(rows.map(([k, specHash, startsAt]) => [k, startsAt ? { specHash, startsAt } : { specHash }]));
  } catch {
    return new Map();
  }
}

/** `length` bytes of the file at `position` (fewer when it ends sooner). */
function readAt(fd: number, position: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  const done = readFully(fd, out, 0, length, position);
  return done === length ? out : out.subarray(0, done);
}

/** Reads `length` bytes at `position` into `buffer` at `offset`; how many it read (fewer when the file ends sooner). */
function readFully(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  for (let n = 1; n > 0 && done < length; done += n) n = readSync(fd, buffer, offset + done, length - done, position + done);
  return done;
}
