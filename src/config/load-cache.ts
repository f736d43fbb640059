/**
 * The load cache: each project file's parsed and schema-checked result, kept in ONE file,
 * `.campaignctl/cache/load.bin`, so a run where nothing changed neither parses YAML nor compiles
 * the JSON Schemas.
 *
 * Never trusted blindly:
 *   - the file carries the key of what made it (./cache-key.ts: campaignctl version and build,
 *     schema content, Node.js); another key, a bad magic, a length that does not add up or an entry
 *     that does not deserialize makes the whole cache count as absent (it is rewritten);
 *   - an entry holds for one path and the sha256 of the content it was made from; a file is
 *     re-checked unless its content hashes to that sha256;
 *   - the content is taken as unchanged without reading it only when its stat stamp is the one
 *     recorded and was trustworthy when recorded (./file-stamp.ts; CAMPAIGNCTL_CACHE=off disables
 *     the cache).
 * Results go in as blobs (./cache-blob.ts), copied byte for byte when the cache is rewritten; a
 * blob is decoded only when its file is used.
 *
 * Layout: MAGIC, uint32 LE header length, header (JSON: { key, entries: [path, size, mtimeMs,
 * ctimeMs, ino, trusted, sha256, blobLength][] }), then the blobs in entry order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from './atomic-write.js';
import type { FileStamp } from './file-stamp.js';

const MAGIC = Buffer.from('CTLCACH2');

export const CACHE_DIR = '.campaignctl/cache';

/** False when CAMPAIGNCTL_CACHE turns the caches off (off, 0, false, no). */
export function cacheEnabled(environ: Record<string, string | undefined>): boolean {
  return !/^(off|0|false|no)$/i.test(environ.CAMPAIGNCTL_CACHE ?? '');
}
export const CACHE_FILE = `${CACHE_DIR}/load.bin`;

export interface CacheEntry {
  stamp: FileStamp;
  /** The stamp may stand for the content (see file-stamp.ts). */
  trusted: boolean;
  sha256: string;
  blob: Uint8Array;
}

type HeaderRow = [string, number, number, number, number, boolean, string, number];

export class LoadCache {
  readonly #file: string;
  readonly #key: string;
  readonly #entries = new Map<string, CacheEntry>();
  /** Paths whose entry was added, replaced or dropped since the file was read. */
  #dirty = false;
  /** Why the file on disk was not used (absent, corrupt, other key), for --verbose. */
  readonly discarded: string | null;

  private constructor(file: string, key: string, entries: Map<string, CacheEntry> | string) {
    this.#file = file;
    this.#key = key;
    if (typeof entries === 'string') {
      this.discarded = entries;
      this.#dirty = true;
    } else {
      this.discarded = null;
      for (const [p, e] of entries) this.#entries.set(p, e);
    }
  }

  /** Reads the cache of the project at `root`; never throws for what the file holds. */
  static open(root: string, key: string): LoadCache {
    const file = path.join(root, CACHE_FILE);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return new LoadCache(file, key, 'absent');
    }
    return new LoadCache(file, key, decode(bytes, key));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(file: string): CacheEntry | undefined {
    return this.#entries.get(file);
  }

  set(file: string, entry: CacheEntry): void {
    this.#entries.set(file, entry);
    this.#dirty = true;
  }

  /** The content was unchanged but the stamp moved (touched, checked out again). */
  restamp(file: string, stamp: FileStamp, trusted: boolean): void {
    const e = this.#entries.get(file);
    if (!e) return;
    this.#entries.set(file, { ...e, stamp, trusted });
    this.#dirty = true;
  }

  /** Drops entries of files that are no longer part of the project. */
  retain(files: Iterable<string>): void {
    const keep = new Set(files);
    for (const f of [...this.#entries.keys()]) {
      if (!keep.has(f)) {
        this.#entries.delete(f);
        this.#dirty = true;
      }
    }
  }

  /**
   * Writes the cache when something changed: to a temporary file, then renamed over the old one, so
   * a reader never sees half a cache. A project folder that can not be written is not an error (the
   * next run is simply cold again): returns false then.
   */
  save(): boolean {
    if (!this.#dirty) return true;
    const rows: HeaderRow[] = [];
    const blobs: Uint8Array[] = [];
    for (const [p, e] of [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      rows.push([p, e.stamp.size, e.stamp.mtimeMs, e.stamp.ctimeMs, e.stamp.ino, e.trusted, e.sha256, e.blob.byteLength]);
      blobs.push(e.blob);
    }
    const header = Buffer.from(JSON.stringify({ key: this.#key, entries: rows }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    if (!writeAtomically(this.#file, Buffer.concat([MAGIC, length, header, ...blobs]))) return false;
    this.#dirty = false;
    return true;
  }
}

/** The entries of a cache file, or why it can not be used. */
function decode(bytes: Buffer, key: string): Map<string, CacheEntry> | string {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a campaignctl cache';
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) return 'truncated';
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, headerEnd));
  } catch {
    return 'corrupt header';
  }
  if (!isHeader(header)) return 'corrupt header';
  if (header.key !== key) return 'made by another campaignctl or for other schemas';
  const entries = new Map<string, CacheEntry>();
  let offset = headerEnd;
  for (const row of header.entries) {
    if (!isRow(row)) return 'corrupt header';
    const [p, size, mtimeMs, ctimeMs, ino, trusted, sha256, blobLength] = row;
    if (offset + blobLength > bytes.length) return 'truncated';
    entries.set(p, { stamp: { size, mtimeMs, ctimeMs, ino }, trusted, sha256, blob: bytes.subarray(offset, offset + blobLength) });
    offset += blobLength;
  }
  if (offset !== bytes.length) return 'trailing bytes';
  return entries;
}

function isHeader(v: unknown): v is { key: string; entries: unknown[] } {
  return typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string' && Array.isArray((v as { entries?: unknown }).entries);
}

function isRow(r: unknown): r is HeaderRow {
  return (
    Array.isArray(r) &&
    r.length === 8 &&
    typeof r[0] === 'string' &&
    [1, 2, 3, 4, 7].every((i) => typeof r[i] === 'number' && Number.isFinite(r[i])) &&
    typeof r[5] === 'boolean' &&
    typeof r[6] === 'string' &&
    /^[0-9a-f]{64}$/.test(r[6]) &&
    Number.isInteger(r[7]) &&
    r[7] >= 0
  );
}

