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
 * Layout: MAGIC, uint32 LE header length, the header (JSON: key, context, config, partials, data
 * files, the rules across resources, the CRC-32 of what follows the header, and per file
 * [path, size, mtimeMs, ctimeMs, ino, trusted, sha256, blobLength, diagnostics, documents,
 * findings, reads]), uint32 LE length of the derived hashes, the derived hashes (JSON), then each
 * file's checked result as a blob (../config/cache-blob.ts: JSON, or v8 serialization for values
 * JSON would change). Everything after the header is checked (CRC) when the file is read, but the
 * derived hashes are parsed only when the index is first asked for one (a plan that builds desired
 * state), and the blobs decoded only when it is asked for resources: the no-change plan needs
 * neither, and the derived hashes of 10,000 resources are as big as the rest of the header.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Derived } from '../apply/desired.js';
import { writeAtomically } from '../config/atomic-write.js';
import { toBlob } from '../config/cache-blob.js';
import { CACHE_DIR } from '../config/cache-dir.js';
import type { StoredConfig } from '../config/stored-check.js';
import { desiredKey } from '../apply/desired-key.js';
import type { FileState, Finding, IndexState } from './project-index.js';

const MAGIC = Buffer.from('CTLINDX3');

export { CACHE_DIR };

/** False when CAMPAIGNCTL_CACHE turns persistence off (off, 0, false, no). */
export function cacheEnabled(environ: Record<string, string | undefined>): boolean {
  return !/^(off|0|false|no)$/i.test(environ.CAMPAIGNCTL_CACHE ?? '');
}

/** The index file of a project for the environment asked for. */
export function indexFile(root: string, requested: string | undefined): string {
  const name = requested === undefined ? 'default' : `env-${requested.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return path.join(root, CACHE_DIR, `index-${name}.bin`);
}

type FileRow = [string, number, number, number, number, boolean, string, number, Diagnostic[], number[], ([Diagnostic[], number | null] | null)[], (string[] | null)[]];

interface Header {
  key: string;
  context: string;
  configSha: string | null;
  config: StoredConfig;
  partials: Record<string, string>;
  data: [string, string][];
  projectFindings: Diagnostic[] | null;
  crc: number;
  files: FileRow[];
}

/** The state in `file` when it was made under `key`, else why it can not be used. Never throws. */
export function readIndex(file: string, key: string): IndexState | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return 'absent';
  }
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a campaignctl index';
  const headerEnd = MAGIC.length + 4 + bytes.readUInt32LE(MAGIC.length);
  if (headerEnd > bytes.length) return 'truncated';
  let h: Header;
  try {
    h = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, headerEnd)) as Header;
  } catch {
    return 'corrupt header';
  }
  if (typeof h !== 'object' || h === null || typeof h.key !== 'string') return 'corrupt header';
  if (h.key !== key) return 'made by another build of campaignctl';
  try {
    const files = new Map<string, FileState>();
    if (headerEnd + 4 > bytes.length) return 'truncated';
    const derivedEnd = headerEnd + 4 + bytes.readUInt32LE(headerEnd);
    if (derivedEnd > bytes.length) return 'truncated';
    const derivedBytes = bytes.subarray(headerEnd + 4, derivedEnd);
    let offset = derivedEnd;
    for (const [p, size, mtimeMs, ctimeMs, ino, trusted, sha256, length, diagnostics, docs, findings, reads] of h.files) {
      if (offset + length > bytes.length) return 'truncated';
      if (findings.length !== docs.length || reads.length !== docs.length) return 'corrupt entry';
      files.set(p, {
        sha256,
        stamp: { size, mtimeMs, ctimeMs, ino },
        trusted,
        blob: bytes.subarray(offset, offset + length),
        diagnostics,
        docs,
        findings: findings.map((f): Finding | undefined => (f ? { diagnostics: f[0], until: f[1] } : undefined)),
        reads: reads.map((r) => r ?? undefined),
      });
      offset += length;
    }
    if (offset !== bytes.length) return 'trailing bytes';
    if (crc32(bytes.subarray(headerEnd)) !== h.crc) return 'corrupt entry';
    let derived: Map<string, Derived> | undefined;
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
      files,
    };
  } catch {
    return 'corrupt header';
  }
}

/**
 * Writes the state (a temporary file renamed over the old one: a reader never sees half an
 * index). Files that could not be read are left out (read again next time), and so are derived
 * values of contents no longer indexed. False when the folder can not be written (not an error:
 * the next run is simply cold).
 */
export function writeIndex(file: string, key: string, s: IndexState): boolean {
  const rows: FileRow[] = [];
  const blobs: Uint8Array[] = [];
  const keys = new Set<string>();
  for (const [p, e] of s.files) {
    if ('problem' in e) continue;
    const blob = e.blob ?? toBlob(e.check!);
    rows.push([p, e.stamp.size, e.stamp.mtimeMs, e.stamp.ctimeMs, e.stamp.ino, e.trusted, e.sha256, blob.byteLength, e.diagnostics, e.docs, e.findings.map((f) => (f ? [f.diagnostics, f.until] : null)), e.reads.map((r) => r ?? null)]);
    blobs.push(blob);
    for (const doc of e.docs) keys.add(desiredKey(e.sha256, doc));
  }
  const derived = Buffer.from(JSON.stringify([...s.derived].filter(([k]) => keys.has(k)).map(([k, d]) => [k, d.specHash, d.startsAt ?? null])), 'utf8');
  const derivedLength = Buffer.alloc(4);
  derivedLength.writeUInt32LE(derived.length);
  const body = Buffer.concat([derivedLength, derived, ...blobs]);
  const header: Header = {
    key,
    context: s.context,
    configSha: s.configSha,
    config: s.config,
    partials: s.partials,
    data: [...s.data],
    projectFindings: s.projectFindings ?? null,
    crc: crc32(body),
    files: rows,
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  return writeAtomically(file, Buffer.concat([MAGIC, length, head, body]));
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
